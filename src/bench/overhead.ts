/** The playground's own cost: a real run in the training worker against the bare loop of its steps. */
import { defaultRunConfig } from '../engine/defaults';
import type { RunConfig } from '../engine/run-record';
import { createTrainingWorker } from '../worker/client';
import type { FromWorker, TensorMemory } from '../worker/protocol';
import { askBenchWorker } from './bench-client';
import { summarizeSamples } from './stats';
import type { OverheadResult, OverheadTask } from './tasks';

export function overheadRunConfig(task: OverheadTask): RunConfig {
  const base = defaultRunConfig('synthetic', task.model);
  return {
    ...base,
    model: task.model,
    batchSize: task.batchSize,
    epochs: task.epochs,
    seed: task.seed,
    dataset: { ...base.dataset, trainSize: task.trainSize, testSize: task.batchSize },
  };
}

interface WorkerRun {
  imagesPerSec: number[];
  wallSeconds: number[];
  memory: TensorMemory[];
}

/** Runs `config` in the real training worker, as the app does, and collects its epoch messages. */
function runInTrainingWorker(task: OverheadTask, config: RunConfig, onProgress: (text: string) => void): Promise<WorkerRun> {
  const worker = createTrainingWorker();
  const run: WorkerRun = { imagesPerSec: [], wallSeconds: [], memory: [] };
  let last = 0;
  return new Promise<WorkerRun>((resolve, reject) => {
    worker.subscribe((message: FromWorker) => {
      switch (message.type) {
        case 'ready':
          if (message.backend.backend !== task.backend) {
            reject(new Error(`the training worker started ${message.backend.backend}, not ${task.backend}`));
            return;
          }
          last = performance.now();
          worker.send({
            type: 'start',
            runId: 'bench',
            name: 'bench',
            createdAt: new Date().toISOString(),
            config,
            dataset: { kind: 'synthetic' },
          });
          return;
        case 'progress':
          onProgress(`training worker: epoch ${message.epoch}, step ${message.step}/${message.steps}`);
          return;
        case 'epoch': {
          const t = performance.now();
          run.wallSeconds.push((t - last) / 1000);
          last = t;
          run.imagesPerSec.push(message.epoch.imagesPerSec);
          run.memory.push(message.memory);
          return;
        }
        case 'done':
          if (message.status === 'completed') resolve(run);
          else reject(new Error(`the run ended ${message.status}: ${message.error ?? ''}`));
          return;
        case 'error':
          reject(new Error(message.message));
          return;
      }
    });
    worker.send({ type: 'init', backend: task.backend });
  }).finally(() => worker.terminate());
}

export async function measureOverhead(task: OverheadTask, onProgress: (text: string) => void): Promise<OverheadResult> {
  const config = overheadRunConfig(task);
  const inWorker = await runInTrainingWorker(task, config, onProgress);
  onProgress('bare loop');
  const bare = (await askBenchWorker({ type: 'bare-loop', backend: task.backend, config }, 'bare-loop')).imagesPerSec;
  // The first epoch compiles shaders in both; compare the steady state.
  const steady = (rates: number[]) => summarizeSamples(rates.slice(1)).median;
  return {
    workerImagesPerSec: inWorker.imagesPerSec,
    bareImagesPerSec: bare,
    ratio: steady(inWorker.imagesPerSec) / steady(bare),
    epochWallSeconds: inWorker.wallSeconds,
    memory: inWorker.memory,
  };
}
