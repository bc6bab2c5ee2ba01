/**
 * Over 3 seeds of a short setup, each epoch's mean test accuracy of the engine lies within two
 * standard deviations (sample std over the seeds) of the twin's. The twin draws subsets, order
 * and initial weights from its own seeded streams, so only the statistics can agree.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRunDataset } from '../../scripts/cli/data';
import { writeDatasetFiles } from '../../scripts/export/dataset-files';
import { useCpuBackend } from '../../scripts/tfjs-node';
import { defaultRunConfig } from '../../src/engine/defaults';
import type { RunConfig } from '../../src/engine/run-record';
import { runTraining } from '../../src/engine/runner';
import { parseImport } from '../../src/store/import-export';
import { runTwin } from './python';

const SEEDS = [1, 2, 3];
const EPOCHS = 3;

function setup(seed: number): RunConfig {
  const c = defaultRunConfig();
  c.model = 'mlp';
  c.lr = 0.01;
  c.epochs = EPOCHS;
  c.seed = seed;
  c.dataset.trainSize = 512;
  c.dataset.testSize = 500;
  return c;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sampleStd = (xs: number[]) => Math.sqrt(xs.reduce((a, b) => a + (b - mean(xs)) ** 2, 0) / (xs.length - 1));

let dir = '';
beforeAll(async () => {
  await useCpuBackend();
  dir = await mkdtemp(join(tmpdir(), 'twin-accuracy-'));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('engine and twin learn alike', () => {
  it(`ESAM mlp, 512 images, ${EPOCHS} epochs, seeds ${SEEDS.join(', ')}`, async () => {
    const engine: number[][] = [];
    for (const seed of SEEDS) {
      const config = setup(seed);
      const dataset = await loadRunDataset(config, null);
      await writeDatasetFiles(join(dir, `seed${seed}`), dataset, seed);
      const record = await runTraining({
        id: `engine-${seed}`,
        name: `engine ${seed}`,
        config,
        dataset,
        environment: { backend: 'cpu', adapter: null, tfjsVersion: '', agent: '' },
      });
      expect(record.status).toBe('completed');
      engine.push(record.epochs.map((e) => e.testAcc));
    }
    const out = join(dir, 'twin.json');
    const r = runTwin('train.py', [
      '--data',
      join(dir, 'seed{seed}'),
      '--model',
      'mlp',
      '--lr',
      '0.01',
      '--epochs',
      String(EPOCHS),
      '--train-size',
      '512',
      '--test-size',
      '500',
      '--seed',
      '1',
      '--seeds',
      String(SEEDS.length),
      '--quiet',
      '--out',
      out,
    ]);
    expect(r.status, r.stderr).toBe(0);
    const twin = parseImport(await readFile(out, 'utf8')).map((run) => run.epochs.map((e) => e.testAcc));
    for (let e = 0; e < EPOCHS; e++) {
      const t = twin.map((accs) => accs[e]);
      const m = mean(engine.map((accs) => accs[e]));
      const report = `epoch ${e + 1}: engine mean ${m.toFixed(3)}, twin ${mean(t).toFixed(3)} ± ${sampleStd(t).toFixed(3)}`;
      console.log(report);
      expect(Math.abs(m - mean(t)), report).toBeLessThanOrEqual(2 * sampleStd(t));
    }
  });
});
