/** One reason a draft flow version cannot be submitted for publishing. */
export interface Finding {
  /** Which check found it: `loader`, `reachability` or `policy`. */
  check: string;
  /** Only blocking findings exist for now; the field lets warnings be added without changing readers. */
  severity: 'error';
  /** JSON path into the flow file, e.g. `$.machine.states.warn` or `$.machine.states['checking-password']`. */
  path: string;
  message: string;
  /** The policy id, for `check: 'policy'`. */
  policy?: string;
  /** For path policies: state ids from the initial state to the offending state. */
  offendingPath?: string[];
}

/**
 * JSON path of a state, written like the loader's schema messages: `.warn` for identifier-like
 * ids, `['checking-password']` for ids with hyphens (not a valid dot segment in JSONPath).
 */
export const statePath = (id: string): string => (/^[A-Za-z_$][\w$]*$/.test(id) ? `$.machine.states.${id}` : `$.machine.states['${id}']`);
