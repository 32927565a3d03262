/** Knowledge articles and the agent screen's one search box (docs/PROTOCOL.md). */
import type { LocalizedText } from './flow-definition';
import type { LocalizedName } from './customers';

export type ArticleStatus = 'draft' | 'submitted' | 'published' | 'retired';

/** A step an article belongs to: the business (flow id) and the step id in it. */
export interface StepLink {
  flowId: string;
  stepId: string;
}

export interface ArticleRequest {
  title: LocalizedText;
  /** Rich text per locale; sanitized on the server (an allow-list of tags), never rendered raw. */
  body: LocalizedText;
  tags: string[];
  steps: StepLink[];
  /** Regions it applies to; empty: everywhere. */
  regions: string[];
  validFrom?: string | null;
  validTo?: string | null;
}

export interface Article {
  articleId: string;
  version: number;
  status: ArticleStatus;
  title: LocalizedText;
  body: LocalizedText;
  tags: string[];
  steps: StepLink[];
  regions: string[];
  validFrom: string | null;
  validTo: string | null;
  createdBy: string;
  createdAt: string;
  approvedBy: string | null;
}

export interface ArticleAuditEntry {
  id: number;
  articleId: string;
  version: number;
  action: 'create' | 'edit' | 'submit' | 'approve' | 'reject' | 'retire';
  actor: string;
  at: string;
  detail: Record<string, unknown>;
}

export type SearchKind = 'article' | 'business' | 'scenario';

export interface SearchHit {
  kind: SearchKind;
  /** Article id, or flow id for a business / scenario. */
  id: string;
  title: string;
  snippet: string;
  score: number;
}

export interface SearchReply {
  searchId: number;
  hits: SearchHit[];
}

export interface SearchPickRequest {
  kind: SearchKind;
  id: string;
}

export interface SearchAccuracy {
  searches: number;
  picked: number;
  pickedInTop3: number;
  /** pickedInTop3 / picked (null: nothing picked yet). */
  top3Rate: number | null;
}

/**
 * What a scenario answer tells the caller (docs/KNOWLEDGE.md §Scenario answers), worked out from one
 * back-end query's reply; the screen words it in its language. Names (bill items, plans) come as the
 * support systems give them (`LocalizedName`).
 */
export type QuickAnswerFacts =
  | {
      kind: 'bill-rise';
      month: string;
      totalYuan: number;
      previousMonth: string | null;
      previousTotalYuan: number | null;
      /** Items of the newest bill that rose (or are new) against the one before, largest rise first. */
      rises: { name: LocalizedName; yuan: number; previousYuan: number; riseYuan: number }[];
    }
  | { kind: 'services-list'; services: string[] }
  | { kind: 'plan-summary'; name: LocalizedName; monthlyYuan: number }
  | { kind: 'points-balance'; points: number }
  | { kind: 'balance'; balanceYuan: number; arrearsYuan: number }
  | {
      kind: 'data-remaining';
      /** This month's totals over every allowance; `overMb` is use beyond an allowance (billed per MB). */
      remainingMb: number;
      allowanceMb: number;
      usedMb: number;
      overMb: number;
      packs: { name: LocalizedName; allowanceMb: number; usedMb: number; remainingMb: number }[];
    };

/** One quick answer at the screen pop: the question, and its facts (null: the back end did not answer in time). */
export interface QuickAnswer {
  id: string;
  question: LocalizedText;
  facts: QuickAnswerFacts | null;
}

/** `GET /api/knowledge/quick-answers?msisdn=`: the caller's quick answers, read from the back end now. */
export interface QuickAnswers {
  msisdn: string;
  answers: QuickAnswer[];
}

/** `POST /api/calls/:id/quick-answers`: the agent told the caller this answer (logged as a `quick.answer` call event). */
export interface QuickAnswerTold {
  answerId: string;
}

/** The reply: the logged event's seq and the answer as told (from the back-end reply recorded with it). */
export interface QuickAnswerLogged {
  seq: number;
  answer: QuickAnswer;
}
