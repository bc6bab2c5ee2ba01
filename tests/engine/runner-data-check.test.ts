/** The runner refuses a dataset it cannot train on correctly, before any tensor exists. */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DatasetError } from '../../src/data/errors';
import { makeSyntheticDataset } from '../../src/data/synthetic';
import type { ImageDataset } from '../../src/data/types';
import { defaultRunConfig } from '../../src/engine/defaults';
import { runTraining } from '../../src/engine/runner';
import { useBackend } from '../support/backend';

const environment = { backend: 'cpu', adapter: null, tfjsVersion: tf.version.tfjs, agent: 'test' };
const config = { ...defaultRunConfig('synthetic'), model: 'linear', batchSize: 16, epochs: 1 };

async function refused(dataset: ImageDataset): Promise<string> {
  const before = tf.memory().numTensors;
  const err = await runTraining({ id: 'r', name: 't', config, dataset, environment }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(DatasetError);
  expect(tf.memory().numTensors).toBe(before);
  return (err as Error).message;
}

describe('runner data check', () => {
  beforeAll(async () => {
    await useBackend();
  });

  it('a label outside the class count (a corrupt cache entry) is refused, naming split and label', async () => {
    const d = makeSyntheticDataset({ seed: 1, trainSize: 32, testSize: 8 });
    const labels = d.train.labels.slice();
    labels[5] = 10;
    expect(await refused({ ...d, train: { ...d.train, labels } })).toBe(
      'synthetic training split: label 5 (0-based) is 10, but the dataset has 10 classes (expected 0..9)',
    );
  });

  it('an empty test split and sizes that disagree are refused', async () => {
    const d = makeSyntheticDataset({ seed: 1, trainSize: 32, testSize: 8 });
    expect(await refused({ ...d, test: { images: new Uint8Array(0), labels: new Uint8Array(0), count: 0 } })).toBe(
      'synthetic test split: has no images (count 0)',
    );
    expect(await refused({ ...d, train: { ...d.train, count: 33 } })).toMatch(/^synthetic training split: has 32 labels for 33 images/);
  });
});
