import type { DatasetName } from '../data/types';
import { DEFAULT_MODEL } from './model-names';
import type { RunConfig } from './run-record';

/** Data augmentation (crop + flip) suits natural images; the built-in set's classes are orientation patterns. */
export function defaultAugment(dataset: DatasetName): boolean {
  return dataset === 'cifar10' || dataset === 'cifar100';
}

/** The app's defaults, used by the config panel, the URL and the CLI alike. */
export function defaultRunConfig(dataset: DatasetName = 'synthetic'): RunConfig {
  return {
    dataset: { name: dataset, trainSize: 0, testSize: 0, augment: defaultAugment(dataset), labelNoise: 0 },
    model: DEFAULT_MODEL,
    optimizer: { name: 'esam', rho: 0.05, adaptive: false, swp: true, beta: 0.6, sds: true, gamma: 0.5 },
    lr: 0.05,
    momentum: 0.9,
    weightDecay: 5e-4,
    schedule: 'cosine',
    batchSize: 64,
    epochs: 5,
    seed: 1,
  };
}
