/**
 * The JSON shape of a blueprint file in `flows/` (docs/FLOWS.md). Pure data: behaviour is named, never inlined.
 * The format is shared with the web editor: its types are in protocol/flow-definition.d.ts; here are
 * the runtime lists of its unions (each member checked against its union).
 */
import type { Lane, Locale, Mark } from '../../protocol/flow-definition';

export type * from '../../protocol/flow-definition';

export const LOCALES = ['zh-CN', 'en'] as const satisfies readonly Locale[];
export const LANES = ['customer', 'frontstage', 'backstage', 'support'] as const satisfies readonly Lane[];
export const MARKS = ['W', 'F', 'D', 'C', 'M'] as const satisfies readonly Mark[];
