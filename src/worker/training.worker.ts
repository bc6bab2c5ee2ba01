/// <reference lib="webworker" />
/** The training worker: the only place that knows about postMessage and the backend. */
import { createBackendManager } from './backend';
import { createDatasetProvider } from './datasets';
import type { FromWorker, ToWorker } from './protocol';
import { TrainingSession } from './session';

declare const self: DedicatedWorkerGlobalScope;

const session = new TrainingSession(
  (message: FromWorker) => self.postMessage(message),
  createBackendManager(navigator.userAgent),
  createDatasetProvider(),
);

self.addEventListener('message', (event: MessageEvent<ToWorker>) => void session.handle(event.data));
self.addEventListener('unhandledrejection', (event) => {
  const message: FromWorker = { type: 'error', runId: null, message: String(event.reason?.message ?? event.reason) };
  self.postMessage(message);
});
