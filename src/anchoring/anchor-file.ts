import * as fs from 'node:fs';

/** The last non-empty line of a file, read from its end (an anchor file grows for years); null if none or no file. */
export function lastLine(file: string): string | null {
  if (!fs.existsSync(file)) return null;
  const fd = fs.openSync(file, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    for (let chunk = 64 * 1024; ; chunk *= 2) {
      const start = Math.max(0, size - chunk);
      const buffer = Buffer.alloc(size - start);
      fs.readSync(fd, buffer, 0, buffer.length, start);
      const lines = buffer
        .toString('utf8')
        .split('\n')
        .filter((l) => l.trim() !== '');
      // A whole line only if a newline precedes it in the chunk (or the chunk is the whole file).
      if (lines.length > 1 || (lines.length === 1 && start === 0)) return lines[lines.length - 1];
      if (start === 0) return null;
    }
  } finally {
    fs.closeSync(fd);
  }
}
