import { HttpException } from '@nestjs/common';
import { AppError } from './app-error';

/** Anything thrown, as the typed error a client sees; unknown errors never leak their message. */
export function toAppError(exception: unknown): AppError {
  if (exception instanceof AppError) return exception;
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const code = status === 401 ? 'UNAUTHORIZED' : status === 403 ? 'FORBIDDEN' : status === 404 ? 'NOT_FOUND' : status < 500 ? 'VALIDATION_FAILED' : 'INTERNAL';
    return new AppError(code, exception.message);
  }
  if ((exception as { type?: string })?.type === 'entity.parse.failed') {
    return new AppError('BAD_JSON', 'The request body is not valid JSON');
  }
  return new AppError('INTERNAL', 'Internal error');
}
