/** The runner with the optional linearity diagnostic ζ (appendix A.3) on and off. */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeSyntheticDataset } from '../../src/data/synthetic';
import { defaultRunConfig } from '../../src/engine/defaults';
import { LINEARITY_EPOCH_KEYS, type RunConfig } from '../../src/engine/run-record';
import { runTraining } from '../../src/engine/runner';
import { HyperparameterError } from '../../src/engine/validation';
import { useBackend } from '../support/backend';

const dataset = makeSyntheticDataset({ seed: 1, trainSize: 64, testSize: 16 });
const environment = { backend: 'cpu', adapter: null, tfjsVersion: tf.version.tfjs, agent: 'test' };

function tinyConfig(over: Partial<RunConfig> = {}): RunConfig {
  const base = defaultRunConfig('synthetic');
  return { ...base, model: 'conv', batchSize: 16, epochs: 2, lr: 0.05, ...over, dataset: { ...base.dataset, trainSize: 32, testSize: 16 } };
}

const run = (config: RunConfig) => runTraining({ id: 'r', name: 'test', config, dataset, environment });

describe('runner: linearity ζ', () => {
  beforeAll(async () => {
    await useBackend();
  });

  it('records ζ for B, B+ and B− in every epoch when on, and nothing when off', async () => {
    const on = await run(tinyConfig({ linearity: true }));
    expect(on.status).toBe('completed');
    expect(on.config.linearity).toBe(true);
    expect(on.epochs).toHaveLength(2);
    for (const epoch of on.epochs) {
      for (const key of LINEARITY_EPOCH_KEYS) {
        expect(Number.isFinite(epoch[key]), key).toBe(true);
        expect(epoch[key]).toBeGreaterThanOrEqual(0);
      }
    }

    const off = await run(tinyConfig());
    expect(off.status).toBe('completed');
    expect(off.config).not.toHaveProperty('linearity');
    for (const epoch of off.epochs) for (const key of LINEARITY_EPOCH_KEYS) expect(epoch).not.toHaveProperty(key);
    // Measuring ζ does not change the training itself.
    expect(on.epochs.map((e) => e.trainLoss)).toEqual(off.epochs.map((e) => e.trainLoss));
  });

  it('refuses a linearity that is not a boolean', async () => {
    await expect(run({ ...tinyConfig(), linearity: 'yes' as unknown as boolean })).rejects.toThrow(HyperparameterError);
  });
});
