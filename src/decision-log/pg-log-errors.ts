import { AppError } from '../common/app-error';

/**
 * PostgreSQL SQLSTATE classes that say the store refuses writes rather than that one row is bad:
 * 08 connection exception, 53 insufficient resources (53100 disk full), 57P operator intervention
 * (shutdown, cannot connect now), 58 system error (I/O), 25006 read-only transaction (a standby),
 * XX internal error.
 */
const PG_STORE_FAILURE = /^(08|53|57P|58|25006|XX)/;
/** Node's socket errors while talking to the server. */
const SOCKET_FAILURE = /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND|EHOSTUNREACH|ENETUNREACH|EAI_AGAIN)$/;
/** `pg` raises these without a code when the connection goes away mid-query. */
const CONNECTION_LOST = /Connection terminated|connection timeout|Client has encountered a connection error/i;

/** The typed refusal for a write PostgreSQL could not take (LOG_UNAVAILABLE, 503), or null for any other error. */
export function pgLogUnavailable(error: unknown): AppError | null {
  const code = (error as { code?: unknown } | null)?.code;
  const message = (error as { message?: unknown } | null)?.message;
  const failed =
    (typeof code === 'string' && (PG_STORE_FAILURE.test(code) || SOCKET_FAILURE.test(code))) ||
    (code === undefined && typeof message === 'string' && CONNECTION_LOST.test(message));
  if (!failed) return null;
  const why = code === '53100' ? 'the disk is full' : code === '25006' ? 'the database is read-only' : 'the database is unreachable or failed';
  return new AppError(
    'LOG_UNAVAILABLE',
    `The decision log cannot be written (${why}): nothing was recorded and the call has not moved on. Try again shortly.`,
    { reason: typeof code === 'string' ? code : 'CONNECTION_LOST' },
  );
}
