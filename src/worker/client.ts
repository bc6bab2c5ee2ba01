import type { FromWorker, ToWorker } from './protocol';

/** The page's handle on the training worker: typed send and one listener list. */
export interface TrainingWorkerClient {
  send(message: ToWorker): void;
  /** Adds a listener; returns the function that removes it. */
  subscribe(listener: (message: FromWorker) => void): () => void;
  terminate(): void;
}

export function createTrainingWorker(): TrainingWorkerClient {
  const worker = new Worker(new URL('./training.worker.ts', import.meta.url), { type: 'module', name: 'training' });
  const listeners = new Set<(message: FromWorker) => void>();
  worker.addEventListener('message', (event: MessageEvent<FromWorker>) => {
    for (const listener of listeners) listener(event.data);
  });
  worker.addEventListener('error', (event) => {
    const message: FromWorker = { type: 'error', runId: null, message: `The training worker failed: ${event.message || 'unknown error'}` };
    for (const listener of listeners) listener(message);
  });
  return {
    send: (message) => worker.postMessage(message),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    terminate: () => worker.terminate(),
  };
}
