/** The panel's settings, the text typed into fields that is not a value yet, and notices about the address. */
import type { DatasetName } from '../../data/types';
import { defaultAugment } from '../../engine/defaults';
import { applyExperiment, experimentById, type ExperimentId } from '../experiments';
import { liveRuns } from '../selectors';
import {
  applyPreset as withPreset,
  parseQuery,
  parseValue,
  SETTINGS,
  settingsFromRunConfig,
  withModel,
  type PresetId,
  type SettingId,
  type Settings,
} from '../settings';
import type { SliceContext } from './context';

export interface SettingsSliceState {
  settings: Settings;
  /** Text typed into a field that is not a value of its type (e.g. "0.," for a number). */
  drafts: Partial<Record<SettingId, string>>;
  /** Notices about the address (ignored or out-of-range keys). */
  notices: string[];
}

export function initialSettings(search: string): SettingsSliceState {
  const { settings, notices } = parseQuery(search);
  return { settings, drafts: {}, notices };
}

/** The settings after one setting changes, with what follows from it. */
export function withSetting<K extends SettingId>(prev: Settings, id: K, value: Settings[K]): Settings {
  const next: Settings = id === 'model' && value !== prev.model ? withModel(prev, value as string) : { ...prev, [id]: value };
  if (id === 'dataset' && value !== prev.dataset) next.augment = defaultAugment(value as DatasetName);
  // Switching a half of ESAM on makes the optimizer ESAM.
  if ((id === 'swp' || id === 'sds') && value === true) next.optimizer = 'esam';
  return next;
}

export function withoutDrafts(drafts: SettingsSliceState['drafts'], ids: readonly SettingId[]): SettingsSliceState['drafts'] {
  const next = { ...drafts };
  for (const id of ids) delete next[id];
  return next;
}

/** The settings once a dataset is loaded: the panel switches to it. */
export function withDataset(settings: Settings, name: DatasetName): Settings {
  return settings.dataset === name ? settings : { ...settings, dataset: name, augment: defaultAugment(name) };
}

export interface SettingsActions {
  setSetting<K extends SettingId>(id: K, value: Settings[K]): void;
  /** Text typed into a field: a value of the field's type is applied, anything else is kept as a draft and blocks Start. */
  setText(id: SettingId, text: string): void;
  /** Sets the data and training settings of an experiment preset; the method stays. */
  applyExperiment(id: ExperimentId): void;
  applyPreset(id: PresetId): void;
  /** Loads a run's setup back into the panel. */
  useRunConfig(id: string): void;
  dismissNotices(): void;
}

export function settingsActions(ctx: SliceContext): SettingsActions {
  const change = (next: Settings, clearDrafts: readonly SettingId[] = []): void => {
    const s = ctx.get();
    const prev = s.settings;
    ctx.set({ settings: next, drafts: withoutDrafts(s.drafts, clearDrafts) });
    ctx.writeUrl();
    if (next.backend !== prev.backend && liveRuns(ctx.get()).length === 0) ctx.initBackend(next.backend);
    if (next.dataset !== prev.dataset || (next.dataset === 'synthetic' && next.seed !== prev.seed)) ctx.requestSample();
  };
  const actions: SettingsActions = {
    setSetting(id, value) {
      change(withSetting(ctx.get().settings, id, value), [id]);
    },
    setText(id, text) {
      const parsed = parseValue(SETTINGS[id], text);
      if (parsed.ok) actions.setSetting(id, parsed.value as Settings[typeof id]);
      else ctx.set({ drafts: { ...ctx.get().drafts, [id]: text } });
    },
    applyExperiment(id) {
      change(applyExperiment(ctx.get().settings, id), Object.keys(experimentById(id).settings) as SettingId[]);
    },
    applyPreset(id) {
      change(withPreset(ctx.get().settings, id), ['optimizer', 'swp', 'sds', 'beta', 'gamma']);
    },
    useRunConfig(id) {
      const s = ctx.get();
      const entry = s.runs[id];
      if (!entry) return;
      change(settingsFromRunConfig(entry.record.config, s.settings.backend, s.settings), Object.keys(s.drafts) as SettingId[]);
    },
    dismissNotices() {
      ctx.set({ notices: [] });
    },
  };
  return actions;
}
