import { Transform } from 'class-transformer';
import { IsInt, IsNumber, Max, Min } from 'class-validator';
import { IntegrationSettings } from './integration-settings';
import { toInt } from './store-settings';

const toNumber = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : Number(value));

/**
 * What one signed-in user may make the server do (AppConfig extends this: validated with it at boot):
 * frame sizes and rates, sockets, call length, calls per agent, identity checks per subscriber.
 * docs/RELIABILITY.md "Hostile input" says why each bound exists.
 */
export class AbuseLimits extends IntegrationSettings {
  /** Largest WebSocket frame accepted; a larger one closes the connection with 1009 (message too big). */
  @Transform(toInt)
  @IsInt()
  @Min(1024)
  @Max(16 * 1024 * 1024)
  WS_MAX_FRAME_BYTES = 64 * 1024;

  /**
   * WebSocket token buckets: frames per second and burst, per connection and per user (all of a
   * user's tabs together). An agent decides about once a second; a frame over the limit is answered
   * `RATE_LIMITED`. 0 turns a limit off (e.g. a load test where one login stands in for many agents).
   */
  @Transform(toNumber)
  @IsNumber()
  @Min(0)
  @Max(100_000)
  WS_RATE_PER_CONNECTION = 20;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  WS_BURST_PER_CONNECTION = 40;

  @Transform(toNumber)
  @IsNumber()
  @Min(0)
  @Max(100_000)
  WS_RATE_PER_USER = 50;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  WS_BURST_PER_USER = 150;

  /** A connection that keeps sending while limited is closed (1008) after this many refused frames (one is forgiven per second). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  WS_FLOOD_CLOSE_AFTER = 100;

  /** Open WebSockets one user may hold on this node; the handshake of one more answers 429. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10_000)
  WS_MAX_CONNECTIONS_PER_USER = 20;

  /**
   * The longest call, in logged events: past it an agent's decisions are refused (CALL_TOO_LONG) and
   * only hanging up remains. A real call has tens; a call looped on purpose would make every rebuild,
   * replay and end-of-call check of it cost without bound.
   */
  @Transform(toInt)
  @IsInt()
  @Min(20)
  @Max(100_000)
  MAX_CALL_EVENTS = 1_000;

  /** Calls one agent may have in progress on a node; one more `call.start` answers TOO_MANY_CALLS. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100_000)
  MAX_LIVE_CALLS_PER_AGENT = 10;

  /** Identity checks of one subscriber that may fail, across all calls, before checks are locked for VERIFY_LOCK_SECONDS. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  VERIFY_MAX_FAILURES_PER_SUBSCRIBER = 5;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(30 * 86_400)
  VERIFY_LOCK_SECONDS = 3_600;
}
