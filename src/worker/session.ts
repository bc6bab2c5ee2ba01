/**
 * The worker's state machine, free of postMessage so that it runs in Node tests: a queue of
 * runs executed one after another, pause/resume/stop, dataset requests, and recovery from a
 * lost GPU device. Each run builds and disposes its own model and optimizer (in the runner).
 */
import * as tf from '@tensorflow/tfjs';
import { computeLandscape } from '../engine/landscape/compute';
import { LANDSCAPE_FORMAT, type LandscapeRecord } from '../engine/landscape/record';
import { summarize } from '../engine/run-record';
import { DEFAULT_COST_SAMPLES } from '../engine/run/cost-meter';
import { runTraining } from '../engine/runner';
import type { BackendManager } from './backend';
import { summarizeDataset, type DatasetProvider } from './datasets';
import type { BackendReport, FromWorker, TensorMemory, ToWorker } from './protocol';
import { yieldToEventLoop } from './yield';

type StartMessage = Extract<ToWorker, { type: 'start' }>;
type LandscapeMessage = Extract<ToWorker, { type: 'landscape' }>;
/** Runs and landscapes share one queue, so that they never compete for the GPU. */
type Job = StartMessage | LandscapeMessage;

interface ActiveRun {
  runId: string;
  paused: boolean;
  stopRequested: boolean;
  wake: (() => void) | null;
}

export function tensorMemory(): TensorMemory {
  const m = tf.memory() as tf.MemoryInfo & { numBytesInGPU?: number };
  return { numTensors: m.numTensors, numBytes: m.numBytes, numBytesInGPU: m.numBytesInGPU ?? null };
}

export class TrainingSession {
  /** The backend being set up or in use; runs wait for it, so an init and a start never race. */
  private backend: Promise<BackendReport> | null = null;
  private readonly queue: Job[] = [];
  private active: ActiveRun | null = null;
  /** Landscapes asked to stop (queued or being computed). */
  private readonly cancelled = new Set<string>();
  /** Dataset loads in progress, by request id, so that they can be cancelled. */
  private readonly loads = new Map<string, AbortController>();
  private draining = false;

  constructor(
    private readonly post: (message: FromWorker) => void,
    private readonly backends: BackendManager,
    private readonly datasets: DatasetProvider,
  ) {}

  async handle(message: ToWorker): Promise<void> {
    try {
      await this.dispatch(message);
    } catch (e) {
      this.post({ type: 'error', runId: 'runId' in message ? message.runId : null, message: errorText(e) });
    }
  }

  private async dispatch(message: ToWorker): Promise<void> {
    switch (message.type) {
      case 'init':
        this.backend = this.backends.init(message.backend);
        this.post({ type: 'ready', backend: await this.backend });
        return;
      case 'start':
      case 'landscape':
        this.queue.push(message);
        void this.drain();
        return;
      case 'cancel-landscape':
        return this.cancelLandscape(message.requestId);
      case 'pause':
      case 'resume':
        return this.setPaused(message.runId, message.type === 'pause');
      case 'stop':
        return this.stop(message.runId);
      case 'load-files':
      case 'load-url': {
        const progress = (loadedBytes: number, totalBytes: number | null, stage: 'download' | 'parse') =>
          this.post({ type: 'dataset-progress', requestId: message.requestId, loadedBytes, totalBytes, stage });
        const abort = new AbortController();
        this.loads.set(message.requestId, abort);
        try {
          const { dataset, source, notStored } =
            message.type === 'load-files'
              ? await this.datasets.loadFiles(message.files, progress, abort.signal)
              : await this.datasets.loadUrl(message.url, progress, abort.signal);
          const summary = summarizeDataset(dataset, source, 0);
          this.post({ type: 'dataset-ready', requestId: message.requestId, dataset: notStored ? { ...summary, notStored } : summary });
        } catch (e) {
          const cancelled = abort.signal.aborted;
          this.post({
            type: 'dataset-error',
            requestId: message.requestId,
            message: cancelled ? 'cancelled' : errorText(e),
            ...(cancelled ? { cancelled } : {}),
          });
        } finally {
          this.loads.delete(message.requestId);
        }
        return;
      }
      case 'cancel-load':
        this.loads.get(message.requestId)?.abort();
        return;
      case 'describe-dataset': {
        try {
          const dataset = await this.datasets.get(message.dataset, message.seed);
          const source = message.dataset.kind === 'synthetic' ? `seed ${message.seed}` : message.dataset.source;
          this.post({ type: 'dataset-ready', requestId: message.requestId, dataset: summarizeDataset(dataset, source, message.seed) });
        } catch (e) {
          this.post({ type: 'dataset-error', requestId: message.requestId, message: errorText(e) });
        }
        return;
      }
      case 'list-datasets':
        this.post({ type: 'datasets', cached: await this.datasets.listCached() });
        return;
      case 'clear-datasets':
        await this.datasets.clearCache();
        this.post({ type: 'datasets', cached: [] });
        return;
      case 'memory':
        this.post({ type: 'memory', memory: tensorMemory() });
        return;
    }
  }

  private setPaused(runId: string, paused: boolean): void {
    if (this.active?.runId !== runId) return;
    this.active.paused = paused;
    if (!paused) this.wakeActive();
    this.post({ type: 'paused', runId, paused });
  }

