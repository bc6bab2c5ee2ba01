/** Messages between the bench page and its worker. */
import type { RunConfig } from '../engine/run-record';
import type { BackendReport } from '../worker/protocol';
import type { ConfigThroughput, ThroughputOptions } from './throughput';

export type BenchBackend = 'webgpu' | 'webgl' | 'cpu';

export type ToBenchWorker =
  | { type: 'throughput'; backend: BenchBackend; options: Omit<ThroughputOptions, 'now' | 'onProgress'> }
  /** The bare loop of a run's steps on the built-in synthetic set. */
  | { type: 'bare-loop'; backend: BenchBackend; config: RunConfig };

export type FromBenchWorker =
  | { type: 'backend'; backend: BackendReport }
  | { type: 'progress'; done: number; total: number }
  | { type: 'throughput'; results: ConfigThroughput[] }
  | { type: 'bare-loop'; imagesPerSec: number[] }
  | { type: 'error'; message: string };
