/** One reason a draft flow version cannot be submitted (protocol/authoring.d.ts: findings are sent as they are). */
export type { Finding } from '../../../protocol/authoring';

/**
 * JSON path of a state, written like the loader's schema messages: `.warn` for identifier-like
 * ids, `['checking-password']` for ids with hyphens (not a valid dot segment in JSONPath).
 */
export const statePath = (id: string): string => (/^[A-Za-z_$][\w$]*$/.test(id) ? `$.machine.states.${id}` : `$.machine.states['${id}']`);
