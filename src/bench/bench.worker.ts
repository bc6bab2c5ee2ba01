/// <reference lib="webworker" />
/** The bench page's worker: throughput and bare-loop measurements on one exact backend. */
import { makeSyntheticDataset } from '../data/synthetic';
import { createBackendManager } from '../worker/backend';
import { bareLoopThroughput } from './bare-loop';
import { benchFilterGradient, CONV_MODELS, recordFilterGradientShapes } from './filter-gradient';
import type { BenchBackend, FromBenchWorker, ToBenchWorker } from './protocol';
import { measureThroughput } from './throughput';

declare const self: DedicatedWorkerGlobalScope;
const post = (message: FromBenchWorker) => self.postMessage(message);
const backends = createBackendManager(navigator.userAgent);

/** Starts exactly `name`: a benchmark that silently fell back would report the wrong backend. */
async function useBackend(name: BenchBackend): Promise<void> {
  const report = await backends.init(name);
  if (report.backend !== name) throw new Error(`the ${name} backend could not start (${report.fallbackReason ?? 'unknown reason'})`);
  post({ type: 'backend', backend: report });
}

async function handle(message: ToBenchWorker): Promise<void> {
  if (message.type === 'filter-gradient') {
    await backends.init('cpu'); // finds the calls quickly; only their shapes matter
    const shapes = recordFilterGradientShapes(CONV_MODELS, message.batchSize);
    await useBackend(message.backend);
    const result = await benchFilterGradient(shapes, {
      batchSize: message.batchSize,
      reps: message.reps,
      onProgress: (line) => post({ type: 'progress', done: Number(line.split('/')[0]), total: shapes.length }),
    });
    post({ type: 'filter-gradient', result });
    return;
  }
  await useBackend(message.backend);
  if (message.type === 'throughput') {
    const results = await measureThroughput({ ...message.options, onProgress: (done, total) => post({ type: 'progress', done, total }) });
    post({ type: 'throughput', results });
  } else {
    // The same dataset the training worker builds for a synthetic run; the runner takes the subset.
    const data = makeSyntheticDataset({ seed: message.config.seed });
    post({ type: 'bare-loop', imagesPerSec: (await bareLoopThroughput(data, message.config)).imagesPerSec });
  }
}

self.addEventListener('message', (event: MessageEvent<ToBenchWorker>) => {
  handle(event.data).catch((e: unknown) => post({ type: 'error', message: e instanceof Error ? e.message : String(e) }));
});
