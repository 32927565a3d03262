import { type CanActivate, type ExecutionContext, Injectable, Logger, type RawBodyRequest } from '@nestjs/common';
import type { Request } from 'express';
import { AppError } from '../common/app-error';
import { AppConfig } from '../config/app-config';
import { SIGNATURE_HEADER, signatureProblem, TIMESTAMP_HEADER } from './cti-signature';

/**
 * The webhook is public (no user token) but signed: it answers NOT_FOUND while CTI is off (no
 * CTI_SECRET), and UNAUTHORIZED unless the raw body is signed with the secret within the window.
 * A guard runs before the body is validated, so an unsigned request learns nothing about the format.
 */
@Injectable()
export class CtiSignatureGuard implements CanActivate {
  private readonly logger = new Logger('CtiSignature');

  constructor(private readonly config: AppConfig) {}

  canActivate(context: ExecutionContext): boolean {
    if (!this.config.CTI_SECRET) throw new AppError('NOT_FOUND', 'Telephony (CTI) is not switched on');
    const request = context.switchToHttp().getRequest<RawBodyRequest<Request>>();
    const header = (name: string) => {
      const value = request.headers[name];
      return Array.isArray(value) ? value.join(',') : value;
    };
    const problem = signatureProblem(
      this.config.CTI_SECRET,
      { timestamp: header(TIMESTAMP_HEADER), signature: header(SIGNATURE_HEADER), body: request.rawBody ?? Buffer.alloc(0) },
      Date.now() / 1000,
      this.config.CTI_WINDOW_SECONDS,
    );
    if (problem === null) return true;
    // Operators see why; the sender is told only that the request is not signed as agreed.
    this.logger.warn(`CTI event refused from ${request.ip}: ${problem}`);
    throw new AppError(
      'UNAUTHORIZED',
      problem === 'stale'
        ? `The event's timestamp is more than ${this.config.CTI_WINDOW_SECONDS} s from the server's clock`
        : 'The event is not signed with the shared secret (X-CTI-Timestamp, X-CTI-Signature)',
    );
  }
}
