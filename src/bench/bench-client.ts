import type { FromBenchWorker, ToBenchWorker } from './protocol';

type Answer<T extends FromBenchWorker['type']> = Extract<FromBenchWorker, { type: T }>;

/** Starts a bench worker for one request and resolves with its `answer` message (the worker then ends). */
export function askBenchWorker<T extends 'throughput' | 'bare-loop' | 'filter-gradient'>(
  request: ToBenchWorker,
  answer: T,
  onMessage?: (message: FromBenchWorker) => void,
): Promise<Answer<T>> {
  const worker = new Worker(new URL('./bench.worker.ts', import.meta.url), { type: 'module', name: 'bench' });
  return new Promise<Answer<T>>((resolve, reject) => {
    worker.addEventListener('message', (event: MessageEvent<FromBenchWorker>) => {
      const message = event.data;
      onMessage?.(message);
      if (message.type === answer) resolve(message as Answer<T>);
      if (message.type === 'error') reject(new Error(message.message));
    });
    worker.addEventListener('error', (event) => reject(new Error(`the bench worker failed: ${event.message || 'unknown error'}`)));
    worker.postMessage(request);
  }).finally(() => worker.terminate());
}
