import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { toAppError } from './to-app-error';

/** Maps every error raised by an HTTP handler to `{code, message, details?}` with the right status. */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const error = toAppError(exception);
    if (error.code === 'INTERNAL') this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    const retryAfter = (error.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
    if (error.code === 'TOO_MANY_ATTEMPTS' && typeof retryAfter === 'number') response.setHeader('retry-after', String(retryAfter));
    response.status(error.httpStatus).json(error.toBody());
  }
}
