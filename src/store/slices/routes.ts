/**
 * Where each worker message goes. The table is typed by message type: a message type the
 * protocol gains without a route here does not compile.
 */
import type { FromWorker } from '../../worker/protocol';
import { onError, onReady } from './backend';
import type { Outcome, Route, RouteEnv, Routes } from './context';
import { onDatasetError, onDatasetProgress, onDatasetReady, onDatasets } from './datasets';
import { onLandscapeDone, onLandscapeError, onLandscapeProgress, onWeights } from './landscapes';
import { onDone, onEpoch, onMemory, onPaused, onProbe, onProgress, onRunStarted } from './runs';
import type { AppState } from './state';

export const ROUTES: Routes = {
  ready: onReady,
  error: onError,
  'run-started': onRunStarted,
  progress: onProgress,
  probe: onProbe,
  epoch: onEpoch,
  paused: onPaused,
  done: onDone,
  memory: onMemory,
  weights: onWeights,
  'dataset-progress': onDatasetProgress,
  'dataset-ready': onDatasetReady,
  'dataset-error': onDatasetError,
  datasets: onDatasets,
  'landscape-progress': onLandscapeProgress,
  'landscape-done': onLandscapeDone,
  'landscape-error': onLandscapeError,
};

/** Routes one message through the table. */
export function route(state: AppState, message: FromWorker, env: RouteEnv): Outcome {
  // The table pairs each type with its own route; TypeScript cannot follow that through a union.
  return (ROUTES[message.type] as Route<FromWorker['type']>)(state, message, env);
}

/** Routes a batch in order: the final state and every effect, in order. */
export function routeAll(state: AppState, messages: readonly FromWorker[], env: RouteEnv): Outcome {
  let next = state;
  const effects: Outcome['effects'] = [];
  for (const m of messages) {
    const out = route(next, m, env);
    next = out.state;
    effects.push(...out.effects);
  }
  return { state: next, effects };
}
