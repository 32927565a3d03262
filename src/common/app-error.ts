import type { ErrorBody, ErrorCode, ErrorDetailsOf } from '../../protocol/errors';

/** The error codes the protocol promises clients (docs/PROTOCOL.md §5), and the details each may carry: protocol/errors.d.ts. */
export type { ErrorCode };

export const HTTP_STATUS: Readonly<Record<ErrorCode, number>> = {
  BAD_JSON: 400,
  VALIDATION_FAILED: 400,
  UNKNOWN_EVENT: 400,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  FORBIDDEN: 403,
  UNAUTHORIZED: 401,
  STALE_SEQ: 409,
  CALL_MOVED: 409,
  CALL_TOO_LONG: 409,
  CALL_ERASED: 410,
  TOO_MANY_CALLS: 409,
  OPTION_NOT_AVAILABLE: 409,
  INVALID_STATE: 409,
  CHECKS_FAILED: 422,
  VERSION_DOES_NOT_LOAD: 422,
  FLOW_UNAVAILABLE: 503,
  TOO_MANY_ATTEMPTS: 429,
  LOG_UNAVAILABLE: 503,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  EVENT_REPLAYED: 409,
  AGENT_NOT_CONNECTED: 409,
  INTERNAL: 500,
};

/** A typed, client-facing error. Thrown anywhere; mapped to HTTP or a `call.error` frame in one place each. */
export class AppError<C extends ErrorCode = ErrorCode> extends Error {
  constructor(
    readonly code: C,
    message: string,
    readonly details?: ErrorDetailsOf<C>,
  ) {
    super(message);
    this.name = 'AppError';
  }

  get httpStatus(): number {
    return HTTP_STATUS[this.code];
  }

  toBody(): ErrorBody<C> {
    return (
      this.details === undefined ? { code: this.code, message: this.message } : { code: this.code, message: this.message, details: this.details }
    ) as ErrorBody<C>;
  }
}
