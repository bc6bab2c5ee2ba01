/**
 * The page's line to the training worker. Commands that need a ready backend (runs,
 * landscapes, stops) wait in an outbox until the worker answers the latest 'init'; messages
 * that may arrive many times a second are handed on in batches, so a fast run cannot flood
 * React.
 */
import type { TrainingWorkerClient } from '../worker/client';
import type { BackendChoice, FromWorker, ToWorker } from '../worker/protocol';

/** Whether a message waits for the next batch (true) or is applied at once with those waiting. */
const BATCHED: { readonly [T in FromWorker['type']]: boolean } = {
  ready: false,
  'run-started': false,
  progress: true,
  probe: false,
  epoch: true,
  paused: false,
  weights: false,
  done: false,
  'dataset-progress': true,
  'dataset-ready': false,
  'dataset-error': false,
  datasets: false,
  memory: false,
  'landscape-progress': true,
  'landscape-done': false,
  'landscape-error': false,
  error: false,
};

export interface LinkTimers {
  /** Delay before batched messages are applied (ms). */
  flushDelayMs: number;
  setTimer: (fn: () => void, ms: number) => unknown;
  clearTimer: (handle: unknown) => void;
}

export class WorkerLink {
  private pending: FromWorker[] = [];
  private flushHandle: unknown = null;
  /** Commands held back until the worker answers the latest 'init'. */
  private outbox: ToWorker[] = [];
  private awaiting = false;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly worker: TrainingWorkerClient,
    private readonly timers: LinkTimers,
    /** Applies a batch of messages, in the order they came. */
    private readonly apply: (messages: readonly FromWorker[]) => void,
  ) {
    this.unsubscribe = worker.subscribe((m) => this.receive(m));
  }

  /** Whether an 'init' is unanswered (commands wait in the outbox). */
  get awaitingReady(): boolean {
    return this.awaiting;
  }

  /** Sends a command at once. */
  send(message: ToWorker): void {
    this.worker.send(message);
  }

  /** (Re)initialises the worker's backend; later queued commands wait for its answer. */
  init(backend: BackendChoice): void {
    this.awaiting = true;
    this.worker.send({ type: 'init', backend });
  }

  /** Sends a command that needs a ready backend, holding it while an 'init' is unanswered. */
  sendWhenReady(message: ToWorker): void {
    if (this.awaiting) this.outbox.push(message);
    else this.worker.send(message);
  }

  /** The 'init' was answered (ready or failed): sends what waited. */
  releaseOutbox(): void {
    this.awaiting = false;
    const out = this.outbox;
    this.outbox = [];
    for (const m of out) this.worker.send(m);
  }

  /** Receives a worker message; frequent ones are applied in batches. */
  receive(message: FromWorker): void {
    this.pending.push(message);
    if (!BATCHED[message.type]) {
      this.flush();
    } else if (this.flushHandle === null) {
      this.flushHandle = this.timers.setTimer(() => this.flush(), this.timers.flushDelayMs);
    }
  }

  /** Applies every pending message in order. */
  flush(): void {
    if (this.flushHandle !== null) {
      this.timers.clearTimer(this.flushHandle);
      this.flushHandle = null;
    }
    const messages = this.pending;
    this.pending = [];
    if (messages.length > 0) this.apply(messages);
  }

  dispose(): void {
    this.unsubscribe();
    if (this.flushHandle !== null) this.timers.clearTimer(this.flushHandle);
  }
}
