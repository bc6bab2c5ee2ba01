/**
 * Experiment presets: setups chosen to show one of the paper's findings (or the known
 * behaviour of sharpness-aware training), each with what was measured for it here. Applying
 * one changes the data and training settings and keeps the method, so "Run the ablation" then
 * gives Table 3 for that setup. The measured rows live in docs/measurements/presets.md.
 */
import type { DatasetName } from '../data/types';
import { defaultSettings, type Settings } from './settings';

export type ExperimentId = 'default' | 'label-noise' | 'small-data' | 'cifar10';

export interface ExperimentPreset {
  id: ExperimentId;
  label: string;
  /** What the setup is for, and what it showed when measured (or that it was not). */
  story: string;
  /** The settings it sets; the rest stay as they are. */
  settings: Partial<Settings>;
}

const DEFAULTS = defaultSettings();

/** The data and training settings every preset writes, so that presets do not leak into each other. */
const BASE: Partial<Settings> = {
  dataset: DEFAULTS.dataset,
  model: DEFAULTS.model,
  trainSize: 0,
  testSize: 0,
  labelNoise: 0,
  augment: DEFAULTS.augment,
  lr: DEFAULTS.lr,
  rho: DEFAULTS.rho,
  epochs: DEFAULTS.epochs,
  batchSize: DEFAULTS.batchSize,
  schedule: DEFAULTS.schedule,
};

export const EXPERIMENTS: readonly ExperimentPreset[] = [
  {
    id: 'default',
    label: 'Quick look',
    story: 'The defaults: the built-in set, cnn-bn, 5 epochs. Every method learns it within minutes on a GPU; compare their speed.',
    settings: BASE,
  },
  {
    id: 'label-noise',
    label: 'Label noise',
    story: '30% of the training labels replaced at random (test labels clean), 10 epochs: where SAM is known to help most. Watch “Label noise in B+”: does SDS pick the mislabelled images?',
    settings: { ...BASE, labelNoise: 0.3, epochs: 10 },
  },
  {
    id: 'small-data',
    label: 'Small data',
    story: '1,000 training images for 30 epochs: the network can memorise them, the overfitting regime where flatter minima should generalise better.',
    settings: { ...BASE, trainSize: 1000, epochs: 30 },
  },
  {
    id: 'cifar10',
    label: 'CIFAR-10',
    story: 'CIFAR-10 (load its file first) with crop-and-flip augmentation, 10 epochs of cnn-bn. Not measured by the project: no CIFAR file was at hand where its presets were checked.',
    settings: { ...BASE, dataset: 'cifar10' satisfies DatasetName, augment: true, epochs: 10 },
  },
];

export function experimentById(id: ExperimentId): ExperimentPreset {
  return EXPERIMENTS.find((e) => e.id === id) ?? EXPERIMENTS[0];
}

/** The settings with an experiment applied: its settings over the current ones (method and backend kept). */
export function applyExperiment(s: Settings, id: ExperimentId): Settings {
  return { ...s, ...experimentById(id).settings };
}

/** Which experiment the settings are exactly, or null. */
export function experimentOf(s: Settings): ExperimentId | null {
  const match = EXPERIMENTS.find((e) => Object.entries(e.settings).every(([k, v]) => s[k as keyof Settings] === v));
  return match?.id ?? null;
}
