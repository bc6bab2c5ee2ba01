/** Messages between the bench page and its worker. */
import type { BackendName } from '../engine/backend-names';
import type { RunConfig } from '../engine/run-record';
import type { BackendReport } from '../worker/protocol';
import type { FilterGradientBench } from './filter-gradient-report';
import type { ConfigThroughput, ThroughputOptions } from './throughput';

/** webgpu, webgl (and cpu) in the bench page; wasm and cpu also in Node (npm run bench). */
export type BenchBackend = BackendName;

export type ToBenchWorker =
  | { type: 'throughput'; backend: BenchBackend; options: Omit<ThroughputOptions, 'now' | 'onProgress'> }
  /** The bare loop of a run's steps on the built-in synthetic set. */
  | { type: 'bare-loop'; backend: BenchBackend; config: RunConfig }
  /** The filter-gradient routes on every conv shape of the models (shapes found on the CPU backend first). */
  | { type: 'filter-gradient'; backend: BenchBackend; batchSize: number; reps: number };

export type FromBenchWorker =
  | { type: 'backend'; backend: BackendReport }
  | { type: 'progress'; done: number; total: number }
  | { type: 'throughput'; results: ConfigThroughput[] }
  | { type: 'bare-loop'; imagesPerSec: number[] }
  | { type: 'filter-gradient'; result: FilterGradientBench }
  | { type: 'error'; message: string };
