import { type CanActivate, type ExecutionContext, Injectable, Logger, type RawBodyRequest } from '@nestjs/common';
import type { Request } from 'express';
import { AppError } from '../common/app-error';
import { AppConfig } from '../config/app-config';
import { signatureProblem } from '../cti';

/** The headers a survey answer is signed in: the CTI scheme (docs/CTI.md §2) under the survey's own names. */
export const SURVEY_TIMESTAMP_HEADER = 'x-survey-timestamp';
export const SURVEY_SIGNATURE_HEADER = 'x-survey-signature';

/**
 * The SMS gateway's and the IVR's answers are public (no user token) but signed with SURVEY_SECRET:
 * NOT_FOUND while survey answers are off, UNAUTHORIZED unless the raw body is signed within
 * CTI_WINDOW_SECONDS. It runs before the body is validated: an unsigned sender learns nothing of the format.
 */
@Injectable()
export class SurveySignatureGuard implements CanActivate {
  private readonly logger = new Logger('SurveySignature');

  constructor(private readonly config: AppConfig) {}

  canActivate(context: ExecutionContext): boolean {
    if (!this.config.SURVEY_SECRET) throw new AppError('NOT_FOUND', 'Survey answers are not switched on');
    const request = context.switchToHttp().getRequest<RawBodyRequest<Request>>();
    const header = (name: string) => {
      const value = request.headers[name];
      return Array.isArray(value) ? value.join(',') : value;
    };
    const problem = signatureProblem(
      this.config.SURVEY_SECRET,
      { timestamp: header(SURVEY_TIMESTAMP_HEADER), signature: header(SURVEY_SIGNATURE_HEADER), body: request.rawBody ?? Buffer.alloc(0) },
      Date.now() / 1000,
      this.config.CTI_WINDOW_SECONDS,
    );
    if (problem === null) return true;
    this.logger.warn(`Survey answer refused from ${request.ip}: ${problem}`);
    throw new AppError(
      'UNAUTHORIZED',
      problem === 'stale'
        ? `The answer's timestamp is more than ${this.config.CTI_WINDOW_SECONDS} s from the server's clock`
        : 'The answer is not signed with the shared secret (X-Survey-Timestamp, X-Survey-Signature)',
    );
  }
}
