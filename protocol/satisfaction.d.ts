/**
 * Satisfaction (issue 21 item 2, docs/SATISFACTION.md): the SMS gateway's replies to the hang-up's
 * satisfaction SMS and the IVR's post-call survey answers, both on the signed
 * `POST /api/satisfaction/replies`, and the satisfaction figures `GET /api/metrics/satisfaction`.
 */

/** Where the answer came from: a reply to the satisfaction SMS, or keys pressed in the IVR's post-call survey. */
export type SurveyChannel = 'sms' | 'ivr';

export interface SurveyReply {
  /** The gateway's (or IVR's) id of this reply: a second delivery of the same id is refused (EVENT_REPLAYED). */
  messageId: string;
  channel: SurveyChannel;
  /** The number the answer came from (5–20 digits): the caller. */
  callerNumber: string;
  /**
   * sms: the message id the hang-up step's satisfaction SMS was sent with (the call's
   * `outcomeDetail.sms.messageId`) — the reply is matched to exactly that call. Absent: the
   * caller's latest call that ended within the channel's window before the reply.
   */
  reference?: string;
  /** The reply text or the keys pressed; its first digit 1–5 is the rating (5 = very satisfied). */
  answer: string;
  /** When the caller answered (ISO date-time); the reply is matched against calls that ended before it. */
  repliedAt: string;
}

export interface SurveyReplyAck {
  messageId: string;
  channel: SurveyChannel;
  callId: string;
  rating: number;
}

/** Replies and ratings of a group of calls. */
export interface SatisfactionFigures {
  replies: number;
  /** Mean rating 1–5, 2 decimals; null without replies. */
  averageRating: number | null;
  /** Share of replies rated 4 or 5, 4 decimals; null without replies. */
  satisfiedRate: number | null;
}

export interface BusinessSatisfaction extends SatisfactionFigures {
  flowId: string;
}
export interface VersionSatisfaction extends SatisfactionFigures {
  flowId: string;
  version: number;
}
export interface AgentSatisfaction extends SatisfactionFigures {
  agentId: string;
}
/** The steps one business went through in a rated call, in order (each step once per visit). */
export interface StepPathSatisfaction extends SatisfactionFigures {
  flowId: string;
  path: string[];
}

export interface SatisfactionReport {
  total: SatisfactionFigures;
  byChannel: (SatisfactionFigures & { channel: SurveyChannel })[];
  byBusiness: BusinessSatisfaction[];
  byVersion: VersionSatisfaction[];
  byAgent: AgentSatisfaction[];
  byStepPath: StepPathSatisfaction[];
}
