import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeSyntheticDataset } from '../../src/data/synthetic';
import { defaultRunConfig } from '../../src/engine/defaults';
import type { RunConfig } from '../../src/engine/run-record';
import type { BackendManager } from '../../src/worker/backend';
import type { DatasetProvider } from '../../src/worker/datasets';
import type { BackendReport, FromWorker } from '../../src/worker/protocol';
import { TrainingSession } from '../../src/worker/session';
import { useBackend } from '../support/backend';

const dataset = makeSyntheticDataset({ seed: 1, trainSize: 64, testSize: 16 });

function config(over: Partial<RunConfig> = {}): RunConfig {
  const base = defaultRunConfig('synthetic');
  return { ...base, model: 'linear', batchSize: 16, epochs: 2, ...over, dataset: { ...base.dataset, trainSize: 64, testSize: 16 } };
}

/** A backend manager over whatever backend the test process runs, whose device can be "lost". */
class FakeBackends implements BackendManager {
  lost: string | null = null;
  recoveries = 0;
  inits = 0;
  private report(): BackendReport {
    return {
      backend: tf.getBackend(),
      adapter: null,
      tfjsVersion: tf.version.tfjs,
      agent: 'test',
      description: 'test',
      software: true,
      fallbackReason: null,
    };
  }
  async init() {
    this.inits++;
    await new Promise((r) => setTimeout(r, 20)); // starting a GPU backend takes a while
    return this.report();
  }
  lostReason() {
    return this.lost;
  }
  async recover() {
    this.recoveries++;
    this.lost = null;
    return this.report();
  }
}

function fakeDatasets(fail = false): DatasetProvider {
  return {
    get: async () => {
      if (fail) throw new Error('cifar10 (x.tar.gz) is no longer stored in this browser; load its files again');
      return dataset;
    },
    loadFiles: async () => ({ dataset, source: 'files' }),
    loadUrl: async () => ({ dataset, source: 'url' }),
    listCached: async () => [],
    clearCache: async () => undefined,
  };
}

function harness(datasets = fakeDatasets()) {
  const messages: FromWorker[] = [];
  const waiters: { test: (m: FromWorker) => boolean; resolve: (m: FromWorker) => void }[] = [];
  const backends = new FakeBackends();
  const session = new TrainingSession(
    (m) => {
      messages.push(structuredClone(m));
      for (const w of [...waiters]) {
        if (w.test(m)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(m);
        }
      }
    },
    backends,
    datasets,
  );
  const next = <T extends FromWorker['type']>(type: T, runId?: string) =>
    new Promise<Extract<FromWorker, { type: T }>>((resolve) =>
      waiters.push({
        test: (m) => m.type === type && (!runId || ('runId' in m && m.runId === runId)),
        resolve: resolve as (m: FromWorker) => void,
      }),
    );
  const start = (runId: string, c: RunConfig = config()) =>
    session.handle({ type: 'start', runId, name: runId, createdAt: '2026-01-01T00:00:00.000Z', config: c, dataset: { kind: 'synthetic' } });
  const of = (runId: string) => messages.filter((m) => 'runId' in m && m.runId === runId);
  const landscapeEnd = (requestId: string) =>
    new Promise<Extract<FromWorker, { type: 'landscape-done' | 'landscape-error' }>>((resolve) =>
      waiters.push({
        test: (m) => (m.type === 'landscape-done' || m.type === 'landscape-error') && m.requestId === requestId,
        resolve: resolve as (m: FromWorker) => void,
      }),
    );
  return { session, messages, backends, next, start, of, landscapeEnd };
}

