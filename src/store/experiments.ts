/**
 * Experiment presets: setups chosen to show one of the paper's findings (or the known
 * behaviour of sharpness-aware training), each with what was measured for it here. Applying
 * one changes the data and training settings and keeps the method, so "Run the ablation" then
 * gives Table 3 for that setup. The measured rows, and their commands, are in
 * docs/measurements/lr-sweep.md.
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
  trainSize: DEFAULTS.trainSize,
  testSize: DEFAULTS.testSize,
  labelNoise: DEFAULTS.labelNoise,
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
    story:
      'The defaults: the built-in set, cnn-bn, 5 epochs. Measured over 3 seeds (PyTorch twin): SGD 83.6 ± 1.7%, SAM 83.4 ± 2.0%, ESAM-SWP 83.8 ± 1.9%, but every row with SDS (γ 0.5) about 10 points lower (ESAM 73.7 ± 2.6%). SWP keeps SAM’s accuracy; SDS does not, in runs this short.',
    settings: BASE,
  },
  {
    id: 'label-noise',
    label: 'Label noise',
    story:
      '30% of the training labels replaced at random (test labels clean), 10 epochs at lr 0.1, where SAM is known to help most. Measured over 3 seeds: SGD 79.6 ± 0.6%, SAM 77.8 ± 1.7%, ESAM-SWP 78.6 ± 0.9%, ESAM-SDS 67.3 ± 1.2%, ESAM 67.7 ± 0.9%: the story does not hold here. At lr 0.2 the SDS rows barely learn (33–35%). Watch “Label noise in B+”: SDS picks the samples whose loss rose most, and that is where the mislabelled ones are.',
    settings: { ...BASE, labelNoise: 0.3, epochs: 10, lr: 0.1 },
  },
  {
    id: 'small-data',
    label: 'Small data',
    story:
      '1,000 training images for 30 epochs: the network memorises them, the overfitting regime where flatter minima should generalise better. Measured over 3 seeds: SGD 82.5 ± 1.2%, SAM 82.7 ± 0.8%, ESAM-SWP 82.5 ± 0.9%, SDS rows about 11 points lower: SAM does not beat SGD here either.',
    settings: { ...BASE, trainSize: 1000, epochs: 30 },
  },
  {
    id: 'cifar10',
    label: 'CIFAR-10',
    story:
      'CIFAR-10 (load its file first) with crop-and-flip augmentation, 10 epochs of cnn-bn. Not measured by the project: no CIFAR file could be had where its presets were checked.',
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
