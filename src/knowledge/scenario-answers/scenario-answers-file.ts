import * as fs from 'node:fs';
import type { LocalizedText } from '../../../protocol/flow-definition';
import { ACCOUNT_QUERIES, type AccountQuery } from '../../backend/backend.port';
import { ANSWER_RENDERERS } from './answer-renderers';

/** One question answered from the caller's data (flows/knowledge/scenario-answers.json). */
export interface ScenarioAnswerSpec {
  id: string;
  question: LocalizedText;
  /** The back-end query it reads (BackendPort.queryAccount). */
  query: AccountQuery;
  /** The named renderer (answer-renderers.ts). */
  render: string;
}

const ID = /^[a-z0-9][a-z0-9-]{0,63}$/;

/** Reads and checks the file: a bad one stops the boot (like a bad flow file), naming the JSON path. */
export function loadScenarioAnswers(file: string): ScenarioAnswerSpec[] {
  const fail = (where: string, problem: string): never => {
    throw new Error(`${file}: ${where}: ${problem}`);
  };
  let doc: unknown;
  try {
    doc = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    return fail('$', `not readable JSON (${(e as Error).message})`);
  }
  const answers = (doc as { answers?: unknown }).answers;
  if (!Array.isArray(answers)) return fail('$.answers', 'must be an array');
  const seen = new Set<string>();
  return answers.map((a: Record<string, unknown>, i) => {
    const at = `$.answers[${i}]`;
    if (typeof a.id !== 'string' || !ID.test(a.id)) fail(`${at}.id`, 'must be an id (a-z, 0-9, -)');
    if (seen.has(a.id as string)) fail(`${at}.id`, `'${String(a.id)}' twice`);
    seen.add(a.id as string);
    const q = a.question as Record<string, unknown> | undefined;
    if (typeof q?.['zh-CN'] !== 'string' || typeof q?.en !== 'string' || !q['zh-CN'] || !q.en) fail(`${at}.question`, 'needs zh-CN and en');
    if (!ACCOUNT_QUERIES.includes(a.query as AccountQuery)) fail(`${at}.query`, `must be one of ${ACCOUNT_QUERIES.join(', ')}`);
    if (typeof a.render !== 'string' || !(a.render in ANSWER_RENDERERS)) fail(`${at}.render`, `must be one of ${Object.keys(ANSWER_RENDERERS).join(', ')}`);
    return { id: a.id as string, question: q as unknown as LocalizedText, query: a.query as AccountQuery, render: a.render as string };
  });
}
