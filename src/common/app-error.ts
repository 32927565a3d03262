/** The error codes the protocol promises clients (docs/PROTOCOL.md). */
export type ErrorCode =
  | 'BAD_JSON'
  | 'VALIDATION_FAILED'
  | 'UNKNOWN_EVENT'
  | 'NOT_FOUND'
  | 'FORBIDDEN'
  | 'UNAUTHORIZED'
  | 'STALE_SEQ'
  | 'OPTION_NOT_AVAILABLE'
  | 'INVALID_STATE'
  | 'CHECKS_FAILED'
  | 'TOO_MANY_ATTEMPTS'
  | 'LOG_UNAVAILABLE'
  | 'PAYLOAD_TOO_LARGE'
  | 'RATE_LIMITED'
  | 'INTERNAL';

const HTTP_STATUS: Record<ErrorCode, number> = {
  BAD_JSON: 400,
  VALIDATION_FAILED: 400,
  UNKNOWN_EVENT: 400,
  NOT_FOUND: 404,
  FORBIDDEN: 403,
  UNAUTHORIZED: 401,
  STALE_SEQ: 409,
  OPTION_NOT_AVAILABLE: 409,
  INVALID_STATE: 409,
  CHECKS_FAILED: 422,
  TOO_MANY_ATTEMPTS: 429,
  LOG_UNAVAILABLE: 503,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  INTERNAL: 500,
};

/** A typed, client-facing error. Thrown anywhere; mapped to HTTP or a `call.error` frame in one place each. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }

  get httpStatus(): number {
    return HTTP_STATUS[this.code];
  }

  toBody(): { code: ErrorCode; message: string; details?: unknown } {
    return this.details === undefined ? { code: this.code, message: this.message } : { code: this.code, message: this.message, details: this.details };
  }
}
