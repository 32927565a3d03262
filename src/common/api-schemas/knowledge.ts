import type {
  Article,
  ArticleAuditEntry,
  ArticleStatus,
  QuickAnswer,
  QuickAnswerFacts,
  QuickAnswerLogged,
  QuickAnswers,
  SearchAccuracy,
  SearchHit,
  SearchKind,
  SearchReply,
  StepLink,
} from '../../../protocol/knowledge';
import type { LocalizedText } from '../../../protocol/flow-definition';
import { ArrayOf, DateTime, Enum, Int, LocalizedTextSchema, Num, Obj, Of, Str, Strs } from './fields';

const STATUSES: readonly ArticleStatus[] = ['draft', 'submitted', 'published', 'retired'];
const KINDS: readonly SearchKind[] = ['article', 'business', 'scenario'];

export class StepLinkSchema implements StepLink {
  @Str() flowId: string;
  @Str() stepId: string;
}

export class ArticleSchema implements Article {
  @Str() articleId: string;
  @Int({ minimum: 1 }) version: number;
  @Enum(STATUSES) status: ArticleStatus;
  @Of(() => LocalizedTextSchema) title: LocalizedText;
  @Of(() => LocalizedTextSchema, { description: 'Sanitized rich text (HTML)' }) body: LocalizedText;
  @Strs() tags: string[];
  @ArrayOf(() => StepLinkSchema) steps: StepLink[];
  @Strs() regions: string[];
  @DateTime({ nullable: true }) validFrom: string | null;
  @DateTime({ nullable: true }) validTo: string | null;
  @Str() createdBy: string;
  @DateTime() createdAt: string;
  @Str({ nullable: true }) approvedBy: string | null;
}

export class ArticleAuditEntrySchema implements ArticleAuditEntry {
  @Int() id: number;
  @Str() articleId: string;
  @Int() version: number;
  @Enum(['create', 'edit', 'submit', 'approve', 'reject', 'retire']) action: ArticleAuditEntry['action'];
  @Str() actor: string;
  @DateTime() at: string;
  @Obj() detail: Record<string, unknown>;
}

export class SearchHitSchema implements SearchHit {
  @Enum(KINDS) kind: SearchKind;
  @Str() id: string;
  @Str() title: string;
  @Str() snippet: string;
  @Num() score: number;
}

export class SearchReplySchema implements SearchReply {
  @Int() searchId: number;
  @ArrayOf(() => SearchHitSchema) hits: SearchHit[];
}

export class SearchPickReplySchema {
  @Int({ nullable: true, description: '1-based place of the pick among the hits (null: not among them)' }) rank: number | null;
}

export class SearchAccuracySchema implements SearchAccuracy {
  @Int() searches: number;
  @Int() picked: number;
  @Int() pickedInTop3: number;
  @Num({ nullable: true }) top3Rate: number | null;
}

export class QuickAnswerSchema implements QuickAnswer {
  @Str() id: string;
  @Of(() => LocalizedTextSchema) question: LocalizedText;
  @Obj({
    nullable: true,
    description: 'What to tell the caller, by kind (protocol/knowledge.d.ts QuickAnswerFacts); null: the back end did not answer in time',
  })
  facts: QuickAnswerFacts | null;
}

export class QuickAnswersSchema implements QuickAnswers {
  @Str() msisdn: string;
  @ArrayOf(() => QuickAnswerSchema) answers: QuickAnswer[];
}

export class QuickAnswerLoggedSchema implements QuickAnswerLogged {
  @Int() seq: number;
  @Of(() => QuickAnswerSchema) answer: QuickAnswer;
}
