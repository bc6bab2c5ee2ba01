/**
 * The config panel's settings, from the run config's schema (src/engine/config/schema.ts). Each
 * job is its own file: the panel's table (settings-panel), the run config, defaults and errors
 * (settings-config), the URL (settings-url) and the optimizer presets (settings-presets); this
 * module is where the store and the UI import them from.
 */
export { DATASET_LABELS, defByParam, isActive, OPTIMIZER_LABELS, SETTING_DEFS, SETTINGS } from './settings-panel';
export type { BoolDef, EnumDef, EnumOption, NumberDef, SettingDef, SettingId, Settings } from './settings-panel';
export { defaultSettings, settingErrors, settingsFromRunConfig, toRunConfig, withModel, type SettingErrors } from './settings-config';
export { formatValue, parseQuery, parseValue, serializeQuery, type ParsedQuery, type ParsedValue } from './settings-url';
export { applyPreset, describeConfig, methodOf, PRESETS, presetLabelOf, presetOf, type Preset, type PresetId } from './settings-presets';