  private stop(runId: string): void {
    const queued = this.queue.findIndex((m) => m.type === 'start' && m.runId === runId);
    if (queued >= 0) {
      this.queue.splice(queued, 1);
      this.post({ type: 'done', runId, status: 'stopped', error: null, summary: summarize([], 0) });
      return;
    }
    if (this.active?.runId === runId) {
      this.active.stopRequested = true;
      this.wakeActive();
    }
  }

  private wakeActive(): void {
    const wake = this.active?.wake;
    if (this.active) this.active.wake = null;
    wake?.();
  }

  private cancelLandscape(requestId: string): void {
    const queued = this.queue.findIndex((m) => m.type === 'landscape' && m.requestId === requestId);
    if (queued >= 0) {
      this.queue.splice(queued, 1);
      this.post({ type: 'landscape-error', requestId, message: 'cancelled', cancelled: true });
      return;
    }
    this.cancelled.add(requestId);
  }

  /** Runs queued jobs one after another. */
  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      for (let next = this.queue.shift(); next; next = this.queue.shift()) {
        if (next.type === 'start') await this.execute(next);
        else await this.landscape(next);
      }
    } finally {
      this.draining = false;
    }
  }

  /** The backend, set up afresh when none was asked for yet or the GPU device was lost. */
  private async readyBackend(): Promise<BackendReport> {
    if (!this.backend || this.backends.lostReason()) {
      this.backend = this.backend ? this.backends.recover() : this.backends.init('auto');
      this.post({ type: 'ready', backend: await this.backend });
    }
    return this.backend;
  }

  private async landscape(job: LandscapeMessage): Promise<void> {
    const { requestId } = job;
    const started = performance.now();
    try {
      await this.readyBackend();
      const dataset = await this.datasets.get(job.dataset, job.run.config.seed);
      const grid = await computeLandscape(
        { config: job.run.config, dataset, weights: job.weights, options: job.options },
        {
          onProgress: (done, total) => this.post({ type: 'landscape-progress', requestId, done, total }),
          checkpoint: async () => {
            await yieldToEventLoop();
            const lost = this.backends.lostReason();
            if (lost) throw new Error(`${capitalize(lost)}. Compute the landscape again and the GPU will be set up afresh.`);
            return this.cancelled.has(requestId) ? 'stop' : 'continue';
          },
        },
      );
      if (!grid) {
        this.post({ type: 'landscape-error', requestId, message: 'cancelled', cancelled: true });
        return;
      }
      const record: LandscapeRecord = {
        format: LANDSCAPE_FORMAT,
        id: requestId,
        runId: job.run.id,
        runName: job.run.name,
        createdAt: new Date().toISOString(),
        ...grid,
        seconds: (performance.now() - started) / 1000,
      };
      this.post({ type: 'landscape-done', requestId, record });
    } catch (e) {
      this.post({ type: 'landscape-error', requestId, message: errorText(e), cancelled: false });
    } finally {
      this.cancelled.delete(requestId);
    }
  }

  private async execute(start: StartMessage): Promise<void> {
    const { runId } = start;
    const active: ActiveRun = { runId, paused: false, stopRequested: false, wake: null };
    this.active = active;
    try {
      const backend = await this.readyBackend();
      const dataset = await this.datasets.get(start.dataset, start.config.seed);
      const environment = { backend: backend.backend, adapter: backend.adapter, tfjsVersion: backend.tfjsVersion, agent: backend.agent };
      const record = await runTraining(
        {
          id: runId,
          name: start.name,
          createdAt: start.createdAt,
          config: start.config,
          dataset,
          environment,
          costSamplesPerEpoch: DEFAULT_COST_SAMPLES,
        },
        {
          onStart: (initial) => this.post({ type: 'run-started', runId, record: initial }),
          onProgress: (p) => this.post({ type: 'progress', runId, ...p }),
          onProbe: (probe) => this.post({ type: 'probe', runId, probe }),
          onEpoch: (epoch, summary, { warnings, probeBPlus }) =>
            this.post({ type: 'epoch', runId, epoch, summary, warnings, probeBPlus, memory: tensorMemory() }),
          checkpoint: () => this.checkpoint(active),
          onWeights: (weights) => this.post({ type: 'weights', runId, weights }),
        },
      );
      if (record.status === 'running' || record.status === 'interrupted') throw new Error(`run ended in state ${record.status}`);
      this.post({ type: 'done', runId, status: record.status, error: record.error, summary: record.summary });
    } catch (e) {
      // Refused before training (a bad hyperparameter, a missing dataset): the run fails with the reason.
      this.post({ type: 'done', runId, status: 'failed', error: errorText(e), summary: summarize([], 0) });
    } finally {
      this.active = null;
    }
  }

  private async checkpoint(run: ActiveRun): Promise<'continue' | 'stop'> {
    await yieldToEventLoop();
    while (run.paused && !run.stopRequested) {
      await new Promise<void>((resolve) => (run.wake = resolve));
    }
    const lost = this.backends.lostReason();
    if (lost) throw new Error(`${capitalize(lost)}. The run cannot go on; start it again and the GPU will be set up afresh.`);
    return run.stopRequested ? 'stop' : 'continue';
  }
}

function capitalize(text: string): string {
  return `${text[0].toUpperCase()}${text.slice(1)}`;
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
