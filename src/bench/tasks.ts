/**
 * What the bench page can be asked to measure, read from its URL, and what it hands back.
 * tfjs-free: the Node driver builds these URLs and reads these results.
 */
import type { TensorMemory } from '../worker/protocol';
import type { BenchBackend } from './protocol';
import type { FilterGradientBench } from './filter-gradient-report';
import type { ConfigThroughput } from './throughput';
import { isModelName, type ModelName } from '../engine/model-names';

export interface ThroughputTask {
  task: 'throughput';
  backend: BenchBackend;
  model: ModelName;
  batchSize: number;
  warmupSteps: number;
  stepsPerSample: number;
  samples: number;
  seed: number;
}

/** A real run in the training worker, against the bare loop of the same steps. */
export interface OverheadTask {
  task: 'overhead';
  backend: BenchBackend;
  model: ModelName;
  batchSize: number;
  trainSize: number;
  epochs: number;
  seed: number;
}

/** Each Conv2DBackpropFilter route timed on every conv shape of the models (src/bench/filter-gradient.ts). */
export interface FilterGradientTask {
  task: 'filter-gradient';
  backend: BenchBackend;
  /** Ignored (the shapes come from every conv model); kept so every task has one. */
  model: ModelName;
  batchSize: number;
  /** Timed calls per route and shape. */
  samples: number;
  seed: number;
}

export type BenchTask = ThroughputTask | OverheadTask | FilterGradientTask;

export interface OverheadResult {
  /** Training-phase images/s of each epoch as the worker reported them. */
  workerImagesPerSec: number[];
  /** The same steps in a bare loop. */
  bareImagesPerSec: number[];
  /** Median over the epochs after the first (which compiles shaders), worker ÷ bare. */
  ratio: number;
  /** Per epoch: seconds from one epoch message to the next (training + evaluation + diagnostics). */
  epochWallSeconds: number[];
  memory: TensorMemory[];
}

export type BenchResult =
  | { task: 'throughput'; results: ConfigThroughput[] }
  | { task: 'overhead'; result: OverheadResult }
  | { task: 'filter-gradient'; result: FilterGradientBench };

/** What the page exposes to a driver (window.__bench). */
export interface BenchState {
  status: 'idle' | 'running' | 'done' | 'error';
  progress: string;
  backend: string | null;
  result: BenchResult | null;
  error: string | null;
}

const BACKENDS: readonly BenchBackend[] = ['webgpu', 'webgl', 'cpu'];

function intParam(params: URLSearchParams, key: string, fallback: number, min: number, max: number): number {
  const raw = params.get(key);
  if (raw === null) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw new Error(`${key}=${raw}: expected an integer from ${min} to ${max}`);
  return value;
}

/** Parses the page's query string; throws a message naming the bad parameter. Null when no task is asked for. */
export function parseBenchTask(search: string): BenchTask | null {
  const params = new URLSearchParams(search);
  const task = params.get('task');
  if (task === null) return null;
  const backend = (params.get('backend') ?? 'webgpu') as BenchBackend;
  if (!BACKENDS.includes(backend)) throw new Error(`backend=${backend}: expected one of ${BACKENDS.join(', ')}`);
  const model = params.get('model') ?? 'cnn';
  if (!isModelName(model)) throw new Error(`model=${model}: unknown model`);
  const batchSize = intParam(params, 'batch', 128, 2, 1024);
  const seed = intParam(params, 'seed', 1, 0, 2 ** 31 - 1);
  if (task === 'throughput') {
    return {
      task,
      backend,
      model,
      batchSize,
      seed,
      warmupSteps: intParam(params, 'warmup', 2, 1, 100),
      stepsPerSample: intParam(params, 'steps', 3, 1, 1000),
      samples: intParam(params, 'samples', 3, 1, 100),
    };
  }
  if (task === 'overhead') {
    return {
      task,
      backend,
      model,
      batchSize,
      seed,
      trainSize: intParam(params, 'train-size', 512, 2, 50000),
      epochs: intParam(params, 'epochs', 10, 2, 100),
    };
  }
  if (task === 'filter-gradient') return { task, backend, model, batchSize, seed, samples: intParam(params, 'samples', 3, 1, 100) };
  throw new Error(`task=${task}: expected throughput, overhead or filter-gradient`);
}

export function benchTaskQuery(task: BenchTask): string {
  const common = { task: task.task, backend: task.backend, model: task.model, batch: task.batchSize, seed: task.seed };
  const extra =
    task.task === 'throughput'
      ? { warmup: task.warmupSteps, steps: task.stepsPerSample, samples: task.samples }
      : task.task === 'filter-gradient'
        ? { samples: task.samples }
        : { 'train-size': task.trainSize, epochs: task.epochs };
  return new URLSearchParams(Object.entries({ ...common, ...extra }).map(([k, v]) => [k, String(v)])).toString();
}
