import type { Finding } from '../../../protocol/authoring.js';
import { locale, pick } from '../app/i18n.js';
import { et } from './editor-i18n.js';
import type { FlowJson } from './authoring-api.js';
import { type BlueprintLayout, type StepBox, layoutBlueprint, NODE_H, NODE_W } from './blueprint-layout.js';

const NS = 'http://www.w3.org/2000/svg';
const LANE_NAMES: Record<string, { 'zh-CN': string; en: string }> = {
  customer: { 'zh-CN': '客户', en: 'Customer' },
  frontstage: { 'zh-CN': '前台', en: 'Frontstage' },
  backstage: { 'zh-CN': '后台', en: 'Backstage' },
  support: { 'zh-CN': '支持系统', en: 'Support' },
};

/** What moves a call on by itself (an edge that is not an option the agent clicks). */
const AUTO: Record<'done' | 'error' | 'after' | 'always' | 'other', { 'zh-CN': string; en: string }> = {
  done: { 'zh-CN': '系统答复', en: 'back end answered' },
  error: { 'zh-CN': '系统出错', en: 'back end failed' },
  after: { 'zh-CN': '超时', en: 'timed out' },
  always: { 'zh-CN': '自动', en: 'automatically' },
  other: { 'zh-CN': '其他事件', en: 'another event' },
};

function s<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number> = {}, ...children: (Node | string)[]): SVGElementTagNameMap[K] {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  el.append(...children);
  return el;
}

/** Splits a title into at most two lines that fit the box (CJK characters are twice as wide). */
function wrap(text: string, max = 20): string[] {
  const width = (c: string) => (/[\u2e80-\uffff]/.test(c) ? 2 : 1);
  const lines: string[] = [];
  let line = '';
  let w = 0;
  for (const word of text.split(/(?<=[\s—-])|(?=[\u2e80-\uffff])/)) {
    const ww = [...word].reduce((n, c) => n + width(c), 0);
    if (w + ww > max && line) {
      lines.push(line.trim());
      line = '';
      w = 0;
    }
    line += word;
    w += ww;
  }
  if (line.trim()) lines.push(line.trim());
  if (lines.length > 2) return [lines[0], `${lines[1]}…`];
  return lines;
}

function stepBox(step: StepBox, selected: boolean, offending: boolean, onSelect: (id: string) => void): SVGGElement {
  const title = step.title[locale()];
  const g = s(
    'g',
    {
      'data-testid': 'bp-step',
      'data-step-id': step.id,
      'data-lane': step.lane,
      transform: `translate(${step.x},${step.y})`,
      class: `bp-step${selected ? ' selected' : ''}${offending ? ' offending' : ''}${step.final ? ' final' : ''}`,
      tabindex: 0,
      role: 'button',
    },
    s('title', {}, title),
    s('rect', { width: NODE_W, height: NODE_H, rx: step.final ? 16 : 6, class: 'bp-box' }),
  );
  step.marks.forEach((mark, i) =>
    g.append(
      s(
        'g',
        { 'data-mark': mark, class: `bp-mark mark-${mark.toLowerCase()}`, transform: `translate(${8 + i * 22},6)` },
        s('rect', { width: 18, height: 16, rx: 3 }),
        s('text', { x: 9, y: 12, 'text-anchor': 'middle' }, mark),
      ),
    ),
  );
  if (step.initial) g.append(s('text', { x: NODE_W - 8, y: 17, 'text-anchor': 'end', class: 'bp-initial' }, '▶'));
  wrap(title).forEach((line, i) => g.append(s('text', { x: 8, y: 38 + i * 14, class: 'bp-title' }, line)));
  g.addEventListener('click', () => onSelect(step.id));
  g.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      onSelect(step.id);
    }
  });
  return g;
}

function edgePath(from: StepBox, to: StepBox): string {
  if (to.x > from.x + NODE_W / 2) {
    const [sx, sy, tx, ty] = [from.x + NODE_W, from.y + NODE_H / 2, to.x, to.y + NODE_H / 2];
    const dx = Math.max(30, (tx - sx) / 2);
    return `M${sx},${sy} C${sx + dx},${sy} ${tx - dx},${ty} ${tx},${ty}`;
  }
  // Backwards or in the same column: leave from the bottom, come in from below.
  const [sx, sy, tx, ty] = [from.x + NODE_W / 2 + 10, from.y + NODE_H, to.x + NODE_W / 2 - 10, to.y + NODE_H];
  const dip = Math.max(sy, ty) + 28;
  return `M${sx},${sy} C${sx},${dip} ${tx},${dip} ${tx},${ty}`;
}

