import { parse } from 'csv-parse/sync';

/** At most this many rows per import (the body limit bounds the text too). */
export const MAX_IMPORT_ROWS = 1000;

export interface CsvPerson {
  /** 1-based data row (the header is row 0). */
  row: number;
  username: string;
  role: string;
  password: string;
  team: string;
}

export type CsvRow = CsvPerson | { row: number; username: string; malformed: string };

const REQUIRED = ['username', 'role', 'password'] as const;

export class CsvHeaderProblem extends Error {}

/**
 * The people in an import: a header naming `username`, `role`, `password` and optionally `team`
 * (any order, any case), then one person per line. A line with the wrong number of fields is
 * reported as malformed on its own; the rest of the file still counts.
 */
export function csvPeople(text: string): CsvRow[] {
  let records: string[][];
  try {
    records = parse(text, { bom: true, skip_empty_lines: true, trim: true, relax_column_count: true, max_record_size: 4096 }) as string[][];
  } catch (e) {
    throw new CsvHeaderProblem(`not readable as CSV: ${(e as Error).message}`);
  }
  if (!records.length) throw new CsvHeaderProblem('empty: a header username,role,password[,team] is needed');
  const header = records[0].map((h) => h.toLowerCase());
  const missing = REQUIRED.filter((name) => !header.includes(name));
  if (missing.length) throw new CsvHeaderProblem(`the header lacks ${missing.join(', ')}`);
  const rows = records.slice(1);
  if (rows.length > MAX_IMPORT_ROWS) throw new CsvHeaderProblem(`more than ${MAX_IMPORT_ROWS} rows`);
  const at = (name: string) => header.indexOf(name);
  return rows.map((fields, i) => {
    const row = i + 1;
    const username = fields[at('username')] ?? '';
    if (fields.length !== header.length) return { row, username, malformed: `${fields.length} fields, the header has ${header.length}` };
    return { row, username, role: fields[at('role')].toLowerCase(), password: fields[at('password')], team: at('team') >= 0 ? fields[at('team')] : '' };
  });
}
