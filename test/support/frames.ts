/** The frames of the WebSocket protocol as the tests read them, and helpers that check and describe them. */

export interface Frame<D = any> {
  event: string;
  data: D;
}

export interface StepView {
  id: string;
  title?: string;
  script?: string;
  rules?: any[];
  prompts?: any[];
  offers?: any[];
  options?: any[];
  [key: string]: any;
}

export interface ViewData {
  requestId?: string | null;
  callId: string;
  seq: number;
  status: string;
  outcome?: string | null;
  outcomeDetail?: any;
  step: StepView;
  [key: string]: any;
}

export interface ErrorData {
  requestId?: string | null;
  code: string;
  message?: string;
  details?: unknown;
  [key: string]: any;
}

export type ViewFrame = Frame<ViewData>;
export type ErrorFrame = Frame<ErrorData>;

/** A short, readable summary of a frame for error messages. */
export function summarise(f: Frame): unknown {
  if (f && f.event === 'call.view' && f.data && typeof f.data === 'object') {
    const d = f.data as ViewData;
    return {
      event: f.event,
      requestId: d.requestId,
      callId: d.callId,
      seq: d.seq,
      status: d.status,
      outcome: d.outcome,
      step: d.step?.id,
      options: optionIdsOf(d.step),
    };
  }
  return f;
}

function optionIdsOf(step: StepView | undefined): unknown {
  if (!step || !Array.isArray(step.options)) return step?.options;
  return step.options.map((o: any) => (typeof o === 'string' ? o : o?.id));
}

/** The ids of a view's options (options are {id, label, ...}; plain strings accepted too). */
export function optionIds(view: ViewFrame): string[] {
  const ids = optionIdsOf(view.data.step);
  if (!Array.isArray(ids)) throw new Error(`view has no options array: ${JSON.stringify(view.data.step)}`);
  return ids as string[];
}

export function describeFrame(f: Frame): string {
  return JSON.stringify(f, null, 1).slice(0, 4000);
}

/** Expect a call.view frame (fails with the frame received otherwise). */
export function asView(f: Frame, context = ''): ViewFrame {
  if (f.event !== 'call.view') {
    throw new Error(`${context ? `${context}: ` : ''}expected call.view, got ${describeFrame(f)}`);
  }
  return f as ViewFrame;
}

/** Expect a call.error frame with the given code. */
export function expectError(f: Frame, code: string, context = ''): ErrorFrame {
  if (f.event !== 'call.error' || f.data?.code !== code) {
    throw new Error(`${context ? `${context}: ` : ''}expected call.error ${code}, got ${describeFrame(f)}`);
  }
  return f as ErrorFrame;
}
