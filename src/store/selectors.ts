/**
 * Pure questions about the page's state ("can a run start?", "why not?"). Components read
 * them through one hook (useApp in ui/context.tsx), so every answer is recomputed when the
 * state it depends on changes; the controller's actions ask the same functions.
 */
import type { DatasetName } from '../data/types';
import { validateLandscapeOptions } from '../engine/landscape/record';
import type { RunRecord } from '../engine/run-record';
import type { DatasetSource } from '../worker/protocol';
import { defaultBaseline } from './compare';
import { isLive, type RunEntry } from './runs';
import { DATASET_LABELS, parseValue, settingErrors, SETTINGS, type SettingErrors, type SettingId } from './settings';
import type { AppState } from './slices/state';
import { sweepErrors } from './sweep';

export function activeRun(state: Pick<AppState, 'order' | 'runs'>): RunEntry | null {
  for (const id of state.order) {
    const e = state.runs[id];
    if (e.phase === 'running' || e.phase === 'paused') return e;
  }
  return null;
}

export function liveRuns(state: Pick<AppState, 'order' | 'runs'>): RunEntry[] {
  return state.order.map((id) => state.runs[id]).filter(isLive);
}

/** Selected runs, oldest first. */
export function selectedEntries(state: Pick<AppState, 'order' | 'runs' | 'selected'>): RunEntry[] {
  return state.order.filter((id) => state.selected.includes(id)).map((id) => state.runs[id]);
}

/** Whether a dataset load is under way (another cannot start). */
export function loadingDataset(state: Pick<AppState, 'datasets'>): boolean {
  const load = state.datasets.load;
  return load !== null && load.error === null;
}

/** The cached dataset a run of `name` would use, or null. */
export function datasetSourceFor(state: Pick<AppState, 'datasets'>, name: DatasetName): DatasetSource | null {
  if (name === 'synthetic') return { kind: 'synthetic' };
  const { cached, chosen } = state.datasets;
  const pick = cached.find((c) => c.name === name && c.source === chosen[name]) ?? cached.find((c) => c.name === name);
  return pick ? { kind: 'cached', name, source: pick.source } : null;
}

/** Errors per setting, including text that is not a value. */
export function fieldErrors(state: Pick<AppState, 'settings' | 'drafts'>): SettingErrors {
  const errors = settingErrors(state.settings);
  for (const [id, text] of Object.entries(state.drafts) as [SettingId, string][]) {
    const def = SETTINGS[id];
    const parsed = parseValue(def, text);
    if (!parsed.ok) errors[id] = `${def.label}: “${text}” is not ${parsed.expected}`;
  }
  return errors;
}

export interface StartBlocker {
  /** The setting to fix, when there is one. */
  setting: SettingId | null;
  message: string;
}

/** Every reason Start is disabled, with the setting to fix (empty when a run can start). */
export function startBlockerList(state: Pick<AppState, 'settings' | 'drafts' | 'datasets'>): StartBlocker[] {
  const reasons: StartBlocker[] = (Object.entries(fieldErrors(state)) as [SettingId, string][]).map(([setting, message]) => ({
    setting,
    message,
  }));
  const name = state.settings.dataset;
  if (!datasetSourceFor(state, name)) {
    reasons.push({
      setting: null,
      message: `${DATASET_LABELS[name]} is not loaded in this browser yet: drop its files, pick them, or load them from a URL (under Dataset).`,
    });
  }
  return reasons;
}

/** Every reason Start is disabled, in words (empty when a run can start). */
export function startBlockers(state: Pick<AppState, 'settings' | 'drafts' | 'datasets'>): string[] {
  return startBlockerList(state).map((b) => b.message);
}

/** Why the sweep cannot be queued (empty when it can). */
export function sweepBlockers(state: Pick<AppState, 'settings' | 'drafts' | 'datasets' | 'sweepSpec'>): string[] {
  return [...startBlockers(state), ...sweepErrors(state.sweepSpec, state.settings.batchSize)];
}

/** Finished runs whose weights are stored: the ones a landscape can be asked for. */
export function landscapeCandidates(state: Pick<AppState, 'order' | 'runs' | 'landscapes'>): string[] {
  return state.order.filter((id) => state.landscapes.weights.includes(id) && state.runs[id]?.phase === 'finished');
}

/** Why a landscape of this run cannot be computed (null when it can). */
export function landscapeBlocker(state: Pick<AppState, 'runs' | 'landscapes' | 'datasets'>, runId: string): string | null {
  const entry = state.runs[runId];
  if (!entry) return 'No such run.';
  if (!state.landscapes.weights.includes(runId))
    return 'Only runs trained in this browser that completed or were stopped after an epoch keep their weights.';
  const name = entry.record.config.dataset.name;
  if (!datasetSourceFor(state, name)) return `${DATASET_LABELS[name]} is not loaded in this browser any more.`;
  const errors = validateLandscapeOptions(state.landscapes.options);
  return errors.length ? errors.join(' ') : null;
}

/** The distinct reasons the landscapes of these runs cannot be computed (empty when they can). */
export function landscapeBlockers(state: Pick<AppState, 'runs' | 'landscapes' | 'datasets'>, runIds: readonly string[]): string[] {
  return [...new Set(runIds.map((id) => landscapeBlocker(state, id)).filter((b): b is string => b !== null))];
}

/** The baseline in effect: the chosen one if it is among `records`, else the default. */
export function baselineAmong(state: Pick<AppState, 'baselineId'>, records: readonly RunRecord[]): string | null {
  const chosen = state.baselineId;
  return chosen && records.some((r) => r.id === chosen) ? chosen : defaultBaseline(records);
}
