import type { SurveyChannel } from '../../protocol/satisfaction';
import type { CallFacts } from '../metrics/call-facts';

/** A survey reply already matched to its call (the row src/satisfaction stores). */
export interface SyntheticReply {
  messageId: string;
  channel: SurveyChannel;
  callerNumber: string;
  answer: string;
  repliedAt: string;
  callId: string;
  rating: number;
}

/** Deterministic replies: 6 calls in 10 rated, a quarter of those twice; SMS 7 in 10, ratings 1–5 evenly. */
export function syntheticReplies(calls: CallFacts[], seed: number): SyntheticReply[] {
  let s = seed;
  const rnd = () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const replies: SyntheticReply[] = [];
  for (const [i, c] of calls.entries()) {
    if (rnd() < 0.4) continue;
    for (let k = rnd() < 0.25 ? 2 : 1; k > 0; k--) {
      const channel: SurveyChannel = rnd() < 0.7 ? 'sms' : 'ivr';
      const rating = 1 + Math.floor(rnd() * 5);
      replies.push({
        messageId: `m-${i}-${k}`,
        channel,
        callerNumber: c.call.callerNumber,
        answer: String(rating),
        repliedAt: c.call.startedAt,
        callId: c.call.callId,
        rating,
      });
    }
  }
  return replies;
}
