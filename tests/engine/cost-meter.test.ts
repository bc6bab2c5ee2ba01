import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeSyntheticDataset } from '../../src/data/synthetic';
import { defaultRunConfig } from '../../src/engine/defaults';
import { stepRuleFor, type OptimizerConfig } from '../../src/engine/optimizer/config';
import { disposeStepOutput, SharpnessAwareOptimizer } from '../../src/engine/optimizer/step';
import { drawSwpMask } from '../../src/engine/optimizer/swp';
import { Rng } from '../../src/engine/random';
import { costKeysOf, sampledSteps } from '../../src/engine/run/cost-meter';
import { COST_EPOCH_KEYS, type EpochRecord, type RunConfig } from '../../src/engine/run-record';
import { runTraining } from '../../src/engine/runner';
import type { ModelWeights } from '../../src/engine/weights';
import { useBackend } from '../support/backend';
import { randomBatch, readParams, tinyModel } from './helpers';

const optimizer = (over: Partial<OptimizerConfig>): OptimizerConfig => ({
  name: 'esam',
  rho: 0.05,
  adaptive: false,
  swp: true,
  beta: 0.6,
  sds: true,
  gamma: 0.5,
  ...over,
});
const METHODS: Record<string, OptimizerConfig> = {
  sgd: optimizer({ name: 'sgd', swp: false, sds: false }),
  sam: optimizer({ name: 'sam', swp: false, sds: false }),
  'esam-swp': optimizer({ sds: false, gamma: 1 }),
  'esam-sds': optimizer({ swp: false, beta: 1 }),
  esam: optimizer({}),
};

const dataset = makeSyntheticDataset({ seed: 1, trainSize: 64, testSize: 16 });
const environment = { backend: 'cpu', adapter: null, tfjsVersion: tf.version.tfjs, agent: 'test' };

function config(o: OptimizerConfig, model: string): RunConfig {
  const base = defaultRunConfig('synthetic');
  return { ...base, model, optimizer: o, batchSize: 16, epochs: 2, lr: 0.05, dataset: { ...base.dataset, trainSize: 48, testSize: 16 } };
}

async function train(o: OptimizerConfig, costSamplesPerEpoch: number, model = 'linear') {
  let weights: ModelWeights | null = null;
  const record = await runTraining(
    { id: 'r', name: 't', config: config(o, model), dataset, environment, costSamplesPerEpoch },
    { onWeights: (w) => void (weights = w) },
  );
  return { record, weights: weights as ModelWeights | null };
}

/** An epoch record without what differs between identical runs: its timings. */
const untimed = (e: EpochRecord) => {
  const out: Record<string, number> = { ...e };
  for (const key of ['seconds', 'imagesPerSec', ...COST_EPOCH_KEYS]) delete out[key];
  return out;
};

describe('sampled steps', () => {
  it('spreads the timed steps over the epoch, leaving its first step out when it can', () => {
    expect([...sampledSteps(5, 3)]).toEqual([1, 3, 4]);
    expect([...sampledSteps(100, 3)]).toEqual([17, 50, 83]);
    expect([...sampledSteps(3, 3)]).toEqual([0, 1, 2]);
    expect([...sampledSteps(1, 3)]).toEqual([0]);
    expect(sampledSteps(10, 0).size).toBe(0);
  });
});

describe('the cost meter', () => {
  beforeAll(async () => {
    await useBackend();
  });

  it('times each phase a method has, and only those', async () => {
    for (const [name, o] of Object.entries(METHODS)) {
      const { record } = await train(o, 3);
      expect(record.status, name).toBe('completed');
      const expected = {
        sgd: ['descentForwardBackwardMs', 'updateMs'],
        sam: ['ascentForwardBackwardMs', 'descentForwardBackwardMs', 'updateMs'],
        'esam-swp': ['ascentForwardBackwardMs', 'descentForwardBackwardMs', 'updateMs'],
        'esam-sds': ['ascentForwardBackwardMs', 'rankingMs', 'descentForwardBackwardMs', 'updateMs'],
        esam: ['ascentForwardBackwardMs', 'rankingMs', 'descentForwardBackwardMs', 'updateMs'],
      }[name];
      expect(costKeysOf(o), name).toEqual(expected);
      for (const epoch of record.epochs) {
        expect(
          COST_EPOCH_KEYS.filter((k) => epoch[k] !== undefined),
          name,
        ).toEqual(expected);
        for (const key of expected!) expect(epoch[key as keyof EpochRecord], `${name} ${key}`).toBeGreaterThan(0);
      }
    }
  });

  it('leaves the training as it is: a metered run ends with the same weights and records as an unmetered one', async () => {
    // conv: a convolution and its filter gradient, the kernels the device works hardest on.
    for (const name of ['sgd', 'esam'] as const) {
      const metered = await train(METHODS[name], 3, 'conv');
      const plain = await train(METHODS[name], 0, 'conv');
      for (const epoch of plain.record.epochs) for (const key of COST_EPOCH_KEYS) expect(epoch).not.toHaveProperty(key);
      expect(metered.record.epochs.map(untimed), name).toEqual(plain.record.epochs.map(untimed));
      expect(metered.weights, name).not.toBeNull();
      expect(metered.weights, name).toEqual(plain.weights);
    }
  });

  it('a timed step computes exactly what an untimed one does, and leaks no tensor', async () => {
    for (const [name, o] of Object.entries(METHODS)) {
      const final: Float32Array[][] = [];
      for (const timed of [false, true]) {
        const model = tinyModel('cnn', 7);
        const rule = stepRuleFor(o);
        const opt = new SharpnessAwareOptimizer(model, rule, { momentum: 0.9, weightDecay: 5e-4 });
        const rng = new Rng(7);
        const before = tf.memory().numTensors;
        for (let s = 0; s < 3; s++) {
          const { x, y } = randomBatch(rng, 10, model.inputShape, model.numClasses);
          const options = { lr: 0.1, swpMask: drawSwpMask(model.params.length, rule.kind === 'sharpness' ? rule.beta : 1, rng) };
          const out = timed ? (await opt.timedStep(x, y, options, () => performance.now())).output : opt.step(x, y, options);
          disposeStepOutput(out);
          tf.dispose([x, y]);
          expect(tf.memory().numTensors, `${name} step ${s}`).toBe(before);
        }
        final.push(await readParams(model));
        opt.dispose();
        model.dispose();
      }
      expect(final[1], name).toEqual(final[0]);
    }
  });
});
