import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeSyntheticDataset } from '../../src/data/synthetic';
import { defaultRunConfig } from '../../src/engine/defaults';
import { EPOCH_KEYS, type EpochRecord, type RunConfig } from '../../src/engine/run-record';
import { runTraining, type RunHooks } from '../../src/engine/runner';
import { HyperparameterError } from '../../src/engine/validation';
import { useBackend } from '../support/backend';

const dataset = makeSyntheticDataset({ seed: 1, trainSize: 96, testSize: 40 });
const environment = { backend: 'cpu', adapter: null, tfjsVersion: tf.version.tfjs, agent: 'test' };

function tinyConfig(over: Partial<RunConfig> = {}): RunConfig {
  const base = defaultRunConfig('synthetic');
  return {
    ...base,
    model: 'conv',
    batchSize: 16,
    epochs: 2,
    lr: 0.05,
    ...over,
    dataset: { ...base.dataset, trainSize: 64, testSize: 40, ...over.dataset },
  };
}

const run = (config: RunConfig, hooks?: RunHooks) => runTraining({ id: 'r', name: 'test', config, dataset, environment }, hooks);

/** An epoch record without its timings, which differ between identical runs. */
const untimed = ({ seconds: _s, imagesPerSec: _i, ...rest }: EpochRecord) => rest;

describe('runner', () => {
  beforeAll(async () => {
    await useBackend();
  });

  it('trains a tiny run to completion with every epoch key finite', async () => {
    const progress: number[] = [];
    const record = await run(tinyConfig(), { onProgress: (p) => progress.push(...p.recentLosses) });
    expect(record.status).toBe('completed');
    expect(record.error).toBeNull();
    expect(record.epochs).toHaveLength(2);
    expect(record.config.dataset).toMatchObject({ trainSize: 64, testSize: 40 });
    for (const epoch of record.epochs) {
      for (const key of EPOCH_KEYS) expect(Number.isFinite(epoch[key]), key).toBe(true);
      expect(epoch.trainAcc).toBeGreaterThanOrEqual(0);
      expect(epoch.testAcc).toBeLessThanOrEqual(1);
    }
    expect(progress).toHaveLength(2 * 4); // 64 / 16 steps per epoch, one loss per step
    expect(record.summary.finalTestAcc).toBe(record.epochs[1].testAcc);
    expect(record.summary.imagesPerSec).toBeCloseTo(64 / record.epochs[1].seconds, 6);
  });

  it('is deterministic for a seed, and another seed differs', async () => {
    const a = await run(tinyConfig({ seed: 3 }));
    const b = await run(tinyConfig({ seed: 3 }));
    const c = await run(tinyConfig({ seed: 4 }));
    expect(b.epochs.map(untimed)).toEqual(a.epochs.map(untimed));
    expect(c.epochs.map(untimed)).not.toEqual(a.epochs.map(untimed));
  });

  it('pauses and resumes without changing the result, and leaves pauses out of the time', async () => {
    const plain = await run(tinyConfig({ seed: 5 }));
    let calls = 0;
    let clock = 0;
    const paused = await run(tinyConfig({ seed: 5 }), {
      now: () => (clock += 1), // every reading of the clock is a millisecond later
      checkpoint: async () => {
        if (++calls === 3) clock += 60_000; // a one-minute pause before the third step
        return 'continue';
      },
    });
    expect(paused.status).toBe('completed');
    expect(paused.epochs.map(untimed)).toEqual(plain.epochs.map(untimed));
    expect(paused.epochs[0].seconds).toBeGreaterThan(0);
    expect(paused.epochs[0].seconds).toBeLessThan(1);
  });

  it('stops mid-epoch, discarding the partial epoch', async () => {
    let calls = 0;
    const record = await run(tinyConfig({ epochs: 3 }), { checkpoint: async () => (++calls === 6 ? 'stop' : 'continue') });
    expect(record.status).toBe('stopped');
    expect(record.epochs).toHaveLength(1);
  });

  it('marks a run whose loss becomes NaN or absurd as diverged and keeps its epochs', async () => {
    let epochs = 0;
    const record = await run(tinyConfig({ epochs: 6, lr: 1e9, schedule: 'constant' }), { onEpoch: () => epochs++ });
    expect(record.status).toBe('diverged');
    expect(record.error).toMatch(/the loss became (NaN or infinite|absurdly large \(.* nats\)) in epoch/);
    expect(record.epochs.length).toBe(epochs);
    expect(record.epochs.length).toBeLessThan(6);
  });

  it('marks a run diverged when its last step blows the weights up (no NaN reaches the record)', async () => {
    const record = await run(tinyConfig({ model: 'linear', lr: 1e30, epochs: 1, schedule: 'constant' }));
    expect(record.status).toBe('diverged');
    expect(record.epochs).toHaveLength(0);
  });

  it('fails a run cleanly when something throws during training', async () => {
    const record = await run(tinyConfig(), {
      checkpoint: async () => {
        throw new Error('the GPU device was lost');
      },
    });
    expect(record.status).toBe('failed');
    expect(record.error).toBe('the GPU device was lost');
  });

  it('refuses an out-of-range hyperparameter before any work', async () => {
    const bad = tinyConfig();
    bad.optimizer = { ...bad.optimizer, beta: 1.5 };
    await expect(run(bad)).rejects.toThrow(HyperparameterError);
    await expect(run(bad)).rejects.toThrow(/β/);
  });

  it('leaks no tensor across epochs or runs', async () => {
    const start = tf.memory().numTensors;
    for (const optimizer of ['sgd', 'sam', 'esam'] as const) {
      const counts: number[] = [];
      const config = tinyConfig({ epochs: 3 });
      config.optimizer = { ...config.optimizer, name: optimizer };
      await run(config, { onEpoch: () => counts.push(tf.memory().numTensors) });
      expect(new Set(counts).size).toBe(1);
      expect(tf.memory().numTensors).toBe(start);
    }
  });
});
