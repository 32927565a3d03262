/** Knowledge articles and the agent screen's one search box (docs/PROTOCOL.md). */
import type { LocalizedText } from './flow-definition';

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
