/** The panel's settings as a run config and back, their defaults and their errors: loops over the schema. */
import type { DatasetName } from '../data/types';
import { configOf, configValue, defaultValues, withOffValues } from '../engine/config/run-config';
import { applies, CONFIG_FIELD_IDS, field, OFF_VALUES, type FieldId } from '../engine/config/schema';
import { modelTrainingDefaults } from '../engine/defaults';
import { DEFAULT_MODEL, isModelName } from '../engine/model-names';
import type { RunConfig } from '../engine/run-record';
import { HyperparameterError, validateRunConfig } from '../engine/validation';
import type { BackendChoice } from '../worker/protocol';
import { defByParam, isActive, SETTING_DEFS, type SettingId, type Settings } from './settings-panel';

export function defaultSettings(dataset: DatasetName = 'synthetic', model: string = DEFAULT_MODEL): Settings {
  return defaultValues(dataset, isModelName(model) ? model : DEFAULT_MODEL);
}

/**
 * The settings after the model changes from `prev.model` to `model`: the learning rate and ρ follow
 * the new model's defaults unless the person had changed them from the old model's.
 */
export function withModel(prev: Settings, model: string): Settings {
  const from = modelTrainingDefaults(prev.model);
  const to = modelTrainingDefaults(model);
  return {
    ...prev,
    model,
    lr: prev.lr === from.lr ? to.lr : prev.lr,
    rho: prev.rho === from.rho ? to.rho : prev.rho,
  };
}

export type SettingErrors = Partial<Record<SettingId, string>>;

/** Why each active setting is not allowed, by setting; empty when the settings can start a run. */
export function settingErrors(s: Settings): SettingErrors {
  const errors: SettingErrors = {};
  for (const def of SETTING_DEFS) {
    if (!isActive(def, s) || !def.check) continue;
    const check = def.check as (value: Settings[SettingId], s: Settings) => string | null;
    const error = check(s[def.id], s);
    if (error) errors[def.id] = error;
  }
  if (Object.keys(errors).length === 0) {
    // The engine's own check is the last word (it is what the worker will apply).
    try {
      validateRunConfig(toRunConfig(s), isModelName);
    } catch (e) {
      if (!(e instanceof HyperparameterError)) throw e;
      const def = defByParam(e.param);
      errors[def?.id ?? 'optimizer'] = e.message;
    }
  }
  return errors;
}

/** The run config (see docs/run-json.md). A field that does not apply holds its OFF value (a half of ESAM that is off has its ratio at 1). */
export function toRunConfig(s: Settings): RunConfig {
  return configOf(withOffValues(s));
}

/**
 * Settings that reproduce a run's config (used to load a run's setup back into the panel). A
 * ratio that did not apply in the run keeps the panel's own value; settings outside the config
 * (seeds) keep theirs.
 */
export function settingsFromRunConfig(c: RunConfig, backend: BackendChoice, previous: Settings): Settings {
  const next: Settings = { ...previous, backend };
  const write = next as unknown as Record<FieldId, unknown>;
  for (const id of CONFIG_FIELD_IDS) write[id] = configValue(c, id) ?? (field(id).optional ? false : previous[id]);
  for (const [id, off] of Object.entries(OFF_VALUES) as [FieldId, unknown][]) {
    if (typeof off === 'number' && !applies(id, next)) write[id] = previous[id];
  }
  return next;
}
