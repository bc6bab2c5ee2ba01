import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeSyntheticDataset } from '../../src/data/synthetic';
import { defaultRunConfig } from '../../src/engine/defaults';
import type { DatasetProvider } from '../../src/worker/datasets';
import type { FromWorker } from '../../src/worker/protocol';
import { TrainingSession } from '../../src/worker/session';
import { useBackend } from '../support/backend';

const dataset = makeSyntheticDataset({ seed: 1, trainSize: 64, testSize: 16 });
const datasets: DatasetProvider = {
  get: async () => dataset,
  loadFiles: async () => ({ dataset, source: '' }),
  loadUrl: async () => ({ dataset, source: '' }),
  listCached: async () => [],
  clearCache: async () => undefined,
};

describe('a lost WebGPU device (real backend, Dawn)', () => {
  beforeAll(async () => {
    await useBackend();
  });

  it('fails the run with a message saying so, and the next run gets a fresh device', async () => {
    const { createBackendManager } = await import('../../src/worker/backend');
    const messages: FromWorker[] = [];
    const waiters: [(m: FromWorker) => boolean, (m: FromWorker) => void][] = [];
    const session = new TrainingSession(
      (m) => {
        messages.push(m);
        waiters.filter(([test]) => test(m)).forEach(([, resolve]) => resolve(m));
      },
      createBackendManager('node'),
      datasets,
    );
    const when = (test: (m: FromWorker) => boolean) => new Promise<FromWorker>((resolve) => waiters.push([test, resolve]));
    const base = defaultRunConfig('synthetic');
    const config = { ...base, model: 'linear', batchSize: 16, epochs: 30, dataset: { ...base.dataset, trainSize: 64, testSize: 16 } };
    const start = (runId: string, epochs: number) =>
      session.handle({ type: 'start', runId, name: runId, createdAt: '', config: { ...config, epochs }, dataset: { kind: 'synthetic' } });

    await session.handle({ type: 'init', backend: 'webgpu' });
    const ready = messages[0] as Extract<FromWorker, { type: 'ready' }>;
    expect(ready.backend.backend).toBe('webgpu');
    expect(ready.backend.description).toMatch(/^WebGPU — /);

    const firstEpoch = when((m) => m.type === 'epoch');
    const lostDone = when((m) => m.type === 'done' && m.runId === 'lost');
    await start('lost', 30);
    await firstEpoch;
    (tf.backend() as unknown as { device: GPUDevice }).device.destroy();
    const failed = (await lostDone) as Extract<FromWorker, { type: 'done' }>;
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/GPU device was lost/);

    const nextDone = when((m) => m.type === 'done' && m.runId === 'after');
    await start('after', 1);
    const next = (await nextDone) as Extract<FromWorker, { type: 'done' }>;
    expect(next.status).toBe('completed');
    expect(next.summary.finalTestAcc).not.toBeNull();
  });
});
