/**
 * The twin's output is a run@1 / runs@1 file the app imports (its own validator), with the
 * app's defaults and run names; two data-parallel processes give the one-process run.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runName } from '../../scripts/cli/report';
import { writeDatasetFiles } from '../../scripts/export/dataset-files';
import { makeSyntheticDataset } from '../../src/data/synthetic';
import { defaultRunConfig } from '../../src/engine/defaults';
import { MODEL_NAMES } from '../../src/engine/model-names';
import { EPOCH_KEYS } from '../../src/engine/run-record';
import { parseImport } from '../../src/store/import-export';
import { pythonJson, runTwin } from './python';

let dir = '';
let data = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'twin-record-'));
  data = join(dir, 'synthetic-seed{seed}');
  for (const seed of [1, 2]) {
    await writeDatasetFiles(join(dir, `synthetic-seed${seed}`), makeSyntheticDataset({ seed, trainSize: 320, testSize: 100 }), seed);
  }
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const small = ['--model', 'mlp', '--epochs', '2', '--train-size', '256', '--lr', '0.01', '--quiet'];

describe('twin records', () => {
  it('has the app defaults and names runs as the CLI does', () => {
    expect(pythonJson('from config import default_config; print(json.dumps(default_config()))')).toEqual(defaultRunConfig());
    for (const model of MODEL_NAMES) {
      expect(pythonJson(`from config import default_config; print(json.dumps(default_config("cifar10", "${model}")))`)).toEqual(
        defaultRunConfig('cifar10', model),
      );
    }
    const configs = [
      defaultRunConfig(),
      { ...defaultRunConfig(), optimizer: { ...defaultRunConfig().optimizer, name: 'sam' as const, rho: 0.1, adaptive: true } },
    ];
    for (const c of configs) {
      expect(pythonJson(`from config import run_name; print(json.dumps(run_name(json.loads(${JSON.stringify(JSON.stringify(c))}))))`)).toBe(
        runName(c),
      );
    }
  });

  it('writes run@1 that the app imports, one epoch record per epoch', async () => {
    const out = join(dir, 'one.json');
    const r = runTwin('train.py', ['--data', data.replace('{seed}', '1'), ...small, '--optimizer', 'esam', '--linearity', '--out', out]);
    expect(r.status, r.stderr).toBe(0);
    const [run] = parseImport(await readFile(out, 'utf8'));
    expect(run.status).toBe('completed');
    expect(run.name).toBe('ESAM β=0.6 γ=0.5 · synthetic · mlp');
    expect(run.environment.backend).toBe('pytorch-cpu');
    expect(run.config).toMatchObject({ model: 'mlp', epochs: 2, lr: 0.01, linearity: true, dataset: { trainSize: 256, testSize: 100 } });
    expect(run.epochs.map((e) => e.epoch)).toEqual([1, 2]);
    for (const e of run.epochs) {
      for (const key of [...EPOCH_KEYS, 'linearity', 'linearityBPlus', 'linearityBMinus'] as const)
        expect(Number.isFinite(e[key]), key).toBe(true);
      expect(e.testAcc).toBeGreaterThanOrEqual(0);
      expect(e.testAcc).toBeLessThanOrEqual(1);
    }
    expect(run.summary.finalTestAcc).toBe(run.epochs[1].testAcc);
  });

  it('--seeds 2 writes runs@1: the same setup with seeds 1 and 2, each on its own exported set', async () => {
    const out = join(dir, 'seeds.json');
    const r = runTwin('train.py', ['--data', data, ...small, '--optimizer', 'sgd', '--seeds', '2', '--out', out]);
    expect(r.status, r.stderr).toBe(0);
    const runs = parseImport(await readFile(out, 'utf8'));
    expect(runs.map((x) => x.name)).toEqual(['SGD · synthetic · mlp · seed 1', 'SGD · synthetic · mlp · seed 2']);
    expect(runs.map((x) => x.config.seed)).toEqual([1, 2]);
    expect(runs[0].epochs[1].trainLoss).not.toBe(runs[1].epochs[1].trainLoss);
  });

  it('a config file (a run@1 from the app) sets the run; flags override it', async () => {
    const first = join(dir, 'one.json');
    const out = join(dir, 'again.json');
    const r = runTwin('train.py', ['--data', data.replace('{seed}', '1'), '--config', first, '--epochs', '1', '--quiet', '--out', out]);
    expect(r.status, r.stderr).toBe(0);
    const [run] = parseImport(await readFile(out, 'utf8'));
    expect(run.config).toMatchObject({ model: 'mlp', epochs: 1, lr: 0.01, optimizer: { name: 'esam', beta: 0.6, gamma: 0.5 } });
  });

  it('two data-parallel processes (gloo) train the one-process SAM run', async () => {
    const args = ['--data', data.replace('{seed}', '1'), ...small, '--optimizer', 'sam'];
    const single = runTwin('train.py', [...args, '--out', join(dir, 'single.json')]);
    const ddp = runTwin('launch.py', [
      '--nproc-per-node',
      '2',
      join(import.meta.dirname, '../../scripts/reference/twin/train.py'),
      ...args,
      '--out',
      join(dir, 'ddp.json'),
    ]);
    expect(single.status, single.stderr).toBe(0);
    expect(ddp.status, ddp.stderr).toBe(0);
    const [a] = parseImport(await readFile(join(dir, 'single.json'), 'utf8'));
    const [b] = parseImport(await readFile(join(dir, 'ddp.json'), 'utf8'));
    expect(b.environment.agent).toContain('2 processes');
    for (const [ea, eb] of a.epochs.map((e, i) => [e, b.epochs[i]] as const)) {
      for (const key of ['trainLoss', 'trainAcc', 'testLoss', 'testAcc', 'sharpness', 'cosBPlus'] as const) {
        expect(Math.abs(ea[key] - eb[key]), key).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(ea[key])));
      }
    }
  });
});
