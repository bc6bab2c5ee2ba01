import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeSyntheticDataset } from '../../src/data/synthetic';
import { defaultRunConfig } from '../../src/engine/defaults';
import type { RunConfig } from '../../src/engine/run-record';
import { runTraining } from '../../src/engine/runner';
import { isDivergedLoss, stabilityWarnings, unstableLossThreshold, type EpochLosses, type RunWarning } from '../../src/engine/stability';
import { useBackend } from '../support/backend';

const config = defaultRunConfig('synthetic', 'mlp');
const epochs = (...rows: [number, number][]): EpochLosses[] =>
  rows.map(([trainLoss, minStepLoss], i) => ({ epoch: i + 1, trainLoss, minStepLoss }));
const reasons = (ws: RunWarning[]) => ws.map((w) => w.reason);

describe('stability rule', () => {
  const high = unstableLossThreshold(10) + 0.01;

  it('the threshold is 1.5·ln(classes)', () => {
    expect(unstableLossThreshold(10)).toBeCloseTo(1.5 * Math.log(10), 12);
    expect(unstableLossThreshold(100)).toBeCloseTo(1.5 * Math.log(100), 12);
  });

  it('flags a loss above it through a whole epoch after the first, not in the first', () => {
    expect(stabilityWarnings(epochs([30, high]), 10, config, new Set())).toEqual([]);
    expect(reasons(stabilityWarnings(epochs([30, high], [30, high]), 10, config, new Set()))).toEqual(['stuck-high']);
    // One step below the threshold in the epoch: not "through the whole epoch".
    expect(stabilityWarnings(epochs([30, high], [30, high - 0.02]), 10, config, new Set())).toEqual([]);
  });

  it('flags a training loss that rose over two epochs in a row', () => {
    expect(reasons(stabilityWarnings(epochs([2, 1], [2.1, 1], [2.2, 1]), 10, config, new Set()))).toEqual(['rising']);
    expect(stabilityWarnings(epochs([2, 1], [2.1, 1], [2.05, 1]), 10, config, new Set())).toEqual([]);
    expect(stabilityWarnings(epochs([2, 1], [2.1, 1]), 10, config, new Set())).toEqual([]);
  });

  it('says each reason once per run', () => {
    const history = epochs([30, high], [31, high], [32, high]);
    expect(reasons(stabilityWarnings(history, 10, config, new Set()))).toEqual(['stuck-high', 'rising']);
    expect(stabilityWarnings(history, 10, config, new Set(['stuck-high', 'rising']))).toEqual([]);
  });

  it('names the likely cause and what to try for this config', () => {
    const esam = { ...config, lr: 0.05 };
    const [w] = stabilityWarnings(epochs([30, high], [30, high]), 10, esam, new Set());
    expect(w).toMatchObject({ kind: 'unstable', epoch: 2 });
    expect(w.message).toContain('lower learning rate (now 0.05');
    expect(w.message).toContain('BatchNorm (cnn-bn instead of mlp)');
    expect(w.message).toContain('larger γ (now 0.5');
    const bnSgd: RunConfig = { ...config, model: 'cnn-bn', optimizer: { ...config.optimizer, name: 'sgd', sds: false, gamma: 1 } };
    const [v] = stabilityWarnings(epochs([30, high], [30, high]), 10, bnSgd, new Set());
    expect(v.message).not.toContain('BatchNorm');
    expect(v.message).not.toContain('γ');
  });

  it('a finite but absurd loss counts as diverged', () => {
    expect(isDivergedLoss(3e21)).toBe(true);
    expect(isDivergedLoss(Number.NaN)).toBe(true);
    expect(isDivergedLoss(Infinity)).toBe(true);
    expect(isDivergedLoss(30)).toBe(false);
  });
});

describe('stability in the runner', () => {
  beforeAll(async () => {
    await useBackend();
  });

  const dataset = makeSyntheticDataset({ seed: 1, trainSize: 96, testSize: 40 });
  const environment = { backend: 'cpu', adapter: null, tfjsVersion: tf.version.tfjs, agent: 'test' };
  const linearSgd = (lr: number, epochCount: number): RunConfig => {
    const base = defaultRunConfig('synthetic', 'linear');
    return {
      ...base,
      optimizer: { ...base.optimizer, name: 'sgd', swp: false, beta: 1, sds: false, gamma: 1 },
      schedule: 'constant',
      momentum: 0,
      batchSize: 16,
      epochs: epochCount,
      lr,
      dataset: { ...base.dataset, trainSize: 64, testSize: 40 },
    };
  };

  it('ends a run whose loss is finite but absurd as diverged, saying so', async () => {
    const record = await runTraining({ id: 'r', name: 't', config: linearSgd(1e6, 2), dataset, environment });
    expect(record.status).toBe('diverged');
    expect(record.error).toMatch(/absurdly large \(.+ nats\) in epoch 1/);
  });

  it('flags a run stuck above the threshold as unstable and hands the warning to the epoch hook', async () => {
    const seen: RunWarning[][] = [];
    const tensorsBefore = tf.memory().numTensors;
    const record = await runTraining(
      { id: 'r', name: 't', config: linearSgd(1, 3), dataset, environment },
      { onEpoch: (_e, _s, d) => seen.push(d.warnings) },
    );
    expect(record.status).toBe('completed');
    expect(record.epochs.every((e) => e.trainLoss > unstableLossThreshold(10))).toBe(true);
    expect(reasons(record.warnings ?? [])).toEqual(['stuck-high']);
    expect(record.warnings![0].epoch).toBe(2);
    expect(seen.map(reasons)).toEqual([[], ['stuck-high'], []]);
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  });

  it('a run that learns raises no warning', async () => {
    const record = await runTraining({ id: 'r', name: 't', config: linearSgd(0.01, 3), dataset, environment });
    expect(record.status).toBe('completed');
    expect(record.warnings).toEqual([]);
  });
});
