import type { Finding } from '../../protocol/authoring';
import { toArray } from './flow-json';
import { sendsSms } from './registry/operation-effects';

/** JSON path of a state, as the loader and the authoring checks write it. */
const statePath = (id: string): string => (/^[A-Za-z_$][\w$]*$/.test(id) ? `$.machine.states.${id}` : `$.machine.states['${id}']`);

/**
 * "No promise without its act": a step whose script or prompts tell the caller something was done
 * (a work order raised, a transfer made, an SMS sent) must only be reachable along paths where that
 * operation ran and the back end accepted it (its invoke's `onDone` was taken). The claim is declared
 * on the step (`meta.claims`) or read from the words, so a flow cannot make it silently. A prompt
 * shown only when the back end's receipt says the SMS went out (`when` on `….sms.sent` equal to true)
 * guards itself and claims nothing.
 * Run when a supervisor's draft is checked for publishing (src/authoring) and over the flow files
 * at boot (loadFlowDirectory); not on stored versions, so calls on an old version still replay.
 */
export type Claim = 'work-order' | 'transfer' | 'sms';

/** The provisioning action that makes each claim true (an SMS: see `sendsSms`). */
const ACT_OF: Record<Claim, string> = { 'work-order': 'raise-work-order', transfer: 'transfer-desk', sms: 'an operation that sends the SMS' };

/** Words that announce a finished act (zh-CN is the text read out; en mirrors it). */
const WORDS: Record<Claim, RegExp[]> = {
  'work-order': [/已(?:为您|经)?提交(?:了)?工单/, /(?:ticket|work order)(?: \([^)]*\))? has been raised/i],
  transfer: [/已(?:为您)?转(?:至|到|入)?专席/, /transferred to a specialist desk/i],
  // "已…短信发送" / "短信已发送" / "并发送短信" announce it done; "将以短信发送" (will be sent) does not.
  sms: [/短信(?:已|已经)发(?:送|出)/, /已(?:通过|用|以)短信发(?:送|出)/, /并发送(?:了)?(?:\S{0,4})?短信/, /\bSMS (?:has been |was )?sent\b/i, /\bhas been sent by SMS\b/i, /\bSMS is sent\b/i],
};

type Json = Record<string, unknown>;
const isObject = (x: unknown): x is Json => typeof x === 'object' && x !== null && !Array.isArray(x);
const CLAIMS = Object.keys(ACT_OF) as Claim[];

const textsOf = (x: unknown): string[] => (isObject(x) ? Object.values(x).filter((t): t is string => typeof t === 'string') : []);

/** A condition that holds only when a back-end receipt says its SMS went out (anywhere in `any`/`all`). */
function guardsSms(when: unknown): boolean {
  if (!isObject(when)) return false;
  if (typeof when.fact === 'string' && /(?:^|\.)sms\.sent$/.test(when.fact) && when.eq === true) return true;
  return [...toArray(when.any), ...toArray(when.all)].some(guardsSms);
}

/** What a state's script and prompts (or its declared `meta.claims`) say has been done. */
export function claimsOf(node: Json): Claim[] {
  const meta = isObject(node.meta) ? node.meta : {};
  const declared = toArray(meta.claims).filter((c): c is Claim => CLAIMS.includes(c as Claim));
  const prompts = toArray(meta.prompts).filter(isObject);
  const said = (texts: string[], claims: Claim[]) => claims.filter((c) => texts.some((text) => WORDS[c].some((w) => w.test(text))));
  const fromScript = said(textsOf(meta.script), CLAIMS);
  const fromPrompts = prompts.flatMap((p) => said(textsOf(p.text), guardsSms(p.when) ? CLAIMS.filter((c) => c !== 'sms') : CLAIMS));
  return [...new Set([...declared, ...fromScript, ...fromPrompts])];
}

/** The claims an accepted reply of this invoke makes true. */
function actsOf(src: unknown, input: unknown): Claim[] {
  if (typeof src !== 'string') return [];
  const action = src === 'provision' && isObject(input) ? input.action : undefined;
  return CLAIMS.filter((c) => (c === 'sms' ? sendsSms(src, input) : ACT_OF[c] === action));
}

const targetsOf = (t: unknown): string[] =>
  toArray(t).flatMap((x) => (typeof x === 'string' ? [x] : isObject(x) && typeof x.target === 'string' ? [x.target] : []));

/** Edges of one state, each with the claims its taking makes true (an accepted invoke of the act). */
function edgesOf(node: Json): { to: string; acts: Claim[] }[] {
  const on = isObject(node.on) ? node.on : {};
  const after = isObject(node.after) ? node.after : {};
  const edges = [...Object.values(on), ...Object.values(after), node.always].flatMap(targetsOf).map((to) => ({ to, acts: [] as Claim[] }));
  for (const inv of toArray(node.invoke).filter(isObject)) {
    const acts = actsOf(inv.src, inv.input);
    edges.push(...targetsOf(inv.onDone).map((to) => ({ to, acts })), ...targetsOf(inv.onError).map((to) => ({ to, acts: [] as Claim[] })));
  }
  return edges;
}

/**
 * Walks (state, acts done so far) breadth first from the initial state over every transition
 * whatever its guard, and reports each claiming state first reached with a claimed act not done,
 * with the shortest such path. Pure: works on the unvalidated draft JSON.
 */
export function checkPromises(raw: unknown): Finding[] {
  const machine = isObject(raw) ? raw.machine : undefined;
  if (!isObject(machine) || !isObject(machine.states) || typeof machine.initial !== 'string') return [];
  const nodes = machine.states;
  const node = (id: string): Json | null => (isObject(nodes[id]) ? nodes[id] : null);
  if (!node(machine.initial)) return [];

  const key = (id: string, done: Claim[]) => `${id}|${[...done].sort().join(',')}`;
  const parent = new Map<string, string | null>([[key(machine.initial, []), null]]);
  const queue: [string, Claim[]][] = [[machine.initial, []]];
  const findings: Finding[] = [];
  const reported = new Set<string>();
  while (queue.length) {
    const [id, done] = queue.shift()!;
    const here = node(id)!;
    const missing = claimsOf(here).filter((c) => !done.includes(c));
    if (missing.length && !reported.has(id)) {
      reported.add(id);
      const path = pathTo(parent, key(id, done));
      findings.push({
        check: 'promises',
        severity: 'error',
        path: statePath(id),
        message: `'${id}' tells the caller ${missing.map((c) => `the ${c} is done`).join(' and ')}, but it can be reached without the back end accepting ${missing.map((c) => `'${ACT_OF[c]}'`).join(' / ')}, along ${path.join(' → ')}`,
        reason: { code: 'unkept-promise', step: id },
        offendingPath: path,
      });
    }
    for (const edge of edgesOf(here)) {
      if (!node(edge.to)) continue;
      const next = [...new Set([...done, ...edge.acts])];
      const k = key(edge.to, next);
      if (parent.has(k)) continue;
      parent.set(k, key(id, done));
      queue.push([edge.to, next]);
    }
  }
  return findings;
}

function pathTo(parent: Map<string, string | null>, end: string): string[] {
  const path: string[] = [];
  for (let k: string | null | undefined = end; k; k = parent.get(k)) path.unshift(k.slice(0, k.lastIndexOf('|')));
  return path;
}
