/** A small tmpfs as a server's DATA_DIR: the disk-full tests fill it until SQLite refuses writes. */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const run = (cmd: string, args: string[]) => execFileSync(cmd, args, { stdio: 'pipe' });

/** Why this process cannot mount a tmpfs (root with CAP_SYS_ADMIN is needed), or null when it can. */
export function canMountTmpfs(): string | null {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'laihua-mount-probe-'));
  try {
    run('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir]);
    run('umount', [dir]);
    return null;
  } catch (e) {
    return `cannot mount a tmpfs here (${(e as Error).message.split('\n')[0]})`;
  } finally {
    fs.rmdirSync(dir);
  }
}

/** A fresh directory with a `sizeMb` tmpfs mounted on it; the unmount and removal are pushed onto `undo` (run in reverse). */
export function tmpfsDataDir(prefix: string, sizeMb: number, undo: (() => void)[]): string {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  run('mount', ['-t', 'tmpfs', '-o', `size=${sizeMb}m`, 'tmpfs', dataDir]);
  undo.push(
    () => fs.rmdirSync(dataDir),
    () => run('umount', ['-l', dataDir]),
  );
  return dataDir;
}
