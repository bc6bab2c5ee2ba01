import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeSyntheticDataset } from '../../src/data/synthetic';
import { defaultRunConfig } from '../../src/engine/defaults';
import { computeLandscape } from '../../src/engine/landscape/compute';
import { perSampleCrossEntropy } from '../../src/engine/loss';
import { adversarialDirections, filterNormalize, randomDirections, type Direction } from '../../src/engine/landscape/directions';
import { evaluateGrid, gridCoordinates } from '../../src/engine/landscape/grid';
import { DEFAULT_LANDSCAPE_OPTIONS, validateLandscapeOptions, type LandscapeOptions } from '../../src/engine/landscape/record';
import { Rng } from '../../src/engine/random';
import type { RunConfig, RunRecord } from '../../src/engine/run-record';
import { runTraining } from '../../src/engine/runner';
import type { ModelWeights } from '../../src/engine/weights';
import { useBackend } from '../support/backend';
import { randomBatch, readParams, tinyModel } from './helpers';

/** Euclidean norm of each filter (slice along the last axis) of a row-major tensor. */
function filterNorms(values: Float32Array, shape: number[]): number[] {
  const filters = shape[shape.length - 1];
  const sums = new Array<number>(filters).fill(0);
  values.forEach((v, e) => (sums[e % filters] += v * v));
  return sums.map(Math.sqrt);
}

const readAll = (ts: tf.Tensor[]) => Promise.all(ts.map(async (t) => (await t.data()) as Float32Array));

const relative = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);
const norm = (v: ArrayLike<number>) => Math.sqrt(Array.from(v).reduce((s, x) => s + x * x, 0));

