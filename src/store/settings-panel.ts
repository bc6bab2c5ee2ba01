/**
 * The config panel's settings: the schema's rows (src/engine/config/schema.ts) with the
 * panel-only extras (option labels, units, sliders, panel-only checks) as an overlay keyed by
 * field. The panel, the URL and the panel's validation read this table.
 */
import type { DatasetName } from '../data/types';
import { BACKEND_LABELS, type BackendName } from '../engine/backend-names';
import { CONFIG_BOUNDS } from '../engine/config/bounds';
import { fieldProblem, FIELD_RULES } from '../engine/config/checks';
import { applies, field, FIELD_IDS, type FieldId, type FieldValues } from '../engine/config/schema';
import { MODEL_DESCRIPTIONS, MODEL_NAMES } from '../engine/model-names';
import type { OptimizerName } from '../engine/optimizer/config';

/** Every value the config panel holds, flat: one per schema row. */
export type Settings = FieldValues;
export type SettingId = FieldId;

interface BaseDef<K extends SettingId> {
  id: K;
  /** The URL key: the CLI flag without its dashes. */
  param: string;
  label: string;
  /** One or two sentences shown on hover or focus. */
  help: string;
  /** Why the value is not allowed here, or null. Only called while the setting is active. */
  check?: (value: Settings[K], s: Settings) => string | null;
}

export interface EnumOption<V extends string> {
  value: V;
  label: string;
  help?: string;
}

export interface EnumDef<K extends SettingId> extends BaseDef<K> {
  kind: 'enum';
  options: readonly EnumOption<Extract<Settings[K], string>>[];
}

export interface NumberDef<K extends SettingId> extends BaseDef<K> {
  /** 'int' accepts whole numbers only. */
  kind: 'number' | 'int';
  unit?: string;
  /** A range slider next to the text field. */
  slider?: { min: number; max: number; step: number };
}

export interface BoolDef<K extends SettingId> extends BaseDef<K> {
  kind: 'bool';
}

type DefFor<K extends SettingId> = Settings[K] extends boolean ? BoolDef<K> : Settings[K] extends number ? NumberDef<K> : EnumDef<K>;

export type SettingDef = { [K in SettingId]: DefFor<K> }[SettingId];

export const DATASET_LABELS: Record<DatasetName, string> = {
  synthetic: 'Built-in synthetic',
  cifar10: 'CIFAR-10',
  cifar100: 'CIFAR-100',
  'fashion-mnist': 'Fashion-MNIST',
};

export const OPTIMIZER_LABELS: Record<OptimizerName, string> = { sgd: 'SGD', sam: 'SAM', esam: 'ESAM' };

/** What the panel adds to a row; an enum's options are labelled by their value unless named here. */
interface PanelExtra {
  options?: Record<string, { label: string; help?: string }>;
  unit?: string;
  slider?: { min: number; max: number; step: number };
  /** A panel-only check (the engine has no batch to fill, no seed group). */
  check?: (value: number, s: Settings) => string | null;
}

const RATIO_SLIDER = { min: 0.05, max: 1, step: 0.05 };

const PANEL: Partial<Record<SettingId, PanelExtra>> = {
  dataset: {
    options: {
      synthetic: { label: DATASET_LABELS.synthetic, help: '32×32 colour images of 10 shape and texture classes, made from the seed' },
      cifar10: { label: DATASET_LABELS.cifar10, help: '50,000 + 10,000 32×32 photos, 10 classes' },
      cifar100: { label: DATASET_LABELS.cifar100, help: '50,000 + 10,000 32×32 photos, 100 classes' },
      'fashion-mnist': { label: DATASET_LABELS['fashion-mnist'], help: '60,000 + 10,000 28×28 grey images of clothes, 10 classes' },
    },
  },
  trainSize: {
    unit: '0 = all',
    check: (v, s) => (v === 0 || v >= s.batchSize ? null : `Training images (${v}) must fill at least one batch of ${s.batchSize}`),
  },
  testSize: { unit: '0 = all' },
  labelNoise: { unit: '0–1', slider: { min: 0, max: 0.8, step: 0.05 } },
  model: { options: Object.fromEntries(MODEL_NAMES.map((name) => [name, { label: name, help: MODEL_DESCRIPTIONS[name] }])) },
  optimizer: { options: Object.fromEntries(Object.entries(OPTIMIZER_LABELS).map(([value, label]) => [value, { label }])) },
  beta: { unit: '0–1', slider: RATIO_SLIDER },
  gamma: { unit: '0–1', slider: RATIO_SLIDER },
  seeds: { check: (v, s) => (s.seed + v - 1 <= CONFIG_BOUNDS.maxSeed ? null : 'The last seed must be below 2³²') },
  backend: {
    options: {
      auto: { label: 'automatic' },
      ...Object.fromEntries(Object.entries(BACKEND_LABELS).map(([name, label]) => [name, { label }] as [BackendName, { label: string }])),
    },
  },
};

/** The row's own range, its rules across fields, then the panel's own check: the first problem. */
function panelCheck(id: SettingId, extra: PanelExtra | undefined) {
  return (value: unknown, s: Settings): string | null => {
    const own = fieldProblem(id, value, 'panel');
    if (own) return own;
    for (const rule of FIELD_RULES) if (rule.field === id && !rule.holds(s)) return rule.message(s, 'panel');
    return extra?.check?.(value as number, s) ?? null;
  };
}

function settingDef(id: SettingId): SettingDef {
  const spec = field(id);
  const extra = PANEL[id];
  const base = { id, param: spec.key, label: spec.label, help: spec.help };
  switch (spec.kind) {
    case 'bool':
      return { ...base, kind: 'bool' } as SettingDef;
    case 'enum':
      return {
        ...base,
        kind: 'enum',
        options: spec.values.map((value) => ({ value, ...(extra?.options?.[value] ?? { label: value }) })),
      } as SettingDef;
    case 'int':
    case 'number':
      return { ...base, kind: spec.kind, unit: extra?.unit, slider: extra?.slider, check: panelCheck(id, extra) } as SettingDef;
  }
}

/** The table itself, in the schema's order. */
export const SETTINGS = Object.fromEntries(FIELD_IDS.map((id) => [id, settingDef(id)])) as { [K in SettingId]: DefFor<K> };

export const SETTING_DEFS: readonly SettingDef[] = FIELD_IDS.map((id) => SETTINGS[id] as SettingDef);

/** Looks a definition up by its URL key. */
export function defByParam(param: string): SettingDef | undefined {
  return SETTING_DEFS.find((d) => d.param === param);
}

/** Whether the control matters with these settings; inactive controls are disabled and not validated. */
export function isActive(def: SettingDef, s: Settings): boolean {
  return applies(def.id, s);
}
