/**
 * One declarative table of the config panel's settings. It drives the panel (labels, help,
 * ranges, grouping), the URL query string (docs/url.md: the CLI's flag names without
 * dashes) and validation, so a new setting is one entry here and nowhere else.
 */
import type { DatasetName } from '../data/types';
import { BACKEND_LABELS, BACKEND_NAMES } from '../engine/backend-names';
import { CONFIG_BOUNDS } from '../engine/config/bounds';
import { chosenOfRepeated, formatNumber, parseDecimal, parseWhole, REPEATED_KEY_RULE } from '../engine/config/number-grammar';
import { defaultAugment, defaultRunConfig, MAX_SEEDS, modelTrainingDefaults } from '../engine/defaults';
import { DEFAULT_MODEL, isModelName, MODEL_DESCRIPTIONS, MODEL_NAMES } from '../engine/model-names';
import type { OptimizerName } from '../engine/optimizer/config';
import type { RunConfig } from '../engine/run-record';
import type { ScheduleName } from '../engine/schedule';
import { HyperparameterError, validateRunConfig } from '../engine/validation';
import type { BackendChoice } from '../worker/protocol';

/** Every value the config panel holds, flat. */
export interface Settings {
  dataset: DatasetName;
  trainSize: number;
  testSize: number;
  augment: boolean;
  labelNoise: number;
  model: string;
  optimizer: OptimizerName;
  swp: boolean;
  beta: number;
  sds: boolean;
  gamma: number;
  rho: number;
  adaptive: boolean;
  linearity: boolean;
  lr: number;
  momentum: number;
  weightDecay: number;
  schedule: ScheduleName;
  batchSize: number;
  epochs: number;
  seed: number;
  /** How many runs Start queues, differing only in the seed (seed, seed + 1, …), grouped as one. */
  seeds: number;
  backend: BackendChoice;
}

export type SettingId = keyof Settings;
export type SettingGroup = 'data' | 'model' | 'optimizer' | 'training' | 'compute';

export const GROUP_TITLES: Record<SettingGroup, string> = {
  data: 'Data',
  model: 'Model',
  optimizer: 'Optimizer',
  training: 'Training',
  compute: 'Compute',
};

