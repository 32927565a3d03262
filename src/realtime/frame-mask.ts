import type { WebSocket } from 'ws';

/** What the patch reads of `ws`'s receiver (lib/receiver.js in ws 8): the mask of the frame it read last. */
interface ReceiverInternals {
  _mask?: unknown;
}

/**
 * Lets go of the 4-byte mask `ws` keeps from a connection's last frame. The receiver keeps it as a view
 * of the TCP chunk the frame came in, until the connection's next frame: for an agent deciding every
 * few seconds that view and the chunk's buffer outlive two young-generation collections, and every
 * frame's copy is promoted to the old generation for the next mark-compact to find dead (~7 % of the
 * bytes the server promoted at target 1's load; docs/PERFORMANCE.md, thirtieth session). An idle
 * connection held its last chunk for as long as it stayed open. The mask is needed only while the
 * frame's payload is unmasked, which is done before `ws` emits the message, so this runs from the
 * message listener. Does nothing where the receiver has no mask (frame-mask.spec.ts checks that `ws`
 * still keeps it under this name).
 */
export function releaseFrameMask(client: WebSocket): void {
  const receiver = (client as unknown as { _receiver?: ReceiverInternals })._receiver;
  if (receiver?._mask !== undefined) receiver._mask = undefined;
}
