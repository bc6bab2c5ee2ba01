import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeSyntheticDataset } from '../../src/data/synthetic';
import { defaultRunConfig } from '../../src/engine/defaults';
import type { RunConfig } from '../../src/engine/run-record';
import { runTraining, type EpochDetails, type ProbeBatch } from '../../src/engine/runner';
import { useBackend } from '../support/backend';

const dataset = makeSyntheticDataset({ seed: 1, trainSize: 96, testSize: 40 });
const environment = { backend: 'cpu', adapter: null, tfjsVersion: tf.version.tfjs, agent: 'test' };

function config(labelNoise: number): RunConfig {
  const base = defaultRunConfig('synthetic', 'linear');
  return { ...base, batchSize: 16, epochs: 2, dataset: { ...base.dataset, trainSize: 64, testSize: 40, labelNoise } };
}

async function trained(labelNoise: number) {
  let probe: ProbeBatch | null = null;
  const details: EpochDetails[] = [];
  const record = await runTraining(
    { id: 'r', name: 't', config: config(labelNoise), dataset, environment },
    { onProbe: (p) => (probe = p), onEpoch: (_e, _s, d) => details.push(d) },
  );
  return { record, probe: probe as ProbeBatch | null, details };
}

describe('the probe batch and what SDS picks in a run', () => {
  beforeAll(async () => {
    await useBackend();
  });

  it('hands over the probe batch once, and B+ (⌊γ·|B|⌋ distinct probe indices) each epoch', async () => {
    const { record, probe, details } = await trained(0);
    expect(probe).not.toBeNull();
    expect(probe!.labels).toHaveLength(16);
    expect(probe!.images).toHaveLength(16 * 32 * 32 * 3);
    expect(probe!.cleanLabels).toBeNull();
    expect(details).toHaveLength(2);
    for (const d of details) {
      expect(d.probeBPlus).toHaveLength(8); // γ = 0.5 of 16
      expect(new Set(d.probeBPlus).size).toBe(8);
      expect(d.probeBPlus.every((i) => Number.isInteger(i) && i >= 0 && i < 16)).toBe(true);
    }
    expect(record.epochs.every((e) => e.flippedBatch === undefined && e.flippedBPlus === undefined)).toBe(true);
  });

  it('with label noise, records the share of replaced labels in the batch and in B+', async () => {
    const { record, probe, details } = await trained(0.5);
    const clean = probe!.cleanLabels!;
    const flipped = probe!.labels.map((l, i) => l !== clean[i]);
    expect(flipped.some(Boolean)).toBe(true);
    record.epochs.forEach((e, k) => {
      expect(e.flippedBatch).toBeCloseTo(flipped.filter(Boolean).length / 16, 12);
      const plus = details[k].probeBPlus;
      expect(e.flippedBPlus).toBeCloseTo(plus.filter((i) => flipped[i]).length / plus.length, 12);
    });
  });
});
