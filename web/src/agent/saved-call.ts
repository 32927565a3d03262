import type { CallView } from '../../../protocol/call-view.js';
import type { OfferSeen } from './summary.js';

/** The call in progress, kept for the tab's session: a reload or a reconnect re-attaches to it. */
export interface SavedCall {
  callId: string;
  callerNumber: string;
  flowId: string;
  /** Offers shown during the call (the summary lists them). */
  offersSeen: OfferSeen[];
  /** `flowId/stepId` of every step shown (the progress strip marks them done). */
  visited: string[];
}

const CALL_KEY = 'laihua.call';

export const loadSavedCall = (): SavedCall | null => JSON.parse(sessionStorage.getItem(CALL_KEY) ?? 'null');

export function saveCall(call: SavedCall): void {
  sessionStorage.setItem(CALL_KEY, JSON.stringify(call));
}

export function forgetSavedCall(): void {
  sessionStorage.removeItem(CALL_KEY);
}

/** Notes the step and the offers a view shows. */
export function noteView(call: SavedCall, view: CallView): void {
  const visitedKey = `${view.flow.id}/${view.step.id}`;
  if (!call.visited.includes(visitedKey)) call.visited.push(visitedKey);
  for (const offer of view.step.offers ?? []) if (!call.offersSeen.some((o) => o.id === offer.id)) call.offersSeen.push({ id: offer.id, title: offer.title });
  saveCall(call);
}

/** The steps of one flow the call has shown. */
export const visitedIn = (call: SavedCall | null, flowId: string): Set<string> =>
  new Set((call?.visited ?? []).filter((k) => k.startsWith(`${flowId}/`)).map((k) => k.slice(flowId.length + 1)));
