// The benches' command lines, on node:util parseArgs: each bench declares its options once
// (name → kind, default, the key it lands under) and gets checked numbers and split lists back.

import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

/**
 * Kinds: 'int' and 'number' (non-negative; int is floored), 'ints' and 'list' (comma-separated),
 * 'path' (resolved), 'string', 'flag' (boolean), 'repeat' (a string option that may be given several times).
 */
const convert = (flag, kind, raw) => {
  const num = (v) => {
    const n = Number(v);
    if (v === undefined || v === '' || !Number.isFinite(n) || n < 0) throw new Error(`${flag} needs a non-negative number, got ${v}`);
    return n;
  };
  const items = () =>
    String(raw)
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  switch (kind) {
    case 'int':
      return Math.floor(num(raw));
    case 'number':
      return num(raw);
    case 'ints':
      return items().map((s) => Math.floor(num(s)));
    case 'list':
      return items();
    case 'path':
      return path.resolve(String(raw));
    default:
      return raw;
  }
};

const camel = (name) => name.replace(/-([a-z])/g, (_, c) => c.toUpperCase());

/**
 * Reads `argv` (`--name value` or `--name=value`) against `spec` ({ name: { kind, default, key? } }):
 * an object keyed by `key` (default: the name in camelCase), defaults filled in. `-h`/`--help` prints
 * `usage` and exits; an unknown option or a bad value throws with `usage` appended.
 */
export function readOptions(argv, spec, usage) {
  const options = { help: { type: 'boolean', short: 'h' } };
  for (const [name, s] of Object.entries(spec)) {
    options[name] = { type: s.kind === 'flag' ? 'boolean' : 'string', ...(s.kind === 'repeat' ? { multiple: true } : {}) };
  }
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options, strict: true, allowPositionals: false }));
  } catch (e) {
    throw new Error(`${e.message}\n${usage}`, { cause: e });
  }
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  const out = {};
  for (const [name, s] of Object.entries(spec)) {
    const raw = values[name];
    const fallback = s.kind === 'repeat' ? [] : s.kind === 'flag' ? false : null;
    out[s.key ?? camel(name)] = raw === undefined ? (s.default ?? fallback) : convert(`--${name}`, s.kind, raw);
  }
  return out;
}

/**
 * A bench's options from this process's command line through `parse`, or the problem on stderr and
 * exit 2 — also when the server entry it would start (`opts.server`) is not built (`buildHint` says how).
 */
export function optionsOrExit(parse, buildHint) {
  let opts;
  try {
    opts = parse(process.argv.slice(2));
  } catch (e) {
    console.error(e.message);
    process.exit(2);
  }
  if (!existsSync(opts.server)) {
    console.error(`${opts.server} not found: build first (${buildHint})`);
    process.exit(2);
  }
  return opts;
}
