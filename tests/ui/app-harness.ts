/** A page controller wired to a fake worker, in-memory storage and timers the test runs. */
import type { TrainingWorkerClient } from '../../src/worker/client';
import type { BackendReport, FromWorker, ToWorker } from '../../src/worker/protocol';
import { memoryPersistence } from '../../src/store/persistence';
import { AppController } from '../../src/store/store';

export const QUERY =
  '?dataset=synthetic&model=linear&optimizer=esam&beta=0.6&gamma=0.5&epochs=2&batch-size=16&train-size=64&test-size=32&seed=1';

export const REPORT: BackendReport = {
  backend: 'webgpu',
  adapter: 'google swiftshader',
  tfjsVersion: '4.22.0',
  agent: 'test',
  description: 'WebGPU — google swiftshader (software adapter)',
  software: true,
  fallbackReason: null,
};

export function fakeWorker() {
  const sent: ToWorker[] = [];
  let listener: ((m: FromWorker) => void) | null = null;
  const client: TrainingWorkerClient = {
    send: (m) => sent.push(m),
    subscribe(l) {
      listener = l;
      return () => (listener = null);
    },
    terminate() {},
  };
  return { client, sent, emit: (m: FromWorker) => listener?.(m) };
}

export function setup(search = QUERY, persistence = memoryPersistence()) {
  const worker = fakeWorker();
  const urls: string[] = [];
  let n = 0;
  const timers: (() => void)[] = [];
  const app = new AppController({
    worker: worker.client,
    persistence: Promise.resolve(persistence),
    location: { read: () => search, write: (s) => urls.push(s) },
    newId: () => `id-${++n}`,
    now: () => new Date('2026-02-03T04:05:06.000Z'),
    agent: 'test',
    // Timers run only when the test says so.
    setTimer: (fn) => (timers.push(fn), timers.length),
    clearTimer: () => {},
  });
  const runTimers = () => timers.splice(0).forEach((f) => f());
  return {
    app,
    worker,
    urls,
    persistence,
    runTimers,
    get state() {
      return app.store.getState();
    },
  };
}

export const settle = () => new Promise((r) => setTimeout(r, 0));
