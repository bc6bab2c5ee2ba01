import { describe, expect, it } from 'vitest';
import { rotation, summarizeSamples } from '../../src/bench/stats';

describe('benchmark statistics', () => {
  it('median, min and max of odd and even sample counts', () => {
    expect(summarizeSamples([3, 1, 2])).toEqual({ median: 2, min: 1, max: 3 });
    expect(summarizeSamples([4, 1, 3, 2])).toEqual({ median: 2.5, min: 1, max: 4 });
  });

  it('refuses an empty list', () => {
    expect(() => summarizeSamples([])).toThrow(/no samples/);
  });

  it('rotates the order so that each configuration leads once per cycle', () => {
    const items = ['a', 'b', 'c'];
    expect([0, 1, 2, 3].map((rep) => rotation(items, rep).join(''))).toEqual(['abc', 'bca', 'cab', 'abc']);
  });
});
