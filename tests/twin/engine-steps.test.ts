/**
 * From the same initial weights, batches and SWP masks, the twin's first steps agree with the
 * engine's (createModel + SharpnessAwareOptimizer on tfjs CPU) to 1e-4 relative: per-sample
 * losses at θ and θ+ε, B+, ε, params and BatchNorm state after every step; then the per-epoch
 * diagnostics (with ζ) at the weights reached, on the last batch.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineDump, type DumpOptions } from '../../scripts/reference/twin/engine-dump';
import { useCpuBackend } from '../../scripts/tfjs-node';
import type { OptimizerConfig } from '../../src/engine/optimizer/config';
import type { ModelName } from '../../src/engine/models';
import { runTwin } from './python';

const OPTIMIZERS: Record<string, OptimizerConfig> = {
  sgd: { name: 'sgd', rho: 0.05, adaptive: false, swp: false, beta: 1, sds: false, gamma: 1 },
  sam: { name: 'sam', rho: 0.05, adaptive: false, swp: false, beta: 1, sds: false, gamma: 1 },
  esam: { name: 'esam', rho: 0.05, adaptive: false, swp: true, beta: 0.6, sds: true, gamma: 0.5 },
  asam: { name: 'esam', rho: 0.5, adaptive: true, swp: true, beta: 0.6, sds: true, gamma: 0.5 },
};
const SIDE: Partial<Record<ModelName, number>> = { cnn: 16, 'cnn-bn': 16, mlp: 8, resnet8: 8 };

let dir = '';
beforeAll(async () => {
  await useCpuBackend();
  dir = await mkdtemp(join(tmpdir(), 'twin-steps-'));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

function options(model: ModelName, optimizer: string): DumpOptions {
  const side = SIDE[model] ?? 8;
  return {
    model,
    optimizer: OPTIMIZERS[optimizer],
    shape: [side, side, 3],
    classes: 10,
    batchSize: 16,
    steps: 3,
    lr: 0.05,
    momentum: 0.9,
    weightDecay: 5e-4,
    seed: 3,
  };
}

async function check(model: ModelName, optimizer: string, edit?: (dump: Awaited<ReturnType<typeof engineDump>>) => void) {
  const dump = await engineDump(options(model, optimizer));
  edit?.(dump);
  const file = join(dir, `${model}-${optimizer}.json`);
  await writeFile(file, JSON.stringify(dump));
  return runTwin('check_engine.py', [file, '--tolerance', '1e-4']);
}

describe('twin steps = engine steps', () => {
  const cases: [ModelName, string][] = [
    ['mlp', 'sgd'],
    ['mlp', 'sam'],
    ['mlp', 'esam'],
    ['cnn', 'sgd'],
    ['cnn', 'sam'],
    ['cnn', 'esam'],
    ['cnn-bn', 'sgd'],
    ['cnn-bn', 'sam'],
    ['cnn-bn', 'esam'],
    ['resnet8', 'sgd'],
    ['resnet8', 'sam'],
    ['resnet8', 'esam'],
    ['cnn', 'asam'],
  ];
  it.each(cases)('%s %s', async (model, optimizer) => {
    const r = await check(model, optimizer);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^ok /);
    expect(r.status).toBe(0);
  });

  it('the check fails when the engine did something else (a changed learning rate)', async () => {
    const r = await check('mlp', 'esam', (dump) => {
      dump.steps[1].lr *= 1.01;
    });
    expect(r.stdout).toMatch(/^FAIL /);
    expect(r.status).toBe(1);
  });
});
