import type { Lane } from '../../../protocol/flow-definition.js';
import type { FlowJson } from './authoring-api.js';

/** The four blueprint lanes, top to bottom. */
export const LANES = ['customer', 'frontstage', 'backstage', 'support'] as const satisfies readonly Lane[];

export interface StepBox {
  id: string;
  lane: Lane;
  marks: string[];
  title: { 'zh-CN': string; en: string };
  final: boolean;
  initial: boolean;
  x: number;
  y: number;
}

export interface Edge {
  from: string;
  to: string;
  events: string[];
}

export interface LaneBand {
  lane: Lane;
  y: number;
  height: number;
  /** Which row of the wrapped blueprint (0 = the first columns). */
  segment: number;
}

export interface BlueprintLayout {
  steps: StepBox[];
  edges: Edge[];
  lanes: LaneBand[];
  width: number;
  height: number;
}

export const NODE_W = 150;
export const NODE_H = 70;
export const GUTTER = 120;
const ROW_GAP = 18;
const LANE_PAD = 16;
const COL_GAP = 14;
/**
 * The widest a blueprint is drawn: the editor's main column at a 1280 px window. A longer flow
 * wraps: its columns continue in another set of four lanes below (a segment), so every step is
 * seen without scrolling sideways. One width for every page, so the heat map draws the same.
 */
export const WRAP_WIDTH = 920;
const SEGMENT_GAP = 24;

interface ElkNode {
  id: string;
  x?: number;
  y?: number;
  width: number;
  height: number;
}
interface ElkGraph {
  id: string;
  layoutOptions: Record<string, string>;
  children: ElkNode[];
  edges: { id: string; sources: string[]; targets: string[] }[];
}
declare const ELK: new () => { layout(graph: ElkGraph): Promise<ElkGraph> };

let elkReady: Promise<void> | null = null;

/** Loads elkjs's browser bundle (served at /vendor/elkjs) once; it defines the global `ELK`. */
export function loadElk(): Promise<void> {
  elkReady ??= new Promise<void>((resolve, reject) => {
    if (typeof ELK !== 'undefined') return resolve();
    const script = document.createElement('script');
    script.src = '/vendor/elkjs/elk.bundled.js';
    script.onload = () => resolve();
    script.onerror = () => reject(new Error('elkjs did not load'));
    document.head.append(script);
  });
  return elkReady;
}

