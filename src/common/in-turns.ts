import DataLoader from 'dataloader';

/**
 * One batched lookup for every key asked in a turn of the event loop: `load(key)` answers from one call
 * of `batch` with all of that turn's keys (in the order asked; a key asked twice is there twice).
 *
 * A turn ends at `setImmediate`, not when the microtasks run out (DataLoader's default): each WebSocket
 * frame is handled in an I/O callback of its own, so the frames read together — a reconnecting
 * node's worth of attaches — would otherwise each be a batch of one. Nothing is cached: every load asks
 * the store.
 */
export function inTurns<K, V>(batch: (keys: readonly K[]) => Promise<readonly (V | Error)[]>): DataLoader<K, V> {
  return new DataLoader<K, V>(batch, { cache: false, batchScheduleFn: (run) => setImmediate(run) });
}
