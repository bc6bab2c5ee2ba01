/**
 * The store and UI stay in small files with one job each: a file in src/store or src/ui that
 * passes 400 lines fails here until it is split.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const MAX_LINES = 400;
const root = resolve(__dirname, '../..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(e.name) ? [path] : [];
  });
}

function lineCount(path: string): number {
  const text = readFileSync(path, 'utf8');
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

describe('store and UI files stay small', () => {
  for (const dir of ['src/store', 'src/ui']) {
    it(`no file under ${dir} has more than ${MAX_LINES} lines`, () => {
      const files = sourceFiles(join(root, dir));
      expect(files.length).toBeGreaterThan(0);
      const long = files.map((f) => ({ file: relative(root, f), lines: lineCount(f) })).filter((f) => f.lines > MAX_LINES);
      expect(long).toEqual([]);
    });
  }
});
