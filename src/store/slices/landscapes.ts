/** Loss landscapes: the options of the next one, jobs in the worker, computed records and stored weights. */
import type { LandscapeOptions } from '../../engine/landscape/record';
import type { ModelWeights } from '../../engine/weights';
import {
  applyLandscapeMessage,
  emptyLandscapes,
  landscapesJson,
  removeLandscape,
  showLandscape,
  type LandscapeMessage,
  type LandscapesState,
} from '../landscapes';
import { datasetSourceFor, landscapeBlocker } from '../selectors';
import { alertEffect, type Effect, type Outcome, type Route, type SliceContext } from './context';
import type { AppState } from './state';

export interface LandscapesSliceState {
  landscapes: LandscapesState;
}

export function initialLandscapes(): LandscapesSliceState {
  return { landscapes: emptyLandscapes() };
}

export function withWeights(l: LandscapesState, runId: string): LandscapesState {
  return l.weights.includes(runId) ? l : { ...l, weights: [...l.weights, runId] };
}

export interface LandscapeActions {
  setLandscapeOptions(change: Partial<LandscapeOptions>): void;
  /** Why a landscape of this run cannot be computed (null when it can). */
  landscapeBlocker(runId: string): string | null;
  /** Queues the loss landscape of each run (in the worker, after any queued runs); returns the job ids. */
  computeLandscapes(runIds: readonly string[]): Promise<string[]>;
  cancelLandscape(jobId: string): void;
  showLandscape(id: string, on: boolean): void;
  deleteLandscape(id: string): void;
  /** The JSON of the given landscapes (all when no ids are given). */
  exportLandscapes(ids?: readonly string[]): { fileName: string; json: string; count: number } | null;
}

export interface LandscapesLink {
  actions: LandscapeActions;
  /** Stores a finished run's final weights; the run can then have a landscape. */
  keepWeights(runId: string, weights: ModelWeights): void;
}

export function landscapesSlice(ctx: SliceContext): LandscapesLink {
  const setLandscapes = (landscapes: LandscapesState) => ctx.set({ landscapes });
  const storedWeights = async (runId: string): Promise<ModelWeights | null> => {
    let weights: ModelWeights | null = null;
    await ctx.storage.use(async (p) => {
      weights = await p.getWeights(runId);
    });
    return weights;
  };
  const actions: LandscapeActions = {
    setLandscapeOptions(change) {
      const l = ctx.get().landscapes;
      setLandscapes({ ...l, options: { ...l.options, ...change } });
    },
    landscapeBlocker: (runId) => landscapeBlocker(ctx.get(), runId),
    async computeLandscapes(runIds) {
      const ids: string[] = [];
      for (const runId of runIds) {
        const blocker = landscapeBlocker(ctx.get(), runId);
        const entry = ctx.get().runs[runId];
        if (blocker) {
          ctx.alert(`No landscape for “${entry?.record.name ?? runId}”: ${blocker}`);
          continue;
        }
        const weights = await storedWeights(runId);
        if (!weights) {
          ctx.alert(`No landscape for “${entry.record.name}”: its weights are no longer stored in this browser.`);
          continue;
        }
        const { record } = entry;
        const l = ctx.get().landscapes;
        const options = l.options;
        const id = `landscape-${ctx.deps.newId()}`;
        setLandscapes({ ...l, jobs: [...l.jobs, { id, runId, runName: record.name, options, done: 0, total: 0 }] });
        ctx.link.sendWhenReady({
          type: 'landscape',
          requestId: id,
          run: { id: runId, name: record.name, config: record.config },
          weights,
          dataset: datasetSourceFor(ctx.get(), record.config.dataset.name)!,
          options,
        });
        ids.push(id);
      }
      return ids;
    },
    cancelLandscape(jobId) {
      ctx.link.sendWhenReady({ type: 'cancel-landscape', requestId: jobId });
    },
    showLandscape(id, on) {
      setLandscapes(showLandscape(ctx.get().landscapes, id, on));
    },
    deleteLandscape(id) {
      setLandscapes(removeLandscape(ctx.get().landscapes, id));
      void ctx.storage.use((p) => p.deleteLandscape(id));
    },
    exportLandscapes(ids) {
      const records = ctx.get().landscapes.records.filter((r) => !ids || ids.includes(r.id));
      if (records.length === 0) return null;
      const stamp = ctx.deps.now().toISOString().slice(0, 19).replace(/[:T]/g, '-');
      return { fileName: `esam-playground-landscapes-${stamp}.json`, json: landscapesJson(records), count: records.length };
    },
  };
  return {
    actions,
    keepWeights(runId, weights) {
      void ctx.storage.use(async (p) => {
        await p.putWeights(runId, weights);
        const s = ctx.get();
        if (s.runs[runId]) setLandscapes(withWeights(s.landscapes, runId));
      });
    },
  };
}

export const onWeights: Route<'weights'> = (state, m) => ({
  state,
  effects: state.runs[m.runId] ? [{ kind: 'keep-weights', runId: m.runId, weights: m.weights }] : [],
});

function onLandscapeMessage(state: AppState, m: LandscapeMessage): Outcome {
  const { state: landscapes, finished, error } = applyLandscapeMessage(state.landscapes, m);
  const effects: Effect[] = [];
  if (finished) effects.push({ kind: 'store-landscape', record: finished });
  if (error) effects.push(alertEffect(`Landscape of “${error.job.runName}” failed: ${error.message}`));
  return { state: landscapes === state.landscapes ? state : { ...state, landscapes }, effects };
}

export const onLandscapeProgress: Route<'landscape-progress'> = onLandscapeMessage;
export const onLandscapeDone: Route<'landscape-done'> = onLandscapeMessage;
export const onLandscapeError: Route<'landscape-error'> = onLandscapeMessage;
