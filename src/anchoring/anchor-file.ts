import * as fs from 'node:fs';

/** The last `count` non-empty lines of a file (fewer if it has fewer), read from its end: an anchor file grows for years. */
export function lastLines(file: string, count: number): string[] {
  if (!fs.existsSync(file)) return [];
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
      // The chunk's first line is whole only if the chunk is the whole file.
      if (start === 0) return lines.slice(-count);
      if (lines.length > count) return lines.slice(-count);
    }
  } finally {
    fs.closeSync(fd);
  }
}

/** True when the file exists and its last byte is not a newline (a line torn mid-append): the next line must start on a line of its own. */
export function endsMidLine(file: string): boolean {
  if (!fs.existsSync(file)) return false;
  const fd = fs.openSync(file, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    if (size === 0) return false;
    const last = Buffer.alloc(1);
    fs.readSync(fd, last, 0, 1, size - 1);
    return last[0] !== 0x0a;
  } finally {
    fs.closeSync(fd);
  }
}
