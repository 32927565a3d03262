/** A diff is what `GET /api/authoring/flows/:flowId/diff` answers: its types are in protocol/authoring.d.ts. */
export type { Change, ChangeKind, FlowDiff } from '../../../protocol/authoring';
