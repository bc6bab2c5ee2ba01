/** The optimizer presets (the rows of the paper's Table 3) and the words for a run's method. */
import type { OptimizerName } from '../engine/optimizer/config';
import type { RunConfig } from '../engine/run-record';
import { defaultSettings } from './settings-config';
import { OPTIMIZER_LABELS, type Settings } from './settings-panel';

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
  {
    id: 'sgd',
    label: 'SGD',
    help: 'Plain SGD with momentum: one forward and backward pass per step.',
    optimizer: 'sgd',
    swp: false,
    sds: false,
  },
  {
    id: 'sam',
    label: 'SAM',
    help: 'Sharpness-aware minimization: a second full gradient at θ+ε, about twice SGD’s cost.',
    optimizer: 'sam',
    swp: false,
    sds: false,
  },
  {
    id: 'esam-swp',
    label: 'ESAM-SWP',
    help: 'ESAM with stochastic weight perturbation only (γ = 1).',
    optimizer: 'esam',
    swp: true,
    sds: false,
  },
  {
    id: 'esam-sds',
    label: 'ESAM-SDS',
    help: 'ESAM with sharpness-sensitive data selection only (β = 1).',
    optimizer: 'esam',
    swp: false,
    sds: true,
  },
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
