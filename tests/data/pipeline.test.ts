import { describe, expect, it } from 'vitest';
import { batchCount, epochOrder, evalBatches, makeBatch, normalisationTable, subset, withLabelNoise } from '../../src/data/pipeline';
import { MIN_STD, channelStats } from '../../src/data/stats';
import type { ImageDataset, ImageSplit } from '../../src/data/types';
import { Rng } from '../../src/engine/random';
import { makeSyntheticDataset } from '../../src/data/synthetic';
import { firstDiff } from './fixtures';

/** A 1-channel H×W image whose pixel (r, c) is 1 + r·W + c, so every position is recognisable. */
function tinySplit(h: number, w: number, count = 1): ImageSplit {
  const images = new Uint8Array(count * h * w);
  for (let n = 0; n < count; n++) for (let i = 0; i < h * w; i++) images[n * h * w + i] = (1 + i + n * 50) & 0xff;
  return { images, labels: Uint8Array.from({ length: count }, (_, i) => i % 10), count };
}

/** Identity normalisation for one channel: x = byte / 255 (mean 0, std 1), so x·255 recovers bytes. */
const identity = { mean: [0], std: [1] };
const bytesOf = (x: Float32Array) => Array.from(x, (v) => Math.round(v * 255));

describe('epoch order and batching', () => {
  it('epochOrder is a seeded permutation', () => {
    const a = epochOrder(100, new Rng(3));
    expect(Array.from(a)).toEqual(Array.from(epochOrder(100, new Rng(3))));
    expect([...a].sort((x, y) => x - y)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(Array.from(a)).not.toEqual(Array.from(epochOrder(100, new Rng(4))));
    const rng = new Rng(3);
    expect(Array.from(epochOrder(100, rng))).not.toEqual(Array.from(epochOrder(100, rng))); // next epoch differs
  });

  it('batchCount drops the ragged last training batch', () => {
    expect(batchCount(1000, 128)).toBe(7);
    expect(batchCount(1024, 128)).toBe(8);
    expect(batchCount(100, 128)).toBe(0);
    expect(() => batchCount(10, 0)).toThrow(RangeError);
  });

  it('evalBatches covers every test image exactly once, the last batch smaller', () => {
    for (const [count, size] of [
      [1000, 128],
      [1024, 128],
      [5, 10],
      [0, 4],
      [1, 1],
    ]) {
      const ranges = evalBatches(count, size);
      const seen = new Array(count).fill(0);
      for (const r of ranges) {
        expect(r.end - r.start).toBeGreaterThan(0);
        expect(r.end - r.start).toBeLessThanOrEqual(size);
        for (let i = r.start; i < r.end; i++) seen[i]++;
      }
      expect(seen.every((s) => s === 1)).toBe(true);
      expect(ranges.slice(0, -1).every((r) => r.end - r.start === size)).toBe(true);
    }
    expect(evalBatches(1000, 128).at(-1)).toEqual({ start: 896, end: 1000 });
  });
});

describe('makeBatch', () => {
  it('without augmentation gives the exact normalised pixels and the labels', () => {
    const d = makeSyntheticDataset({ seed: 2, trainSize: 30, testSize: 0 });
    const indices = [29, 0, 7, 7];
    const b = makeBatch(d.train, indices, { mean: d.mean, std: d.std, augment: false });
    expect(b.shape).toEqual([4, 32, 32, 3]);
    expect(Array.from(b.y)).toEqual(indices.map((i) => d.train.labels[i]));
    const want = new Float32Array(4 * 3072);
    indices.forEach((idx, n) => {
      for (let i = 0; i < 3072; i++) {
        const c = i % 3;
        want[n * 3072 + i] = (d.train.images[idx * 3072 + i] / 255 - d.mean[c]) / d.std[c];
      }
    });
    expect(firstDiff(b.x, want)).toBe(-1);
  });

  it('normalisation matches a direct computation per channel', () => {
    const mean = [0.1, 0.5, 0.9];
    const std = [0.2, 0.25, 0.3];
    const table = normalisationTable(mean, std);
    for (let c = 0; c < 3; c++) {
      for (const v of [0, 1, 127, 128, 254, 255]) {
        expect(table[c * 256 + v]).toBe(Math.fround((v / 255 - mean[c]) / std[c]));
      }
    }
    // Normalised over the whole split, each channel has mean 0 and std 1.
    const d = makeSyntheticDataset({ seed: 4, trainSize: 50, testSize: 0 });
    const b = makeBatch(
      d.train,
      Array.from({ length: 50 }, (_, i) => i),
      { mean: d.mean, std: d.std },
    );
    for (let c = 0; c < 3; c++) {
      let s = 0;
      let sq = 0;
      for (let i = c; i < b.x.length; i += 3) {
        s += b.x[i];
        sq += b.x[i] * b.x[i];
      }
      const n = b.x.length / 3;
      expect(s / n).toBeCloseTo(0, 4);
      expect(Math.sqrt(sq / n - (s / n) ** 2)).toBeCloseTo(1, 4);
    }
  });

  it('random crop with 4-pixel zero padding and horizontal flip, checked on a tiny image', () => {
    const h = 6;
    const w = 7;
    const split = tinySplit(h, w);
    const src = (r: number, c: number) => (r >= 0 && r < h && c >= 0 && c < w ? split.images[r * w + c] : 0);
    const seen = new Set<string>();
    const rng = new Rng(11);
    const probe = new Rng(11); // replays the documented draws (dy, dx, flip) in lockstep
    for (let trial = 0; trial < 400; trial++) {
      const dy = probe.int(9) - 4;
      const dx = probe.int(9) - 4;
      const flip = probe.next() < 0.5;
      const b = makeBatch(split, [0], { ...identity, augment: true, rng, height: h, width: w });
      const got = bytesOf(b.x);
      const want: number[] = [];
      for (let r = 0; r < h; r++) for (let c = 0; c < w; c++) want.push(src(r + dy, (flip ? w - 1 - c : c) + dx));
      expect(got).toEqual(want);
      seen.add(`${dy},${dx},${flip}`);
    }
    expect(seen.size).toBeGreaterThan(100); // offsets −4..4 both ways, flips both ways
  });

  it('the identity crop keeps the image; a flip mirrors each row; padding is black (−mean/std)', () => {
    const split = tinySplit(2, 3);
    // Find seeds whose first draws are (dy, dx, flip) = (0, 0, false) / (0, 0, true) / (−4, 0, false).
    const find = (want: [number, number, boolean]) => {
      for (let seed = 0; ; seed++) {
        const r = new Rng(seed);
        if (r.int(9) - 4 === want[0] && r.int(9) - 4 === want[1] && r.next() < 0.5 === want[2]) return seed;
      }
    };
    const opts = { ...identity, augment: true, height: 2, width: 3 };
    expect(bytesOf(makeBatch(split, [0], { ...opts, rng: new Rng(find([0, 0, false])) }).x)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(bytesOf(makeBatch(split, [0], { ...opts, rng: new Rng(find([0, 0, true])) }).x)).toEqual([3, 2, 1, 6, 5, 4]);
    const shifted = makeBatch(split, [0], {
      mean: [0.2],
      std: [0.5],
      augment: true,
      height: 2,
      width: 3,
      rng: new Rng(find([-4, 0, false])),
    });
    expect(Array.from(shifted.x)).toEqual(new Array(6).fill(Math.fround(-0.2 / 0.5)));
  });

  it('augmentation is seeded, and off by default', () => {
    const d = makeSyntheticDataset({ seed: 3, trainSize: 8, testSize: 0 });
    const opts = { mean: d.mean, std: d.std, augment: true };
    const a = makeBatch(d.train, [0, 1, 2], { ...opts, rng: new Rng(5) });
    const b = makeBatch(d.train, [0, 1, 2], { ...opts, rng: new Rng(5) });
    expect(firstDiff(a.x, b.x)).toBe(-1);
    const plain = makeBatch(d.train, [0, 1, 2], { mean: d.mean, std: d.std, rng: new Rng(5) });
    const plain2 = makeBatch(d.train, [0, 1, 2], { mean: d.mean, std: d.std });
    expect(firstDiff(plain.x, plain2.x)).toBe(-1);
    expect(() => makeBatch(d.train, [0], { ...opts })).toThrow('augmentation needs an rng');
  });

  it('fills caller buffers when given, and rejects bad indices', () => {
    const split = tinySplit(2, 2, 3);
    const out = { x: new Float32Array(8), y: new Int32Array(2) };
    const b = makeBatch(split, [2, 1], { ...identity, out });
    expect(b.x).toBe(out.x);
    expect(bytesOf(out.x)).toEqual([101, 102, 103, 104, 51, 52, 53, 54]);
    expect(Array.from(out.y)).toEqual([2, 1]);
    expect(() => makeBatch(split, [3], identity)).toThrow(RangeError);
  });
});

describe('subset and label noise', () => {
  const d: ImageDataset = makeSyntheticDataset({ seed: 8, trainSize: 100, testSize: 40 });

  it('takes the first N after a seeded shuffle, recomputing the training stats', () => {
    const s = subset(d, 30, 10, new Rng(1));
    expect(s.train.count).toBe(30);
    expect(s.test.count).toBe(10);
    const order = new Rng(1).fork('subset-train').permutation(100);
    for (let n = 0; n < 30; n++) {
      const i = order[n];
      expect(s.train.labels[n]).toBe(d.train.labels[i]);
      expect(firstDiff(s.train.images.subarray(n * 3072, (n + 1) * 3072), d.train.images.subarray(i * 3072, (i + 1) * 3072))).toBe(-1);
    }
    expect(s.mean).toEqual(channelStats(s.train.images, 3).mean);
    expect(firstDiff(subset(d, 30, 10, new Rng(1)).train.images, s.train.images)).toBe(-1);
    expect(firstDiff(subset(d, 30, 10, new Rng(2)).train.images, s.train.images)).not.toBe(-1);
    // The test subset does not depend on the training size.
    expect(firstDiff(subset(d, 50, 10, new Rng(1)).test.labels, s.test.labels)).toBe(-1);
    // Whole splits (sizes absent or too large) are kept as they are.
    expect(subset(d, undefined, 1000, new Rng(1))).toBe(d);
    expect(() => subset(d, -1, 1, new Rng(1))).toThrow(RangeError);
  });

  it('withLabelNoise redraws exactly round(fraction × count) labels and is seeded', () => {
    const split = d.train;
    const noisy = withLabelNoise(split, 0.25, 10, new Rng(3));
    expect(noisy.images).toBe(split.images);
    let changed = 0;
    for (let i = 0; i < 100; i++) if (noisy.labels[i] !== split.labels[i]) changed++;
    expect(changed).toBeLessThanOrEqual(25);
    expect(changed).toBeGreaterThan(10);
    expect(Array.from(withLabelNoise(split, 0.25, 10, new Rng(3)).labels)).toEqual(Array.from(noisy.labels));
    expect(withLabelNoise(split, 0, 10, new Rng(3))).toBe(split);
  });
});

describe('channelStats', () => {
  it('matches a direct computation, per channel, on the 0..1 scale', () => {
    const images = Uint8Array.from([0, 10, 255, 100, 20, 255, 200, 30, 255, 50, 40, 255]);
    const { mean, std } = channelStats(images, 3);
    for (let c = 0; c < 3; c++) {
      const v = [0, 1, 2, 3].map((n) => images[n * 3 + c] / 255);
      const m = v.reduce((a, b) => a + b) / 4;
      const s = Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / 4);
      expect(mean[c]).toBeCloseTo(m, 12);
      expect(std[c]).toBeCloseTo(Math.max(s, MIN_STD), 12);
    }
    expect(std[2]).toBe(MIN_STD); // constant channel
    expect(channelStats(new Uint8Array(0), 1)).toEqual({ mean: [0], std: [1] });
  });
});