interface BaseDef<K extends SettingId> {
  id: K;
  /** The URL key: the CLI flag without its dashes. */
  param: string;
  label: string;
  /** One or two sentences shown on hover or focus. */
  help: string;
  group: SettingGroup;
  /** Whether the control matters with these settings; inactive controls are disabled and not validated. */
  active?: (s: Settings) => boolean;
  /** Why the value is not allowed here, or null. Only called while the setting is active. */
  check?: (value: Settings[K], s: Settings) => string | null;
  /** Left out of the URL when it has this value (the backend's automatic choice). */
  omitWhen?: Settings[K];
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

type DefFor<K extends SettingId> = Settings[K] extends boolean
  ? BoolDef<K>
  : Settings[K] extends number
    ? NumberDef<K>
    : EnumDef<K>;

export type SettingDef = { [K in SettingId]: DefFor<K> }[SettingId];

export const DATASET_LABELS: Record<DatasetName, string> = {
  synthetic: 'Built-in synthetic',
  cifar10: 'CIFAR-10',
  cifar100: 'CIFAR-100',
  'fashion-mnist': 'Fashion-MNIST',
};

export const OPTIMIZER_LABELS: Record<OptimizerName, string> = { sgd: 'SGD', sam: 'SAM', esam: 'ESAM' };

const isEsam = (s: Settings) => s.optimizer === 'esam';
const range = (ok: boolean, message: string) => (ok ? null : message);
const wholeAtLeast = (v: number, min: number, what: string) =>
  range(Number.isInteger(v) && v >= min, `${what} must be a whole number ≥ ${min}`);
const atMost = (v: number, max: number, what: string) => range(v <= max, `${what} must be at most ${max.toLocaleString('en-US')}`);

/** The table itself, in the order the panel shows the settings. */
export const SETTINGS: { [K in SettingId]: DefFor<K> } = {
  dataset: {
    id: 'dataset',
    param: 'dataset',
    kind: 'enum',
    group: 'data',
    label: 'Dataset',
    help: 'The images to train on. The built-in set is generated in the browser; CIFAR and Fashion-MNIST need their files once (drop, pick, or download), then stay in this browser.',
    options: [
      { value: 'synthetic', label: DATASET_LABELS.synthetic, help: '32×32 colour images of 10 shape and texture classes, made from the seed' },
      { value: 'cifar10', label: DATASET_LABELS.cifar10, help: '50,000 + 10,000 32×32 photos, 10 classes' },
      { value: 'cifar100', label: DATASET_LABELS.cifar100, help: '50,000 + 10,000 32×32 photos, 100 classes' },
      { value: 'fashion-mnist', label: DATASET_LABELS['fashion-mnist'], help: '60,000 + 10,000 28×28 grey images of clothes, 10 classes' },
    ],
  },
  trainSize: {
    id: 'trainSize',
    param: 'train-size',
    kind: 'int',
    group: 'data',
    label: 'Training images',
    help: 'How many training images to use, drawn by a seeded shuffle. 0 uses all of them.',
    unit: '0 = all',
    check: (v, s) =>
      wholeAtLeast(v, 0, 'Training images') ??
      atMost(v, CONFIG_BOUNDS.maxImages, 'Training images') ??
      range(v === 0 || v >= s.batchSize, `Training images (${v}) must fill at least one batch of ${s.batchSize}`),
  },
  testSize: {
    id: 'testSize',
    param: 'test-size',
    kind: 'int',
    group: 'data',
    label: 'Test images',
    help: 'How many test images to evaluate on after every epoch. 0 uses all of them.',
    unit: '0 = all',
    check: (v) => wholeAtLeast(v, 0, 'Test images') ?? atMost(v, CONFIG_BOUNDS.maxImages, 'Test images'),
  },
  augment: {
    id: 'augment',
    param: 'augment',
    kind: 'bool',
    group: 'data',
    label: 'Augmentation (random crop + flip)',
    help: 'Random 4-pixel-padded crops and horizontal flips of the training images, as in the paper’s CIFAR runs.',
  },
  labelNoise: {
    id: 'labelNoise',
    param: 'label-noise',
    kind: 'number',
    group: 'data',
    label: 'Label noise',
    help: 'Fraction of training labels replaced by a random class (test labels stay clean). SAM-type methods are known to resist label noise.',
    unit: '0–1',
    slider: { min: 0, max: 0.8, step: 0.05 },
    check: (v) => range(Number.isFinite(v) && v >= 0 && v <= 1, 'Label noise must be in [0, 1]'),
  },
  model: {
    id: 'model',
    param: 'model',
    kind: 'enum',
    group: 'model',
    label: 'Model',
    help: 'The network to train. Small models train fastest in the browser; ResNets are closer to the paper but slow.',
    options: MODEL_NAMES.map((name) => ({ value: name, label: name, help: MODEL_DESCRIPTIONS[name] })),
  },
  optimizer: {
    id: 'optimizer',
    param: 'optimizer',
    kind: 'enum',
    group: 'optimizer',
    label: 'Optimizer',
    help: 'SGD takes one gradient per step. SAM takes a second gradient at the worst nearby weights θ+ε. ESAM makes that cheaper with SWP and SDS.',
    options: [
      { value: 'sgd', label: 'SGD' },
      { value: 'sam', label: 'SAM' },
      { value: 'esam', label: 'ESAM' },
    ],
  },
  swp: {
    id: 'swp',
    param: 'swp',
    kind: 'bool',
    group: 'optimizer',
    label: 'SWP — stochastic weight perturbation',
    help: 'Perturb only a random fraction β of the weight tensors each step (scaled by 1/β), so the first backward pass skips the rest.',
    active: isEsam,
  },
  beta: {
    id: 'beta',
    param: 'beta',
    kind: 'number',
    group: 'optimizer',
    label: 'β (SWP)',
    help: 'Fraction of weight tensors perturbed per step. The paper uses 0.6 (ResNet-18) and 0.5 (WideResNet); 1 means no SWP.',
    unit: '0–1',
    slider: { min: 0.05, max: 1, step: 0.05 },
    active: (s) => isEsam(s) && s.swp,
    check: (v) => range(Number.isFinite(v) && v > 0 && v <= 1, 'β (SWP) must be in (0, 1]'),
  },
  sds: {
    id: 'sds',
    param: 'sds',
    kind: 'bool',
    group: 'optimizer',
    label: 'SDS — sharpness-sensitive data selection',
    help: 'Take the second gradient only on the fraction γ of the batch whose loss rises most under the perturbation (B+).',
    active: isEsam,
  },
  gamma: {
    id: 'gamma',
    param: 'gamma',
    kind: 'number',
    group: 'optimizer',
    label: 'γ (SDS)',
    help: 'Fraction of the batch kept for the second pass. The paper finds 0.5 the smallest value that keeps SAM’s accuracy; 1 means no SDS.',
    unit: '0–1',
    slider: { min: 0.05, max: 1, step: 0.05 },
    active: (s) => isEsam(s) && s.sds,
    check: (v, s) =>
      range(Number.isFinite(v) && v > 0 && v <= 1, 'γ (SDS) must be in (0, 1]') ??
      range(v >= 0.99 || Math.floor(v * s.batchSize) >= 1, `γ × batch size (${s.batchSize}) selects no sample; raise γ or the batch size`),
  },
  rho: {
    id: 'rho',
    param: 'rho',
    kind: 'number',
    group: 'optimizer',
    label: 'ρ',
    help: 'Radius of the neighbourhood in which SAM looks for the worst loss (‖ε‖ = ρ). With SGD it only sets the diagnostics’ probe.',
    check: (v) => range(Number.isFinite(v) && v >= 0, 'ρ must be ≥ 0'),
  },
  adaptive: {
    id: 'adaptive',
    param: 'adaptive',
    kind: 'bool',
    group: 'optimizer',
    label: 'ASAM (adaptive ρ)',
    help: 'Scale the perturbation by each weight’s magnitude (Kwon et al., 2021), making ρ invariant to weight rescaling. ASAM usually wants a larger ρ.',
    active: (s) => s.optimizer !== 'sgd',
  },
  linearity: {
    id: 'linearity',
    param: 'linearity',
    kind: 'bool',
    group: 'optimizer',
    label: 'Linearity ζ (extra diagnostic)',
    help: 'Also measure after every epoch how far the probe batch’s loss is from its first-order Taylor expansion along the run’s own perturbation ε (SWP’s for ESAM-SWP; the paper’s appendix A.3 and Fig. 7), for B, B+ and B−. Costs one more forward and two more backward passes per epoch.',
  },
  lr: {
    id: 'lr',
    param: 'lr',
    kind: 'number',
    group: 'training',
    label: 'Learning rate',
    help: 'Step size of the SGD update at the start of the schedule.',
    check: (v) => range(Number.isFinite(v) && v > 0, 'Learning rate must be > 0'),
  },
  momentum: {
    id: 'momentum',
    param: 'momentum',
    kind: 'number',
    group: 'training',
    label: 'Momentum',
    help: 'Heavy-ball momentum of the SGD update (PyTorch semantics).',
    check: (v) => range(Number.isFinite(v) && v >= 0 && v < 1, 'Momentum must be in [0, 1)'),
  },
  weightDecay: {
    id: 'weightDecay',
    param: 'weight-decay',
    kind: 'number',
    group: 'training',
    label: 'Weight decay',
    help: 'L2 penalty added to the gradient before the momentum update.',
    check: (v) => range(Number.isFinite(v) && v >= 0, 'Weight decay must be ≥ 0'),
  },
  schedule: {
    id: 'schedule',
    param: 'schedule',
    kind: 'enum',
    group: 'training',
    label: 'Schedule',
    help: 'How the learning rate changes over the run: cosine decay to zero, or constant.',
    options: [
      { value: 'cosine', label: 'cosine' },
      { value: 'constant', label: 'constant' },
    ],
  },
  batchSize: {
    id: 'batchSize',
    param: 'batch-size',
    kind: 'int',
    group: 'training',
    label: 'Batch size',
    help: 'Images per step. The last incomplete batch of an epoch is dropped.',
    check: (v) => wholeAtLeast(v, 2, 'Batch size') ?? atMost(v, CONFIG_BOUNDS.maxImages, 'Batch size'),
  },
  epochs: {
    id: 'epochs',
    param: 'epochs',
    kind: 'int',
    group: 'training',
    label: 'Epochs',
    help: 'Passes over the training images. Test accuracy and the diagnostics are measured after each.',
    check: (v) => wholeAtLeast(v, 1, 'Epochs') ?? atMost(v, CONFIG_BOUNDS.maxEpochs, 'Epochs'),
  },
  seed: {
    id: 'seed',
    param: 'seed',
    kind: 'int',
    group: 'training',
    label: 'Seed',
    help: 'Fixes the data subset, initial weights, batch order, augmentation and SWP draws: the same seed repeats a run.',
    check: (v) => wholeAtLeast(v, 0, 'Seed') ?? range(v <= CONFIG_BOUNDS.maxSeed, 'Seed must be below 2³²'),
  },
  seeds: {
    id: 'seeds',
    param: 'seeds',
    kind: 'int',
    group: 'training',
    label: 'Seeds',
    help: `Runs per start that differ only in the seed (seed, seed + 1, …), grouped as one: charts draw their mean with a ±1 std band and the table shows mean ± std, as the paper's tables do. 1 to ${MAX_SEEDS}.`,
    check: (v, s) =>
      range(Number.isInteger(v) && v >= 1 && v <= MAX_SEEDS, `Seeds must be a whole number from 1 to ${MAX_SEEDS}`) ??
      range(s.seed + v - 1 <= CONFIG_BOUNDS.maxSeed, 'The last seed must be below 2³²'),
    omitWhen: 1,
  },
  backend: {
    id: 'backend',
    param: 'backend',
    kind: 'enum',
    group: 'compute',
    label: 'Backend',
    help: `Where tfjs computes. Automatic tries ${BACKEND_NAMES.map((name) => BACKEND_LABELS[name]).join(', then ')}.`,
    omitWhen: 'auto',
    options: [{ value: 'auto', label: 'automatic' }, ...BACKEND_NAMES.map((name) => ({ value: name, label: BACKEND_LABELS[name] }))],
  },
};

export const SETTING_IDS = Object.keys(SETTINGS) as SettingId[];
export const SETTING_DEFS: readonly SettingDef[] = SETTING_IDS.map((id) => SETTINGS[id] as SettingDef);

/** Looks a definition up by its URL key. */
export function defByParam(param: string): SettingDef | undefined {
  return SETTING_DEFS.find((d) => d.param === param);
}

export function defaultSettings(dataset: DatasetName = 'synthetic', model: string = DEFAULT_MODEL): Settings {
  const c = defaultRunConfig(dataset, isModelName(model) ? model : DEFAULT_MODEL);
  return {
    dataset,
    trainSize: c.dataset.trainSize,
    testSize: c.dataset.testSize,
    augment: c.dataset.augment,
    labelNoise: c.dataset.labelNoise,
    model: c.model,
    optimizer: c.optimizer.name,
    swp: c.optimizer.swp,
    beta: c.optimizer.beta,
    sds: c.optimizer.sds,
    gamma: c.optimizer.gamma,
    rho: c.optimizer.rho,
    adaptive: c.optimizer.adaptive,
    linearity: c.linearity ?? false,
    lr: c.lr,
    momentum: c.momentum,
    weightDecay: c.weightDecay,
    schedule: c.schedule,
    batchSize: c.batchSize,
    epochs: c.epochs,
    seed: c.seed,
    seeds: 1,
    backend: 'auto',
  };
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

export function isActive(def: SettingDef, s: Settings): boolean {
  return def.active ? def.active(s) : true;
}

// ---------------------------------------------------------------------------------------------
// Parsing one text value (the URL, or what a person typed)

export type ParsedValue = { ok: true; value: Settings[SettingId] } | { ok: false; expected: string };

/** Parses text for a setting's type (not its range: a number out of range is still a number). */
export function parseValue(def: SettingDef, text: string): ParsedValue {
  const t = text.trim();
  switch (def.kind) {
    case 'bool':
      if (t === '1' || t === 'true') return { ok: true, value: true };
      if (t === '0' || t === 'false') return { ok: true, value: false };
      return { ok: false, expected: '1 or 0' };
    case 'int': {
      const n = parseWhole(t);
      return n === null ? { ok: false, expected: 'a whole number' } : { ok: true, value: n };
    }
    case 'number': {
      const n = parseDecimal(t);
      return n === null ? { ok: false, expected: 'a number' } : { ok: true, value: n };
    }
    case 'enum': {
      const option = (def.options as readonly EnumOption<string>[]).find((o) => o.value === t);
      if (option) return { ok: true, value: option.value as Settings[SettingId] };
      return { ok: false, expected: `one of ${def.options.map((o) => o.value).join(', ')}` };
    }
  }
}

/** The text a control or the URL shows for a value. */
export function formatValue(def: SettingDef, value: Settings[SettingId]): string {
  if (def.kind === 'bool') return value ? '1' : '0';
  if (typeof value === 'number') return Number.isFinite(value) ? formatNumber(value) : String(value);
  return String(value);
}

// ---------------------------------------------------------------------------------------------
// The URL

export interface ParsedQuery {
  settings: Settings;
  /** One sentence per ignored or doubtful key, for the visible notice. */
  notices: string[];
}

/**
 * Reads settings from a query string. Unknown keys, values of the wrong type and values out of
 * range are ignored with a notice (see docs/url.md), so a link never opens a page that
 * cannot start; the defaults stand in. swp/sds default to "β/γ ≠ 1", as in the CLI.
 */
export function parseQuery(search: string): ParsedQuery {
  const params = new URLSearchParams(search);
  const notices: string[] = [];
  const given = new Map<SettingId, Settings[SettingId]>();
  const texts = new Map<string, string[]>();
  const unknown = new Set<string>();
  for (const [key, text] of params) {
    if (!defByParam(key)) {
      unknown.add(key);
      continue;
    }
    const list = texts.get(key);
    if (list) list.push(text);
    else texts.set(key, [text]);
  }
  if (unknown.size) notices.push(unknownKeysNotice([...unknown]));
  for (const [key, values] of texts) {
    const def = defByParam(key) as SettingDef;
    if (values.length > 1) notices.push(`“${key}” appears ${values.length} times in the address; ${REPEATED_KEY_RULE}.`);
    const text = chosenOfRepeated(values);
    const parsed = parseValue(def, text);
    if (!parsed.ok) {
      notices.push(`${key}=${text} was ignored: ${def.label} expects ${parsed.expected}.`);
      continue;
    }
    given.set(def.id, parsed.value);
  }

  const dataset = (given.get('dataset') as DatasetName | undefined) ?? 'synthetic';
  const defaults = defaultSettings(dataset, (given.get('model') as string | undefined) ?? DEFAULT_MODEL);
  const build = (): Settings => {
    const settings: Settings = { ...defaults };
    const write = settings as unknown as Record<SettingId, Settings[SettingId]>;
    for (const [id, value] of given) write[id] = value;
    if (!given.has('augment')) settings.augment = defaultAugment(dataset);
    if (!given.has('swp')) settings.swp = settings.beta !== 1;
    if (!given.has('sds')) settings.sds = settings.gamma !== 1;
    return settings;
  };

  // Drop given values that are out of range (alone or together, e.g. γ × batch size < 1).
  let settings = build();
  for (let errors = settingErrors(settings); ; errors = settingErrors(settings)) {
    const bad = SETTING_DEFS.find((def) => errors[def.id] && given.has(def.id));
    if (!bad) break;
    const fallback = formatValue(bad, defaults[bad.id]);
    notices.push(`${bad.param}=${formatValue(bad, given.get(bad.id)!)} was ignored: ${errors[bad.id]}. The default ${fallback} is used.`);
    given.delete(bad.id);
    settings = build();
  }
  return { settings, notices };
}

/** At most this many unknown keys are named in the one notice about them. */
const UNKNOWN_KEYS_NAMED = 5;

function unknownKeysNotice(keys: readonly string[]): string {
  const shown = keys.slice(0, UNKNOWN_KEYS_NAMED).map((k) => `“${k.length > 40 ? `${k.slice(0, 40)}…` : k}”`);
  const more = keys.length > UNKNOWN_KEYS_NAMED ? ` and ${keys.length - UNKNOWN_KEYS_NAMED} more` : '';
  return keys.length === 1
    ? `Unknown setting ${shown[0]} in the address was ignored.`
    : `${keys.length} unknown settings in the address were ignored: ${shown.join(', ')}${more}.`;
}

/** The query string (with its leading "?") for these settings: every setting, in table order. */
export function serializeQuery(s: Settings): string {
  const params = new URLSearchParams();
  for (const def of SETTING_DEFS) {
    const value = s[def.id];
    if (def.omitWhen !== undefined && value === def.omitWhen) continue;
    params.set(def.param, formatValue(def, value));
  }
  return `?${params.toString()}`;
}

// ---------------------------------------------------------------------------------------------
// Validation and the run config

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

/** The run config (see docs/run-json.md). A half of ESAM that is off has its ratio at 1. */
export function toRunConfig(s: Settings): RunConfig {
  const esam = s.optimizer === 'esam';
  const swp = esam && s.swp;
  const sds = esam && s.sds;
  return {
    dataset: { name: s.dataset, trainSize: s.trainSize, testSize: s.testSize, augment: s.augment, labelNoise: s.labelNoise },
    model: s.model,
    optimizer: {
      name: s.optimizer,
      rho: s.rho,
      adaptive: s.optimizer !== 'sgd' && s.adaptive,
      swp,
      beta: swp ? s.beta : 1,
      sds,
      gamma: sds ? s.gamma : 1,
    },
    lr: s.lr,
    momentum: s.momentum,
    weightDecay: s.weightDecay,
    schedule: s.schedule,
    batchSize: s.batchSize,
    epochs: s.epochs,
    seed: s.seed,
    // Absent when off, so configs (and run JSON) without the diagnostic stay as they were.
    ...(s.linearity ? { linearity: true } : {}),
  };
}

/** Settings that reproduce a run's config (used to load a run's setup back into the panel). */
export function settingsFromRunConfig(c: RunConfig, backend: BackendChoice, previous: Settings): Settings {
  const o = c.optimizer;
  return {
    dataset: c.dataset.name,
    trainSize: c.dataset.trainSize,
    testSize: c.dataset.testSize,
    augment: c.dataset.augment,
    labelNoise: c.dataset.labelNoise,
    model: c.model,
    optimizer: o.name,
    swp: o.swp,
    beta: o.swp ? o.beta : previous.beta,
    sds: o.sds,
    gamma: o.sds ? o.gamma : previous.gamma,
    rho: o.rho,
    adaptive: o.adaptive,
    linearity: c.linearity ?? false,
    lr: c.lr,
    momentum: c.momentum,
    weightDecay: c.weightDecay,
    schedule: c.schedule,
    batchSize: c.batchSize,
    epochs: c.epochs,
    seed: c.seed,
    seeds: previous.seeds,
    backend,
  };
}

// ---------------------------------------------------------------------------------------------
// The optimizer presets: the rows of the paper's Table 3

export type PresetId = 'sgd' | 'sam' | 'esam-swp' | 'esam-sds' | 'esam';

export interface Preset {
  id: PresetId;
  label: string;
  help: string;
  optimizer: OptimizerName;
  swp: boolean;
  sds: boolean;
}

export const PRESETS: readonly Preset[] = [
  { id: 'sgd', label: 'SGD', help: 'Plain SGD with momentum: one forward and backward pass per step.', optimizer: 'sgd', swp: false, sds: false },
  { id: 'sam', label: 'SAM', help: 'Sharpness-aware minimization: a second full gradient at θ+ε, about twice SGD’s cost.', optimizer: 'sam', swp: false, sds: false },
  { id: 'esam-swp', label: 'ESAM-SWP', help: 'ESAM with stochastic weight perturbation only (γ = 1).', optimizer: 'esam', swp: true, sds: false },
  { id: 'esam-sds', label: 'ESAM-SDS', help: 'ESAM with sharpness-sensitive data selection only (β = 1).', optimizer: 'esam', swp: false, sds: true },
  { id: 'esam', label: 'ESAM', help: 'Both halves: SWP and SDS.', optimizer: 'esam', swp: true, sds: true },
];

const DEFAULTS = defaultSettings();

/** The settings with a preset applied; a half switched on whose ratio is 1 (or invalid) gets the paper's value. */
export function applyPreset(s: Settings, id: PresetId): Settings {
  const p = PRESETS.find((x) => x.id === id);
  if (!p) return s;
  const next: Settings = { ...s, optimizer: p.optimizer };
  if (p.optimizer === 'esam') {
    next.swp = p.swp;
    next.sds = p.sds;
    if (p.swp && !(s.beta > 0 && s.beta < 1)) next.beta = DEFAULTS.beta;
    if (p.sds && !(s.gamma > 0 && s.gamma < 1)) next.gamma = DEFAULTS.gamma;
  }
  return next;
}

/** Which preset the settings are, or null (ESAM with both halves off). */
export function presetOf(s: Pick<Settings, 'optimizer' | 'swp' | 'sds'>): PresetId | null {
  if (s.optimizer !== 'esam') return s.optimizer;
  if (s.swp && s.sds) return 'esam';
  if (s.swp) return 'esam-swp';
  if (s.sds) return 'esam-sds';
  return null;
}

/** The method of a run config in words, e.g. "ESAM β0.6 γ0.5" or "ASAM". */
export function methodOf(c: RunConfig): string {
  const o = c.optimizer;
  let method: string = OPTIMIZER_LABELS[o.name];
  if (o.name === 'esam') {
    const parts = [o.swp ? `β${o.beta}` : null, o.sds ? `γ${o.gamma}` : null].filter(Boolean);
    method = parts.length ? `ESAM ${parts.join(' ')}` : 'ESAM (no SWP, no SDS)';
  }
  return o.adaptive ? `A${method}` : method;
}

/** A short name for a run of this config, e.g. "ESAM β0.6 γ0.5 · cnn". */
export function describeConfig(c: RunConfig): string {
  return `${methodOf(c)} · ${c.model}`;
}

/** The preset label of a run config, e.g. "ESAM-SWP", or null. */
export function presetLabelOf(c: RunConfig): string | null {
  const id = presetOf({ optimizer: c.optimizer.name, swp: c.optimizer.swp, sds: c.optimizer.sds });
  return PRESETS.find((p) => p.id === id)?.label ?? null;
}
