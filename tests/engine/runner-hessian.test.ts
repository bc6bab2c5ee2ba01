/** The runner with the optional λ_max measurement (top Hessian eigenvalue of the probe batch's loss) on and off. */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseTrainArgs } from '../../scripts/cli/args';
import { makeSyntheticDataset } from '../../src/data/synthetic';
import { toTrainArgv } from '../../src/engine/config/argv';
import { defaultRunConfig } from '../../src/engine/defaults';
import { HESSIAN_EPOCH_KEYS, type RunConfig, type RunRecord } from '../../src/engine/run-record';
import { runTraining } from '../../src/engine/runner';
import { HESSIAN_ITERATIONS } from '../../src/engine/sharpness/budget';
import { HyperparameterError } from '../../src/engine/validation';
import type { ModelWeights } from '../../src/engine/weights';
import { useBackend } from '../support/backend';

const dataset = makeSyntheticDataset({ seed: 1, trainSize: 64, testSize: 16 });
const environment = { backend: 'cpu', adapter: null, tfjsVersion: tf.version.tfjs, agent: 'test' };

function tinyConfig(over: Partial<RunConfig> = {}): RunConfig {
  const base = defaultRunConfig('synthetic');
  return { ...base, model: 'mlp', batchSize: 16, epochs: 2, lr: 0.05, ...over, dataset: { ...base.dataset, trainSize: 32, testSize: 16 } };
}

interface Observed {
  record: RunRecord;
  weights: ModelWeights | null;
  /** tf.memory().numTensors as each epoch is reported. */
  tensors: number[];
}

async function run(config: RunConfig): Promise<Observed> {
  let weights: ModelWeights | null = null;
  const tensors: number[] = [];
  const record = await runTraining(
    { id: 'r', name: 'test', config, dataset, environment },
    {
      onEpoch: () => tensors.push(tf.memory().numTensors),
      onWeights: (w) => {
        weights = w;
      },
    },
  );
  return { record, weights, tensors };
}

describe('runner: λ_max', () => {
  beforeAll(async () => {
    await useBackend();
  });

  it('records λ_max, its residual and iteration count in every epoch when on, without changing the training', async () => {
    const before = tf.memory().numTensors;
    const on = await run(tinyConfig({ hessian: true }));
    expect(tf.memory().numTensors).toBe(before);
    expect(on.record.status).toBe('completed');
    expect(on.record.config.hessian).toBe(true);
    expect(on.record.epochs).toHaveLength(2);
    for (const epoch of on.record.epochs) {
      for (const key of HESSIAN_EPOCH_KEYS) expect(Number.isFinite(epoch[key]), key).toBe(true);
      expect(epoch.lambdaMax).toBeGreaterThan(0);
      expect(epoch.lambdaMaxResidual).toBeGreaterThanOrEqual(0);
      expect(epoch.lambdaMaxResidual).toBeLessThan(1);
      expect(epoch.lambdaMaxIterations).toBe(HESSIAN_ITERATIONS);
    }
    // The measurement holds no tensor from one epoch to the next.
    expect(new Set(on.tensors).size).toBe(1);

    const off = await run(tinyConfig());
    expect(off.record.status).toBe('completed');
    expect(off.record.config).not.toHaveProperty('hessian');
    for (const epoch of off.record.epochs) for (const key of HESSIAN_EPOCH_KEYS) expect(epoch).not.toHaveProperty(key);
    // Same weights, losses and diagnostics: λ_max draws from a stream of its own and restores the weights.
    expect(on.weights).not.toBeNull();
    expect(on.weights).toEqual(off.weights);
    const strip = (r: RunRecord) =>
      r.epochs.map(({ seconds: _s, imagesPerSec: _i, lambdaMax: _l, lambdaMaxResidual: _r, lambdaMaxIterations: _n, ...rest }) => rest);
    expect(strip(on.record)).toEqual(strip(off.record));
  });

  it('refuses a hessian that is not a boolean', async () => {
    await expect(
      runTraining({ id: 'r', name: 'test', config: { ...tinyConfig(), hessian: 1 as unknown as boolean }, dataset, environment }),
    ).rejects.toThrow(HyperparameterError);
  });

  it('round-trips through the CLI: --hessian on, absent when off', () => {
    const on = tinyConfig({ hessian: true });
    const argv = toTrainArgv(on);
    expect(argv).toContain('--hessian');
    expect(parseTrainArgs(argv).config).toEqual(on);
    const off = tinyConfig();
    expect(toTrainArgv(off)).not.toContain('--hessian');
    expect(parseTrainArgs(toTrainArgv(off)).config).not.toHaveProperty('hessian');
    expect(parseTrainArgs([...toTrainArgv(off), '--no-hessian']).config).not.toHaveProperty('hessian');
  });
});
