import { HttpException } from '@nestjs/common';
import { AppError } from './app-error';

/** What body-parser (express.json) throws for a request it refuses to read: a client error, not ours. */
interface BodyParserError {
  type: string;
  status: number;
  limit?: number;
}

const isBodyParserError = (e: unknown): e is BodyParserError =>
  typeof (e as BodyParserError)?.type === 'string' && typeof (e as BodyParserError).status === 'number' && (e as BodyParserError).status < 500;

/** Anything thrown, as the typed error a client sees; unknown errors never leak their message. */
export function toAppError(exception: unknown): AppError {
  if (exception instanceof AppError) return exception;
  // The express adapter wraps body-parser's refusals (bad JSON, too large) in an HttpException; the
  // original, with its type and limit, is the cause.
  if (exception instanceof HttpException && isBodyParserError(exception.cause)) return toAppError(exception.cause);
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const code =
      status === 401
        ? 'UNAUTHORIZED'
        : status === 403
          ? 'FORBIDDEN'
          : status === 404
            ? 'NOT_FOUND'
            : status === 413
              ? 'PAYLOAD_TOO_LARGE'
              : status < 500
                ? 'VALIDATION_FAILED'
                : 'INTERNAL';
    return new AppError(code, exception.message);
  }
  if (isBodyParserError(exception)) {
    if (exception.type === 'entity.too.large')
      return new AppError('PAYLOAD_TOO_LARGE', `The request body is larger than ${exception.limit ?? 'the limit'} bytes`, {
        limit: exception.limit,
      });
    if (exception.type === 'entity.parse.failed') return new AppError('BAD_JSON', 'The request body is not valid JSON');
    // Unsupported charset or encoding, a body that ended early: the body could not be read as JSON.
    return new AppError('BAD_JSON', 'The request body could not be read as JSON');
  }
  return new AppError('INTERNAL', 'Internal error');
}