describe('training session (the worker without postMessage)', () => {
  beforeAll(async () => {
    await useBackend();
  });

  it('runs a tiny run and streams only what is new', async () => {
    const h = harness();
    await h.session.handle({ type: 'init', backend: 'auto' });
    expect(h.messages[0].type).toBe('ready');
    const done = h.next('done', 'a');
    await h.start('a');
    expect((await done).status).toBe('completed');
    const types = h.of('a').map((m) => m.type);
    expect(types[0]).toBe('run-started');
    expect(types.filter((t) => t === 'epoch')).toHaveLength(2);
    const losses = h.of('a').flatMap((m) => (m.type === 'progress' ? m.recentLosses : []));
    expect(losses).toHaveLength(2 * 4);
    const started = h.of('a')[0] as Extract<FromWorker, { type: 'run-started' }>;
    expect(started.record.config.dataset.trainSize).toBe(64);
    expect(started.record.epochs).toEqual([]);
  });

  it('sets the backend up once when a start arrives while init is still under way', async () => {
    const h = harness();
    const done = h.next('done', 'eager');
    const init = h.session.handle({ type: 'init', backend: 'auto' });
    await h.start('eager');
    await init;
    expect((await done).status).toBe('completed');
    expect(h.backends.inits).toBe(1);
    expect(h.messages.filter((m) => m.type === 'ready')).toHaveLength(1);
  });

  it('runs queued runs one after another', async () => {
    const h = harness();
    const second = h.next('done', 'second');
    await h.start('first');
    await h.start('second');
    await second;
    const order = h.messages
      .filter((m) => m.type === 'run-started' || m.type === 'done')
      .map((m) => `${m.type}:${'runId' in m ? m.runId : ''}`);
    expect(order).toEqual(['run-started:first', 'done:first', 'run-started:second', 'done:second']);
  });

  it('pauses, stays paused, and resumes', async () => {
    const h = harness();
    const firstProgress = h.next('progress', 'p');
    const done = h.next('done', 'p');
    await h.start('p', config({ epochs: 3 }));
    await firstProgress;
    await h.session.handle({ type: 'pause', runId: 'p' });
    // The step under way (and its epoch's evaluation) may still finish; then nothing moves.
    await new Promise((r) => setTimeout(r, 150));
    const countWhilePaused = h.of('p').length;
    await new Promise((r) => setTimeout(r, 300));
    expect(h.of('p').length).toBe(countWhilePaused);
    await h.session.handle({ type: 'resume', runId: 'p' });
    expect((await done).status).toBe('completed');
    expect(
      h
        .of('p')
        .filter((m) => m.type === 'paused')
        .map((m) => (m as { paused: boolean }).paused),
    ).toEqual([true, false]);
  });

  it('stops a running run (partial epoch discarded) and a queued one', async () => {
    const h = harness();
    const firstEpoch = h.next('epoch', 'r');
    const runDone = h.next('done', 'r');
    const queuedDone = h.next('done', 'q');
    await h.start('r', config({ epochs: 20 }));
    await h.start('q');
    await firstEpoch;
    await h.session.handle({ type: 'stop', runId: 'q' });
    expect((await queuedDone).status).toBe('stopped');
    await h.session.handle({ type: 'stop', runId: 'r' });
    expect((await runDone).status).toBe('stopped');
    expect(h.of('r').filter((m) => m.type === 'epoch').length).toBeLessThan(20);
    expect(h.of('q').map((m) => m.type)).toEqual(['done']);
  });

  it('reports divergence (NaN loss) as its own status', async () => {
    const h = harness();
    const done = h.next('done', 'nan');
    await h.start('nan', config({ lr: 1e9, epochs: 5, schedule: 'constant', model: 'cnn' }));
    const result = await done;
    expect(result.status).toBe('diverged');
    expect(result.error).toMatch(/the loss became (NaN or infinite|absurdly large \(.* nats\))/);
  });

  it('fails the run on a lost GPU device, then recovers for the next run', async () => {
    const h = harness();
    const firstProgress = h.next('progress', 'lost');
    const lostDone = h.next('done', 'lost');
    await h.start('lost', config({ epochs: 10 }));
    await firstProgress;
    h.backends.lost = 'the GPU device was lost (destroyed: test)';
    const result = await lostDone;
    expect(result.status).toBe('failed');
    expect(result.error).toMatch(/GPU device was lost/);
    const nextDone = h.next('done', 'after');
    await h.start('after');
    expect((await nextDone).status).toBe('completed');
    expect(h.backends.recoveries).toBe(1);
  });

  it('fails a run with a bad hyperparameter or a missing dataset, naming the problem', async () => {
    const h = harness(fakeDatasets(true));
    const done = h.next('done', 'x');
    await h.start('x');
    expect((await done).error).toMatch(/no longer stored/);

    const ok = harness();
    const bad = config();
    bad.optimizer = { ...bad.optimizer, gamma: 0 };
    const badDone = ok.next('done', 'bad');
    await ok.start('bad', bad);
    const result = await badDone;
    expect(result.status).toBe('failed');
    expect(result.error).toMatch(/γ/);
  });

  it('leaks no tensors across runs', async () => {
    const h = harness();
    const before = tf.memory().numTensors;
    for (const id of ['l1', 'l2']) {
      const done = h.next('done', id);
      await h.start(id, config({ model: 'conv', epochs: 1 }));
      await done;
      expect(tf.memory().numTensors).toBe(before);
    }
    const epochs = h.messages.filter((m) => m.type === 'epoch') as Extract<FromWorker, { type: 'epoch' }>[];
    expect(new Set(epochs.map((e) => e.memory.numTensors)).size).toBe(1);
  });

  describe('loss landscapes', () => {
    const options = { kind: 'random' as const, resolution: 5, span: 0.5, seed: 3, probe: 'test' as const, probeSize: 16 };

    async function trained(h: ReturnType<typeof harness>, runId: string) {
      const weights = h.next('weights', runId);
      const done = h.next('done', runId);
      await h.start(runId);
      return { weights: (await weights).weights, done: await done };
    }

    it('sends a finished run’s weights before its done, then computes its landscape in the queue with progress', async () => {
      const h = harness();
      const before = tf.memory().numTensors;
      const { weights, done } = await trained(h, 'w');
      const types = h.of('w').map((m) => m.type);
      expect(types.slice(-2)).toEqual(['weights', 'done']);
      expect(weights.params.length).toBeGreaterThan(0);
      const end = h.landscapeEnd('L1');
      const run = { id: 'w', name: 'w', config: config() };
      await h.session.handle({ type: 'landscape', requestId: 'L1', run, weights, dataset: { kind: 'synthetic' }, options });
      const result = await end;
      if (result.type !== 'landscape-done') throw new Error(result.message);
      const progress = h.messages.filter((m) => m.type === 'landscape-progress');
      expect(progress.at(-1)).toMatchObject({ done: 25, total: 25 });
      const { record } = result;
      expect(record).toMatchObject({ id: 'L1', runId: 'w', runName: 'w', options, probeCount: 16 });
      expect(record.loss).toHaveLength(5);
      // The test split is the whole probe set: the centre is the run's last test loss.
      const lastEpoch = (
        h
          .of('w')
          .filter((m) => m.type === 'epoch')
          .at(-1) as Extract<FromWorker, { type: 'epoch' }>
      ).epoch;
      expect(record.loss[2][2]).toBeCloseTo(lastEpoch.testLoss, 5);
      expect(done.status).toBe('completed');
      expect(tf.memory().numTensors).toBe(before);
    });

    it('cancels a queued landscape at once and refuses bad options by name', async () => {
      const h = harness();
      const { weights } = await trained(h, 'w2');
      const run = { id: 'w2', name: 'w2', config: config() };
      const busy = h.next('done', 'busy');
      await h.start('busy');
      const cancelled = h.landscapeEnd('C');
      await h.session.handle({ type: 'landscape', requestId: 'C', run, weights, dataset: { kind: 'synthetic' }, options });
      await h.session.handle({ type: 'cancel-landscape', requestId: 'C' });
      expect(await cancelled).toMatchObject({ type: 'landscape-error', cancelled: true });
      await busy;
      const refused = h.landscapeEnd('B');
      await h.session.handle({
        type: 'landscape',
        requestId: 'B',
        run,
        weights,
        dataset: { kind: 'synthetic' },
        options: { ...options, resolution: 4 },
      });
      expect(await refused).toMatchObject({
        type: 'landscape-error',
        cancelled: false,
        message: expect.stringMatching(/resolution must be an odd integer/),
      });
      const wrong = h.landscapeEnd('W');
      const other = { ...run, config: config({ model: 'conv' }) };
      await h.session.handle({ type: 'landscape', requestId: 'W', run: other, weights, dataset: { kind: 'synthetic' }, options });
      expect(await wrong).toMatchObject({ type: 'landscape-error', message: expect.stringMatching(/do not fit the model/) });
    });

    it('fails a landscape on a lost GPU device, naming it', async () => {
      const h = harness();
      const { weights } = await trained(h, 'w4');
      const end = h.landscapeEnd('G');
      const firstProgress = h.next('landscape-progress');
      await h.session.handle({
        type: 'landscape',
        requestId: 'G',
        run: { id: 'w4', name: 'w4', config: config() },
        weights,
        dataset: { kind: 'synthetic' },
        options: { ...options, resolution: 21 },
      });
      await firstProgress;
      h.backends.lost = 'the GPU device was lost (destroyed)';
      expect(await end).toMatchObject({
        type: 'landscape-error',
        cancelled: false,
        message: expect.stringMatching(/^The GPU device was lost \(destroyed\)\. Compute the landscape again/),
      });
    });

    it('stops a landscape under way when cancelled', async () => {
      const h = harness();
      const { weights } = await trained(h, 'w3');
      const end = h.landscapeEnd('S');
      const firstProgress = h.next('landscape-progress');
      await h.session.handle({
        type: 'landscape',
        requestId: 'S',
        run: { id: 'w3', name: 'w3', config: config() },
        weights,
        dataset: { kind: 'synthetic' },
        options: { ...options, resolution: 21 },
      });
      await firstProgress;
      await h.session.handle({ type: 'cancel-landscape', requestId: 'S' });
      expect(await end).toMatchObject({ type: 'landscape-error', cancelled: true });
      const last = h.messages.filter((m) => m.type === 'landscape-progress').at(-1) as Extract<FromWorker, { type: 'landscape-progress' }>;
      expect(last.done).toBeLessThan(21 * 21);
    });
  });
});