/** Every transition target of a state: `on`, `invoke.onDone/onError`, `after`, `always`. */
export function edgesOf(definition: FlowJson): Edge[] {
  const states: Record<string, FlowJson> = definition?.machine?.states ?? {};
  const byPair = new Map<string, Edge>();
  const add = (from: string, event: string, t: unknown): void => {
    for (const tr of Array.isArray(t) ? t : [t]) {
      const raw = typeof tr === 'string' ? tr : (tr as { target?: unknown } | null)?.target;
      for (const target of Array.isArray(raw) ? raw : [raw]) {
        if (typeof target !== 'string') continue;
        const to = target.replace(/^[#.]/, '');
        if (!(to in states)) continue;
        const key = `${from}→${to}`;
        const edge = byPair.get(key) ?? { from, to, events: [] };
        if (!edge.events.includes(event)) edge.events.push(event);
        byPair.set(key, edge);
      }
    }
  };
  for (const [id, state] of Object.entries(states)) {
    for (const [event, t] of Object.entries(state?.on ?? {})) add(id, event, t);
    if (state?.invoke) {
      add(id, 'done', state.invoke.onDone);
      add(id, 'error', state.invoke.onError);
    }
    for (const [delay, t] of Object.entries(state?.after ?? {})) add(id, `after ${delay}`, t);
    if (state?.always) add(id, 'always', state.always);
  }
  return [...byPair.values()];
}

function stepsOf(definition: FlowJson): Omit<StepBox, 'x' | 'y'>[] {
  const states: Record<string, FlowJson> = definition?.machine?.states ?? {};
  return Object.entries(states).map(([id, s]) => {
    const meta = s?.meta ?? {};
    const lane = (LANES as readonly string[]).includes(meta.lane) ? (meta.lane as Lane) : 'frontstage';
    return {
      id,
      lane,
      marks: Array.isArray(meta.marks) ? meta.marks.filter((m: unknown) => typeof m === 'string') : [],
      title: { 'zh-CN': String(meta.title?.['zh-CN'] ?? id), en: String(meta.title?.en ?? id) },
      final: s?.type === 'final',
      initial: definition.machine.initial === id,
    };
  });
}

/**
 * Lays the flow out left to right with elkjs (layered): ELK picks each step's column and the order
 * within it; the columns wrap into segments of WRAP_WIDTH; then each step is put in its lane's band
 * of its segment, stacked in rows where steps of one lane would overlap, so no two boxes ever overlap
 * and every step sits in its lane.
 */
export async function layoutBlueprint(definition: FlowJson): Promise<BlueprintLayout> {
  await loadElk();
  const steps = stepsOf(definition);
  const edges = edgesOf(definition);
  const graph: ElkGraph = {
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'RIGHT',
      'elk.layered.spacing.nodeNodeBetweenLayers': '40',
      'elk.spacing.nodeNode': '24',
      'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
    },
    children: steps.map((s) => ({ id: s.id, width: NODE_W, height: NODE_H })),
    edges: edges.filter((e) => e.from !== e.to).map((e, i) => ({ id: `e${i}`, sources: [e.from], targets: [e.to] })),
  };
  const laid = await new ELK().layout(graph);
  const pos = new Map(laid.children.map((n) => [n.id, { x: n.x ?? 0, y: n.y ?? 0 }]));

  // ELK's columns, left to right, cut into segments no wider than WRAP_WIDTH.
  const room = WRAP_WIDTH - GUTTER - 30;
  const segmentStart: number[] = [];
  const segmentOf = new Map<number, number>();
  for (const x of [...new Set([...pos.values()].map((p) => p.x))].sort((a, b) => a - b)) {
    const last = segmentStart.length - 1;
    if (last < 0 || x - segmentStart[last] + NODE_W > room) segmentStart.push(x);
    segmentOf.set(x, segmentStart.length - 1);
  }

  const placed: StepBox[] = [];
  const lanes: LaneBand[] = [];
  let top = 0;
  for (let segment = 0; segment < Math.max(1, segmentStart.length); segment++) {
    if (segment > 0) top += SEGMENT_GAP;
    for (const lane of LANES) {
      // Left to right, and top to bottom within a column as ELK ordered it: first fit into the
      // lowest free row packs the lane into as few rows as its busiest column needs.
      const inLane = steps
        .filter((s) => s.lane === lane && (segmentOf.get(pos.get(s.id)!.x) ?? 0) === segment)
        .map((s) => ({ ...s, ...pos.get(s.id)!, x: pos.get(s.id)!.x - (segmentStart[segment] ?? 0) }))
        .sort((a, b) => a.x - b.x || a.y - b.y);
      const rowsRight: number[] = [];
      for (const s of inLane) {
        let row = rowsRight.findIndex((right) => right + COL_GAP <= s.x);
        if (row < 0) row = rowsRight.push(-Infinity) - 1;
        rowsRight[row] = s.x + NODE_W;
        placed.push({ ...s, x: GUTTER + s.x, y: top + LANE_PAD + row * (NODE_H + ROW_GAP) });
      }
      const rows = Math.max(1, rowsRight.length);
      const height = LANE_PAD * 2 + rows * NODE_H + (rows - 1) * ROW_GAP;
      lanes.push({ lane, y: top, height, segment });
      top += height;
    }
  }
  const width = GUTTER + Math.max(NODE_W, ...placed.map((s) => s.x - GUTTER + NODE_W)) + 30;
  return { steps: placed, edges, lanes, width, height: top };
}
