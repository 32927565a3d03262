import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** The shipped service-level policy with the complaint rule cut to `seconds`, so an item goes overdue within a test. */
export function shortComplaintPolicy(seconds: number): string {
  const policy = JSON.parse(fs.readFileSync(path.join(__dirname, '../../flows/follow-up/service-levels.json'), 'utf8'));
  policy.rules.find((r: { id: string }) => r.id === 'complaint').hours = seconds / 3600;
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'levels-')), 'service-levels.json');
  fs.writeFileSync(file, JSON.stringify(policy));
  return file;
}
