import { describe, expect, it } from 'vitest';
import { mergeRows } from '../../src/store/compare';
import { bandRange, keyedOnce, pointDot, sameAsBefore, seriesValue } from '../../src/ui/chart-props';

describe('chart props that keep their identity between renders', () => {
  it('builds one value per key and hands the same one back afterwards', () => {
    let built = 0;
    const f = keyedOnce((key) => ({ key, n: ++built }));
    const a = f('a');
    expect(f('a')).toBe(a);
    expect(f('b')).not.toBe(a);
    expect(built).toBe(2);
  });

  it('gives the same accessor and dot for the same series on every render', () => {
    expect(seriesValue('run-1')).toBe(seriesValue('run-1'));
    expect(seriesValue('run-1')).not.toBe(seriesValue('run-2'));
    expect(bandRange('g')).toBe(bandRange('g'));
    expect(pointDot('#123456')).toBe(pointDot('#123456'));
    expect(pointDot('#123456')).toEqual({ r: 2.5, strokeWidth: 0, fill: '#123456' });
  });

  it('reads the values a chart row holds for a series and its band', () => {
    const rows = mergeRows([
      { series: 'g', x: 1, y: 2 },
      { series: 'g:lo', x: 1, y: 1.5 },
      { series: 'g:hi', x: 1, y: 2.5 },
      { series: 'g', x: 2, y: 3 },
    ]);
    expect(rows.map(seriesValue('g'))).toEqual([2, 3]);
    expect(rows.map(bandRange('g'))).toEqual([[1.5, 2.5], null]);
    expect(seriesValue('other')(rows[0])).toBeUndefined();
  });

  it('keeps an equal spec array, and takes a changed one', () => {
    const before = [{ key: 'a', name: 'A', color: '#111' }];
    const rebuilt = [{ key: 'a', name: 'A', color: '#111' }];
    const changed = [{ key: 'a', name: 'A', color: '#222' }];
    expect(sameAsBefore(undefined, rebuilt)).toBe(rebuilt);
    expect(sameAsBefore(before, rebuilt)).toBe(before);
    expect(sameAsBefore(before, changed)).toBe(changed);
  });
});