export interface BlueprintOptions {
  selected?: string | null;
  findings?: Finding[];
  onSelect?: (stepId: string) => void;
  /** Called with each step's box once drawn: other pages (the heat map) colour and label the same drawing. */
  decorate?: (step: StepBox, box: SVGGElement) => void;
}

/** The version as a service blueprint: four lanes, steps with WFDCM badges, arrows for transitions. */
export async function renderBlueprint(definition: FlowJson, opts: BlueprintOptions): Promise<SVGSVGElement> {
  const layout: BlueprintLayout = await layoutBlueprint(definition);
  const findings = opts.findings ?? [];
  const offendingSteps = new Set(findings.flatMap((f) => f.offendingPath ?? []));
  const offendingEdges = new Set(findings.flatMap((f) => (f.offendingPath ?? []).slice(1).map((to, i) => `${f.offendingPath![i]}→${to}`)));
  const byId = new Map(layout.steps.map((st) => [st.id, st]));
  const svg = s(
    'svg',
    {
      'data-testid': 'blueprint',
      class: 'blueprint',
      width: layout.width,
      height: layout.height + 30,
      viewBox: `0 0 ${layout.width} ${layout.height + 30}`,
      // A group, not an img: an image's parts are hidden from assistive technology, and its steps are buttons.
      role: 'group',
      'aria-label': et('blueprintOf', { flow: pick(definition.title) || String(definition.id ?? '') }),
    },
    s(
      'defs',
      {},
      s(
        'marker',
        { id: 'bp-arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' },
        s('path', { d: 'M0,0 L10,5 L0,10 z', class: 'bp-arrowhead' }),
      ),
      s(
        'marker',
        { id: 'bp-arrow-bad', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' },
        s('path', { d: 'M0,0 L10,5 L0,10 z', class: 'bp-arrowhead bad' }),
      ),
    ),
  );
  // One group per lane, with a band in each segment of a wrapped blueprint.
  for (const lane of new Set(layout.lanes.map((b) => b.lane))) {
    const group = s('g', { 'data-testid': 'bp-lane', 'data-lane': lane, class: `bp-lane lane-${lane}` });
    for (const band of layout.lanes.filter((b) => b.lane === lane)) {
      group.append(
        s('rect', { x: 0, y: band.y, width: layout.width, height: band.height }),
        s('text', { x: 10, y: band.y + band.height / 2 + 4, class: 'bp-lane-name' }, LANE_NAMES[lane][locale()]),
      );
    }
    svg.append(group);
  }
  // An edge's events by what the agent clicks (the option's label), or what happens by itself.
  const states: Record<string, FlowJson> = definition?.machine?.states ?? {};
  const optionLabel = new Map<string, string>();
  for (const st of Object.values(states))
    for (const o of Array.isArray(st?.meta?.options) ? st.meta.options : []) if (o?.event && o?.label?.[locale()]) optionLabel.set(o.event, o.label[locale()]);
  const eventName = (event: string) =>
    optionLabel.get(event) ??
    (event === 'done' ? AUTO.done : event === 'error' ? AUTO.error : event.startsWith('after ') ? AUTO.after : event === 'always' ? AUTO.always : AUTO.other)[
      locale()
    ];
  const edgeLayer = s('g', { class: 'bp-edges' });
  for (const e of layout.edges) {
    const from = byId.get(e.from);
    const to = byId.get(e.to);
    if (!from || !to) continue;
    const bad = offendingEdges.has(`${e.from}→${e.to}`);
    const d =
      e.from === e.to
        ? `M${from.x + NODE_W - 30},${from.y} C${from.x + NODE_W - 30},${from.y - 26} ${from.x + NODE_W + 10},${from.y - 26} ${from.x + NODE_W},${from.y + 14}`
        : edgePath(from, to);
    edgeLayer.append(
      s(
        'path',
        {
          'data-testid': 'bp-edge',
          'data-from': e.from,
          'data-to': e.to,
          d,
          class: `bp-edge${bad ? ' offending' : ''}`,
          'marker-end': `url(#${bad ? 'bp-arrow-bad' : 'bp-arrow'})`,
        },
        s('title', {}, `${from.title[locale()]} → ${to.title[locale()]}: ${[...new Set(e.events.map(eventName))].join(locale() === 'zh-CN' ? '、' : ', ')}`),
      ),
    );
  }
  svg.append(edgeLayer);
  for (const st of layout.steps) {
    const box = stepBox(st, st.id === opts.selected, offendingSteps.has(st.id), opts.onSelect ?? (() => undefined));
    opts.decorate?.(st, box);
    svg.append(box);
  }
  return svg;
}