describe('loss landscape', () => {
  beforeAll(async () => {
    await useBackend();
  });

  describe('options', () => {
    it('accepts the defaults and names each bad option with its range', () => {
      expect(validateLandscapeOptions(DEFAULT_LANDSCAPE_OPTIONS)).toEqual([]);
      const bad = (over: Partial<LandscapeOptions>) => validateLandscapeOptions({ ...DEFAULT_LANDSCAPE_OPTIONS, ...over });
      expect(bad({ resolution: 4 })).toEqual([expect.stringMatching(/resolution must be an odd integer from 5 to 51, got 4/)]);
      expect(bad({ resolution: 53 })[0]).toMatch(/resolution/);
      expect(bad({ span: 0 })[0]).toMatch(/span must be greater than 0 and at most 100/);
      expect(bad({ span: 100.5 })[0]).toMatch(/span/);
      expect(bad({ seed: 1.5 })[0]).toMatch(/seed must be an integer ≥ 0/);
      expect(bad({ probeSize: 0 })[0]).toMatch(/probe size must be an integer from 1 to 10000/);
      expect(bad({ probeSize: 10_001 })[0]).toMatch(/probe size must be an integer from 1 to 10000/);
      expect(bad({ kind: 'sideways' as LandscapeOptions['kind'] })[0]).toMatch(/kind/);
      expect(bad({ probe: 'valid' as LandscapeOptions['probe'] })[0]).toMatch(/probe must be/);
      expect(bad({ resolution: 2, span: -1 })).toHaveLength(2);
    });
  });

  describe('directions', () => {
    it('filter-normalises: each filter has the norm of the param filter, rank-1 params get zero', async () => {
      const param = tf.tensor2d([
        [3, 0],
        [4, 0],
      ]);
      const d = tf.tensor2d([
        [1, 1],
        [0, 1],
      ]);
      const bias = tf.tensor1d([1, 2]);
      const [nd, nb] = filterNormalize([d, tf.onesLike(bias)], [param, bias]);
      expect(Array.from(await nd.data())).toEqual([5, 0, 0, 0]);
      expect(Array.from(await nb.data())).toEqual([0, 0]);
      tf.dispose([param, d, bias, nd, nb]);
    });

    it('random directions match the norms of every filter of a ResNet', async () => {
      const model = tinyModel('resnet8', 1);
      const before = tf.memory().numTensors;
      const [d1, d2] = randomDirections(model, new Rng(7));
      expect(tf.memory().numTensors).toBe(before + 2 * model.params.length);
      const params = await readParams(model);
      for (const d of [d1, d2]) {
        const values = await readAll(d);
        model.params.forEach(({ name, variable }, k) => {
          expect(d[k].shape, name).toEqual(variable.shape);
          if (variable.rank < 2) {
            expect(
              values[k].every((v) => v === 0),
              name,
            ).toBe(true);
            return;
          }
          const want = filterNorms(params[k], variable.shape);
          filterNorms(values[k], variable.shape).forEach((got, f) =>
            expect(relative(got, want[f]), `${name} filter ${f}`).toBeLessThan(1e-4),
          );
        });
      }
      tf.dispose([...d1, ...d2]);
      model.dispose();
    });

    it('are reproducible for a seed, differ for another seed, and d1 differs from d2', async () => {
      const model = tinyModel('conv', 1);
      const first = async (seed: number) => {
        const [d1, d2] = randomDirections(model, new Rng(seed));
        const values = [await readAll(d1), await readAll(d2)];
        tf.dispose([...d1, ...d2]);
        return values;
      };
      const a = await first(3);
      expect(await first(3)).toEqual(a);
      expect((await first(4))[0][0]).not.toEqual(a[0][0]);
      expect(a[1][0]).not.toEqual(a[0][0]);
      model.dispose();
    });

    it('adversarial directions are η times the gradients of two random batch halves (Fig. 8)', async () => {
      const model = tinyModel('resnet8', 2);
      const { x, y } = randomBatch(new Rng(5), 8, model.inputShape, model.numClasses);
      const state = await readAll(model.state.map((s) => s.variable));
      const before = tf.memory().numTensors;
      const lr = 0.05;
      const [d1, d2] = adversarialDirections(model, x, y, new Rng(1), lr);
      expect(tf.memory().numTensors).toBe(before + 2 * model.params.length);
      // The 'train' forward leaves the running statistics alone.
      expect(await readAll(model.state.map((s) => s.variable))).toEqual(state);
      // Direct: the same halves (the same permutation), the gradient of each half's mean loss.
      const order = new Rng(1).permutation(8);
      const vars = model.params.map((p) => p.variable);
      for (const [d, idx] of [
        [d1, order.slice(0, 4)],
        [d2, order.slice(4)],
      ] as const) {
        const { value, grads } = tf.variableGrads(
          () =>
            tf.mean(perSampleCrossEntropy(model.apply(tf.gather(x, Array.from(idx)), 'train'), tf.gather(y, Array.from(idx)))) as tf.Scalar,
          vars,
        );
        value.dispose();
        const got = await readAll(d);
        const want = await readAll(vars.map((v) => grads[v.name]));
        got.forEach((g, k) => expect(norm(g.map((v, i) => v - lr * want[k][i])) / (lr * norm(want[k]) + 1e-12)).toBeLessThan(1e-4));
        tf.dispose(Object.values(grads));
      }
      expect(await readAll(d1)).not.toEqual(await readAll(d2));
      tf.dispose([x, y, ...d1, ...d2]);
      model.dispose();
    });
  });

  describe('grid', () => {
    it('spaces coordinates evenly from −span to span with an exact 0 in the middle', () => {
      expect(gridCoordinates(5, 1)).toEqual([-1, -0.5, 0, 0.5, 1]);
      const c = gridCoordinates(21, 0.3);
      expect(c[10]).toBe(0);
      expect(c[0]).toBe(-0.3);
      expect(c[20]).toBe(0.3);
      c.forEach((v, i) => expect(v).toBe(-c[20 - i] || 0));
    });

    /** vars = [w], θ0 = c, loss = ‖w − c‖²: the grid must be the bowl a²‖d1‖² + 2ab d1·d2 + b²‖d2‖². */
    function quadratic() {
      const rng = new Rng(11);
      const draw = () =>
        tf.tensor2d(
          Float32Array.from({ length: 6 }, () => rng.normal()),
          [3, 2],
        );
      const c = draw();
      const w = tf.variable(c.clone());
      const directions: [Direction, Direction] = [[draw()], [draw()]];
      let calls = 0;
      const measure = async () => {
        calls++;
        const s = tf.tidy(() => tf.sum(tf.square(tf.sub(w, c))));
        const loss = (await s.data())[0];
        s.dispose();
        return { loss, accuracy: -loss };
      };
      const dispose = () => tf.dispose([c, w, ...directions[0], ...directions[1]]);
      return { c, w, directions, measure, dispose, calls: () => calls };
    }

    it('draws the expected bowl of a quadratic, restores θ exactly and leaks nothing', async () => {
      const q = quadratic();
      const [a1, a2] = [(await q.directions[0][0].data()) as Float32Array, (await q.directions[1][0].data()) as Float32Array];
      const dot = (u: Float32Array, v: Float32Array) => u.reduce((s, x, i) => s + x * v[i], 0);
      const [n11, n12, n22] = [dot(a1, a1), dot(a1, a2), dot(a2, a2)];
      const theta0 = await q.w.data();
      const coords = gridCoordinates(7, 1);
      const before = tf.memory().numTensors;
      const progress: [number, number][] = [];
      const grid = await evaluateGrid([q.w], q.directions, coords, q.measure, { onProgress: (d, t) => progress.push([d, t]) });
      expect(tf.memory().numTensors).toBe(before);
      expect(await q.w.data()).toEqual(theta0);
      expect(grid).not.toBeNull();
      const { loss, accuracy } = grid!;
      expect(loss).toHaveLength(7);
      coords.forEach((b, j) =>
        coords.forEach((a, i) => {
          expect(loss[j][i]).toBeCloseTo(a * a * n11 + 2 * a * b * n12 + b * b * n22, 4);
          expect(accuracy[j][i]).toBe(-loss[j][i]);
          expect(loss[j][i]).toBeCloseTo(loss[6 - j][6 - i], 4);
        }),
      );
      expect(loss[3][3]).toBe(0);
      expect(Math.min(...loss.flat())).toBe(0);
      for (let k = 4; k < 7; k++) {
        expect(loss[3][k]).toBeGreaterThan(loss[3][k - 1]);
        expect(loss[k][3]).toBeGreaterThan(loss[k - 1][3]);
        expect(loss[3][6 - k]).toBeGreaterThan(loss[3][7 - k]);
        expect(loss[6 - k][3]).toBeGreaterThan(loss[7 - k][3]);
      }
      expect(progress.at(-1)).toEqual([49, 49]);
      expect(progress.map(([d]) => d)).toEqual(Array.from({ length: 49 }, (_, i) => i + 1));
      q.dispose();
    });

    it('stops when the checkpoint says so, returning null with θ restored', async () => {
      const q = quadratic();
      const theta0 = await q.w.data();
      const before = tf.memory().numTensors;
      let checks = 0;
      const grid = await evaluateGrid([q.w], q.directions, gridCoordinates(5, 1), q.measure, {
        checkpoint: async () => (++checks === 2 ? 'stop' : 'continue'),
      });
      expect(grid).toBeNull();
      expect(q.calls()).toBe(5); // one row
      expect(await q.w.data()).toEqual(theta0);
      expect(tf.memory().numTensors).toBe(before);
      q.dispose();
    });

    it('restores θ when measuring throws', async () => {
      const q = quadratic();
      const theta0 = await q.w.data();
      const before = tf.memory().numTensors;
      let calls = 0;
      const failing = async () => {
        if (++calls === 3) throw new Error('device lost');
        return q.measure();
      };
      await expect(evaluateGrid([q.w], q.directions, gridCoordinates(5, 1), failing)).rejects.toThrow('device lost');
      expect(await q.w.data()).toEqual(theta0);
      expect(tf.memory().numTensors).toBe(before);
      q.dispose();
    });
  });

  describe('of a trained run', () => {
    const dataset = makeSyntheticDataset({ seed: 1, trainSize: 96, testSize: 40 });
    const environment = { backend: 'cpu', adapter: null, tfjsVersion: tf.version.tfjs, agent: 'test' };
    let record: RunRecord;
    let weights: ModelWeights;

    beforeAll(async () => {
      const base = defaultRunConfig('synthetic');
      const config: RunConfig = {
        ...base,
        model: 'conv',
        batchSize: 16,
        epochs: 2,
        lr: 0.05,
        dataset: { ...base.dataset, trainSize: 64, testSize: 40 },
      };
      let saved: ModelWeights | null = null;
      record = await runTraining({ id: 'r', name: 'test', config, dataset, environment }, { onWeights: (w) => void (saved = w) });
      expect(record.status).toBe('completed');
      expect(saved).not.toBeNull();
      weights = saved!;
    });

    const options = (over: Partial<LandscapeOptions> = {}): LandscapeOptions => ({
      ...DEFAULT_LANDSCAPE_OPTIONS,
      resolution: 5,
      span: 0.5,
      ...over,
    });
    const compute = (o: LandscapeOptions, hooks?: Parameters<typeof computeLandscape>[1], w = weights) =>
      computeLandscape({ config: record.config, dataset, weights: w, options: o }, hooks);

    it('measures the run’s final test loss at the origin', async () => {
      const last = record.epochs.at(-1)!;
      const before = tf.memory().numTensors;
      const progress: number[] = [];
      const result = await compute(options({ probe: 'test', probeSize: 1000 }), { onProgress: (done) => progress.push(done) });
      expect(tf.memory().numTensors).toBe(before);
      expect(result).not.toBeNull();
      const r = result!;
      expect(r.probeCount).toBe(40);
      expect(r.coords).toEqual([-0.5, -0.25, 0, 0.25, 0.5]);
      expect(relative(r.originLoss, last.testLoss)).toBeLessThan(1e-5);
      expect(relative(r.loss[2][2], last.testLoss)).toBeLessThan(1e-5);
      expect(r.accuracy[2][2]).toBeCloseTo(last.testAcc, 6);
      expect(r.loss.flat().every((v) => Number.isFinite(v) && v >= 0)).toBe(true);
      expect(progress.at(-1)).toBe(25);
    });

    it('computes adversarial landscapes on a training probe, reproducibly for a seed', async () => {
      const before = tf.memory().numTensors;
      const adversarial = (await compute(options({ kind: 'adversarial', probe: 'train', probeSize: 16 })))!;
      expect(adversarial.probeCount).toBe(16);
      expect(adversarial.loss.flat().every(Number.isFinite)).toBe(true);
      expect(adversarial.accuracy.flat().every((a) => a >= 0 && a <= 1)).toBe(true);
      expect(adversarial.loss[2][2]).toBe(adversarial.originLoss);
      expect((await compute(options({ kind: 'adversarial', probe: 'train', probeSize: 16 })))!.loss).toEqual(adversarial.loss);
      expect(tf.memory().numTensors).toBe(before);
    });

    it('stops when the checkpoint says so', async () => {
      const before = tf.memory().numTensors;
      let checks = 0;
      const result = await compute(options({ probe: 'train', probeSize: 8 }), {
        checkpoint: async () => (++checks > 1 ? 'stop' : 'continue'),
      });
      expect(result).toBeNull();
      expect(tf.memory().numTensors).toBe(before);
    });

    it('refuses bad options and weights of another model, naming what is wrong', async () => {
      const before = tf.memory().numTensors;
      await expect(compute(options({ resolution: 4 }))).rejects.toThrow(/resolution/);
      await expect(compute(options({ span: 0, probeSize: 0 }))).rejects.toThrow(/span.*probe size/);
      const other = {
        ...weights,
        params: weights.params.map((t) => (t.name === 'conv0/kernel' ? { ...t, shape: [3, 3, 3, 8], data: new Float32Array(216) } : t)),
      };
      await expect(compute(options(), undefined, other)).rejects.toThrow(
        /conv0\/kernel has shape \[3,3,3,8\], the model expects \[3,3,3,16\]/,
      );
      expect(tf.memory().numTensors).toBe(before);
    });
  });
});
