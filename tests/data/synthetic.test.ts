import { describe, expect, it } from 'vitest';
import { channelStats } from '../../src/data/stats';
import { SYNTHETIC_CLASSES, makeSyntheticDataset } from '../../src/data/synthetic';
import { firstDiff } from './fixtures';

describe('synthetic dataset', () => {
  const a = makeSyntheticDataset({ seed: 42, trainSize: 400, testSize: 100 });

  it('has the documented shape, sizes, class names and stats', () => {
    expect(a.name).toBe('synthetic');
    expect([a.height, a.width, a.channels]).toEqual([32, 32, 3]);
    expect(a.classNames).toEqual(SYNTHETIC_CLASSES);
    expect(a.classNames).toHaveLength(10);
    expect(new Set(a.classNames).size).toBe(10);
    expect(a.train.count).toBe(400);
    expect(a.train.images).toHaveLength(400 * 3072);
    expect(a.train.labels).toHaveLength(400);
    expect(a.test.count).toBe(100);
    expect(a.test.images).toHaveLength(100 * 3072);
    const stats = channelStats(a.train.images, 3);
    expect(a.mean).toEqual(stats.mean);
    expect(a.std).toEqual(stats.std);
    const d = makeSyntheticDataset({ seed: 1 });
    expect([d.train.count, d.test.count]).toEqual([5000, 1000]);
  });

  it('is balanced over the 10 classes in both splits', () => {
    for (const split of [a.train, a.test]) {
      const counts = new Array(10).fill(0);
      for (const l of split.labels) counts[l]++;
      expect(counts).toEqual(new Array(10).fill(split.count / 10));
    }
  });

  it('is deterministic: same seed same bytes, another seed different bytes', () => {
    const again = makeSyntheticDataset({ seed: 42, trainSize: 400, testSize: 100 });
    expect(firstDiff(again.train.images, a.train.images)).toBe(-1);
    expect(firstDiff(again.train.labels, a.train.labels)).toBe(-1);
    expect(firstDiff(again.test.images, a.test.images)).toBe(-1);
    expect(firstDiff(again.test.labels, a.test.labels)).toBe(-1);
    const other = makeSyntheticDataset({ seed: 43, trainSize: 400, testSize: 100 });
    expect(firstDiff(other.train.images, a.train.images)).not.toBe(-1);
    expect(firstDiff(other.test.images, a.test.images)).not.toBe(-1);
  });

  it('does not tell classes apart by colour: per-class mean colours are close to the overall mean', () => {
    const d = makeSyntheticDataset({ seed: 5, trainSize: 2000, testSize: 0 });
    const sums = Array.from({ length: 10 }, () => [0, 0, 0]);
    for (let n = 0; n < d.train.count; n++) {
      const s = sums[d.train.labels[n]];
      for (let i = 0; i < 3072; i++) s[i % 3] += d.train.images[n * 3072 + i];
    }
    for (const s of sums) {
      for (let c = 0; c < 3; c++) expect(Math.abs(s[c] / (200 * 1024 * 255) - d.mean[c])).toBeLessThan(0.05);
    }
  });

  it('label noise replaces about that fraction of training labels; test labels stay clean', () => {
    const clean = makeSyntheticDataset({ seed: 9, trainSize: 2000, testSize: 200 });
    const noisy = makeSyntheticDataset({ seed: 9, trainSize: 2000, testSize: 200, labelNoise: 0.4 });
    expect(firstDiff(noisy.train.images, clean.train.images)).toBe(-1);
    expect(firstDiff(noisy.test.labels, clean.test.labels)).toBe(-1);
    let changed = 0;
    for (let i = 0; i < 2000; i++) if (noisy.train.labels[i] !== clean.train.labels[i]) changed++;
    // 800 labels redrawn uniformly: about 9/10 of them change.
    expect(changed / 2000).toBeGreaterThan(0.32);
    expect(changed / 2000).toBeLessThan(0.4);
    expect(
      firstDiff(makeSyntheticDataset({ seed: 9, trainSize: 2000, testSize: 200, labelNoise: 0.4 }).train.labels, noisy.train.labels),
    ).toBe(-1);
  });

  it('rejects bad options', () => {
    expect(() => makeSyntheticDataset({ seed: 1, labelNoise: 1.5 })).toThrow(RangeError);
    expect(() => makeSyntheticDataset({ seed: 1, trainSize: -1 })).toThrow(RangeError);
  });
});
