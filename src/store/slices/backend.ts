/** The compute backend: which one the worker was asked for, what it reported, and whether it is up. */
import type { RunEnvironment } from '../../engine/run-record';
import type { BackendChoice, BackendReport } from '../../worker/protocol';
import { alertEffect, type Route, type SliceContext } from './context';

export interface BackendState {
  /** The choice the worker was last initialised with. */
  choice: BackendChoice;
  report: BackendReport | null;
  state: 'starting' | 'ready' | 'failed';
  error: string | null;
}

export interface BackendSliceState {
  backend: BackendState;
}

export function initialBackend(choice: BackendChoice): BackendSliceState {
  return { backend: { choice, report: null, state: 'starting', error: null } };
}

export function backendStarting(b: BackendState, choice: BackendChoice): BackendState {
  return { ...b, choice, state: 'starting', error: null };
}

export function backendReady(b: BackendState, report: BackendReport): BackendState {
  return { ...b, report, state: 'ready', error: null };
}

export function backendFailed(b: BackendState, error: string): BackendState {
  return { ...b, state: 'failed', error };
}

/** The environment a queued run records until the worker reports its own. */
export function runEnvironment(b: BackendState, agent: string): RunEnvironment {
  const r = b.report;
  if (r) return { backend: r.backend, adapter: r.adapter, tfjsVersion: r.tfjsVersion, agent: r.agent };
  return { backend: b.choice === 'auto' ? 'unknown' : b.choice, adapter: null, tfjsVersion: 'unknown', agent };
}

export interface BackendActions {
  initBackend(choice: BackendChoice): void;
  refreshMemory(): void;
}

export function backendActions(ctx: SliceContext): BackendActions {
  return {
    initBackend(choice) {
      ctx.set({ backend: backendStarting(ctx.get().backend, choice) });
      ctx.link.init(choice);
    },
    refreshMemory() {
      ctx.link.send({ type: 'memory' });
    },
  };
}

export const onReady: Route<'ready'> = (state, m) => ({
  state: { ...state, backend: backendReady(state.backend, m.backend) },
  effects: [{ kind: 'release-outbox' }],
});

/** An error outside a run while an 'init' is unanswered is the backend failing to start. */
export const onError: Route<'error'> = (state, m, env) => {
  const run = m.runId ? state.runs[m.runId] : undefined;
  const alert = alertEffect(run ? `Run “${run.record.name}”: ${m.message}` : m.message);
  if (m.runId || !env.awaitingReady) return { state, effects: [alert] };
  return { state: { ...state, backend: backendFailed(state.backend, m.message) }, effects: [{ kind: 'release-outbox' }, alert] };
};
