/** Render timing, exposed for the browser tests and for anyone looking in devtools: `window.__laihua.renders`. */
export interface RenderSample {
  step: string;
  /** From the frame's arrival to the end of building the DOM for it. */
  renderMs: number;
  /** From the frame's arrival to the next animation frame, i.e. when it can be on screen. */
  frameMs?: number;
}

const renders: RenderSample[] = [];

export function recordRender(step: string, receivedAt: number): void {
  const sample: RenderSample = { step, renderMs: performance.now() - receivedAt };
  renders.push(sample);
  requestAnimationFrame(() => (sample.frameMs = performance.now() - receivedAt));
}

export const renderTiming = { renders };
