import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeSyntheticDataset } from '../../src/data/synthetic';
import { defaultRunConfig } from '../../src/engine/defaults';
import { runTraining } from '../../src/engine/runner';
import { useBackend } from '../support/backend';

const dataset = makeSyntheticDataset({ seed: 2, trainSize: 64, testSize: 16 });
const environment = { backend: 'cpu', adapter: null, tfjsVersion: tf.version.tfjs, agent: 'test' };

describe('the cost meter leaks nothing', () => {
  beforeAll(async () => {
    await useBackend();
  });

  it('across the steps and epochs of a metered run, for every method', async () => {
    const base = defaultRunConfig('synthetic');
    for (const [name, swp, sds] of [
      ['sgd', false, false],
      ['sam', false, false],
      ['esam', true, true],
    ] as const) {
      const before = tf.memory().numTensors;
      const counts: number[] = [];
      let inEpoch = 0;
      const record = await runTraining(
        {
          id: name,
          name,
          config: {
            ...base,
            model: 'conv',
            optimizer: { ...base.optimizer, name, swp, sds },
            batchSize: 16,
            epochs: 2,
            dataset: { ...base.dataset, trainSize: 64, testSize: 16 },
          },
          dataset,
          environment,
          // Every step timed, every step's losses read back at once.
          costSamplesPerEpoch: 4,
          readbackEvery: 1,
        },
        {
          checkpoint: async () => {
            counts.push(tf.memory().numTensors);
            return 'continue';
          },
          onEpoch: () => inEpoch++,
        },
      );
      expect(record.status, name).toBe('completed');
      expect(inEpoch).toBe(2);
      expect(record.epochs[1].updateMs, name).toBeGreaterThan(0);
      // The same count before every step of both epochs.
      expect(new Set(counts).size, `${name}: ${counts.join(', ')}`).toBe(1);
      expect(tf.memory().numTensors, name).toBe(before);
    }
  });
});
