/**
 * The run config's schema: one row per setting, in the run JSON's key order. The engine's
 * validation, run import and export, the config panel, the page's URL and the CLI's flags and
 * `--help` are loops over these rows, so a new setting is one row here plus the code that uses
 * it (docs/README.md, "Adding a setting"). No tfjs, no DOM.
 */
import { DATASET_NAMES } from '../../data/types';
import { BACKEND_LABELS, BACKEND_NAMES, NODE_BACKEND_NAMES } from '../backend-names';
import { MODEL_NAMES } from '../model-names';
import { OPTIMIZER_NAMES } from '../optimizer/config';
import { SCHEDULE_NAMES } from '../schedule';
import { HESSIAN_ITERATIONS, hessianGradientPasses } from '../sharpness/budget';
import { CONFIG_BOUNDS } from './bounds';
import type { FieldSpec, Range } from './field-spec';
import { defaultAugment, MODEL_TRAINING_DEFAULTS } from './model-defaults';

const { maxEpochs, maxSeed, maxImages, maxSeeds } = CONFIG_BOUNDS;
const RATIO: Range = { min: 0, minOpen: true, max: 1 };

export const FIELDS = {
  dataset: {
    kind: 'enum',
    path: 'dataset.name',
    key: 'dataset',
    group: 'data',
    values: DATASET_NAMES,
    default: (c) => c.dataset,
    label: 'Dataset',
    subject: 'dataset',
    summary: 'the images to train on',
    help: 'The images to train on. The built-in set is generated in the browser; CIFAR and Fashion-MNIST need their files once (drop, pick, or download), then stay in this browser.',
  },
  trainSize: {
    kind: 'int',
    path: 'dataset.trainSize',
    key: 'train-size',
    group: 'data',
    range: { min: 0, minNote: ' (0 = all)', max: maxImages },
    default: 0,
    label: 'Training images',
    subject: 'trainSize',
    summary: 'use the first N training images of a seeded shuffle (0 = all)',
    help: 'How many training images to use, drawn by a seeded shuffle. 0 uses all of them.',
  },
  testSize: {
    kind: 'int',
    path: 'dataset.testSize',
    key: 'test-size',
    group: 'data',
    range: { min: 0, minNote: ' (0 = all)', max: maxImages },
    default: 0,
    label: 'Test images',
    subject: 'testSize',
    summary: 'use the first N test images (0 = all)',
    help: 'How many test images to evaluate on after every epoch. 0 uses all of them.',
  },
  augment: {
    kind: 'bool',
    path: 'dataset.augment',
    key: 'augment',
    group: 'data',
    default: (c) => defaultAugment(c.dataset),
    label: 'Augmentation (random crop + flip)',
    subject: 'augment',
    summary: 'random crop and flip',
    help: 'Random 4-pixel-padded crops and horizontal flips of the training images, as in the paper’s CIFAR runs.',
  },
  labelNoise: {
    kind: 'number',
    path: 'dataset.labelNoise',
    key: 'label-noise',
    group: 'data',
    range: { min: 0, max: 1 },
    default: 0,
    label: 'Label noise',
    subject: 'label noise',
    summary: 'fraction of training labels replaced by a random class',
    help: 'Fraction of training labels replaced by a random class (test labels stay clean). SAM-type methods are known to resist label noise.',
  },
  model: {
    kind: 'enum',
    path: 'model',
    key: 'model',
    group: 'model',
    values: MODEL_NAMES,
    open: true,
    default: (c) => c.model,
    label: 'Model',
    subject: 'model',
    summary: 'the network to train',
    help: 'The network to train. Small models train fastest in the browser; ResNets are closer to the paper but slow.',
  },
  optimizer: {
    kind: 'enum',
    path: 'optimizer.name',
    key: 'optimizer',
    group: 'model',
    values: OPTIMIZER_NAMES,
    default: 'esam',
    label: 'Optimizer',
    subject: 'optimizer',
    summary: 'the update rule',
    help: 'SGD takes one gradient per step. SAM takes a second gradient at the worst nearby weights θ+ε. ESAM makes that cheaper with SWP and SDS.',
  },
  rho: {
    kind: 'number',
    path: 'optimizer.rho',
    key: 'rho',
    group: 'model',
    range: { min: 0 },
    default: (c) => MODEL_TRAINING_DEFAULTS[c.model].rho,
    label: 'ρ',
    subject: 'ρ (rho)',
    summary: 'neighbourhood size ρ',
    help: 'Radius of the neighbourhood in which SAM looks for the worst loss (‖ε‖ = ρ). With SGD it only sets the diagnostics’ probe.',
  },
  adaptive: {
    kind: 'bool',
    path: 'optimizer.adaptive',
    key: 'adaptive',
    group: 'model',
    default: false,
    label: 'ASAM (adaptive ρ)',
    subject: 'adaptive',
    summary: 'ASAM: perturbation scaled by |θ|',
    help: 'Scale the perturbation by each weight’s magnitude (Kwon et al., 2021), making ρ invariant to weight rescaling. ASAM usually wants a larger ρ.',
  },
  swp: {
    kind: 'bool',
    path: 'optimizer.swp',
    key: 'swp',
    group: 'model',
    default: true,
    noFlag: true,
    label: 'SWP — stochastic weight perturbation',
    subject: 'swp',
    summary: 'on exactly when β is below 1',
    help: 'Perturb only a random fraction β of the weight tensors each step (scaled by 1/β), so the first backward pass skips the rest.',
  },
  beta: {
    kind: 'number',
    path: 'optimizer.beta',
    key: 'beta',
    group: 'model',
    range: RATIO,
    default: 0.6,
    label: 'β (SWP)',
    subject: 'β (SWP)',
    summary: 'ESAM’s SWP ratio; 1 turns SWP off',
    help: 'Fraction of weight tensors perturbed per step. The paper uses 0.6 (ResNet-18) and 0.5 (WideResNet); 1 means no SWP.',
  },
  sds: {
    kind: 'bool',
    path: 'optimizer.sds',
    key: 'sds',
    group: 'model',
    default: true,
    noFlag: true,
    label: 'SDS — sharpness-sensitive data selection',
    subject: 'sds',
    summary: 'on exactly when γ is below 1',
    help: 'Take the second gradient only on the fraction γ of the batch whose loss rises most under the perturbation (B+).',
  },
  gamma: {
    kind: 'number',
    path: 'optimizer.gamma',
    key: 'gamma',
    group: 'model',
    range: RATIO,
    default: 0.5,
    label: 'γ (SDS)',
    subject: 'γ (SDS)',
    summary: 'ESAM’s SDS ratio; 1 turns SDS off',
    help: 'Fraction of the batch kept for the second pass. The paper finds 0.5 the smallest value that keeps SAM’s accuracy; 1 means no SDS.',
  },
  lr: {
    kind: 'number',
    path: 'lr',
    key: 'lr',
    group: 'training',
    range: { min: 0, minOpen: true },
    default: (c) => MODEL_TRAINING_DEFAULTS[c.model].lr,
    label: 'Learning rate',
    subject: 'learning rate (lr)',
    summary: 'peak learning rate',
    help: 'Step size of the SGD update at the start of the schedule.',
  },
  momentum: {
    kind: 'number',
    path: 'momentum',
    key: 'momentum',
    group: 'training',
    range: { min: 0, max: 1, maxOpen: true },
    default: 0.9,
    label: 'Momentum',
    subject: 'momentum',
    summary: 'heavy-ball momentum (PyTorch semantics)',
    help: 'Heavy-ball momentum of the SGD update (PyTorch semantics).',
  },
  weightDecay: {
    kind: 'number',
    path: 'weightDecay',
    key: 'weight-decay',
    group: 'training',
    range: { min: 0 },
    default: 5e-4,
    label: 'Weight decay',
    subject: 'weight decay',
    summary: 'L2 penalty added to the gradient',
    help: 'L2 penalty added to the gradient before the momentum update.',
  },
  schedule: {
    kind: 'enum',
    path: 'schedule',
    key: 'schedule',
    group: 'training',
    values: SCHEDULE_NAMES,
    default: 'cosine',
    label: 'Schedule',
    subject: 'schedule',
    summary: 'the learning rate over the run (cosine to zero, or constant)',
    help: 'How the learning rate changes over the run: cosine decay to zero, or constant.',
  },
  batchSize: {
    kind: 'int',
    path: 'batchSize',
    key: 'batch-size',
    group: 'training',
    range: { min: 2 },
    default: 64,
    label: 'Batch size',
    subject: 'batch size',
    summary: 'images per step',
    help: 'Images per step. The last incomplete batch of an epoch is dropped.',
  },
  epochs: {
    kind: 'int',
    path: 'epochs',
    key: 'epochs',
    group: 'training',
    range: { min: 1, max: maxEpochs },
    default: 5,
    label: 'Epochs',
    subject: 'epochs',
    summary: 'passes over the training images',
    help: 'Passes over the training images. Test accuracy and the diagnostics are measured after each.',
  },
  seed: {
    kind: 'int',
    path: 'seed',
    key: 'seed',
    group: 'training',
    range: { min: 0, max: maxSeed, maxNote: ' (32 bits)' },
    default: 1,
    label: 'Seed',
    subject: 'seed',
    summary: 'data subset, order, augmentation and initial weights',
    help: 'Fixes the data subset, initial weights, batch order, augmentation and SWP draws: the same seed repeats a run.',
  },
  linearity: {
    kind: 'bool',
    path: 'linearity',
    key: 'linearity',
    group: 'training',
    default: false,
    optional: true,
    label: 'Linearity ζ (extra diagnostic)',
    subject: 'linearity',
    summary: 'also measure the linearity ζ of appendix A.3 each epoch',
    help: 'Also measure after every epoch how far the probe batch’s loss is from its first-order Taylor expansion along the run’s own perturbation ε (SWP’s for ESAM-SWP; the paper’s appendix A.3 and Fig. 7), for B, B+ and B−. Costs one more forward and two more backward passes per epoch.',
  },
  hessian: {
    kind: 'bool',
    path: 'hessian',
    key: 'hessian',
    group: 'training',
    default: false,
    optional: true,
    label: 'Sharpness λ_max (extra diagnostic)',
    subject: 'hessian',
    summary: 'also measure λ_max, the top Hessian eigenvalue of the probe batch’s loss, each epoch',
    help: `Also measure after every epoch λ_max, the top eigenvalue of the Hessian of the probe batch’s loss, by power iteration on finite-difference Hessian-vector products. Costs 2·(iterations + 1) = ${hessianGradientPasses()} gradient passes on the probe batch per epoch (${HESSIAN_ITERATIONS} iterations).`,
  },
  seeds: {
    kind: 'int',
    path: null,
    key: 'seeds',
    group: 'training',
    range: { min: 1, max: maxSeeds },
    default: 1,
    label: 'Seeds',
    subject: 'seeds',
    summary: 'train N runs that differ only in the seed (seed, seed + 1, …), grouped as one',
    help: `Runs per start that differ only in the seed (seed, seed + 1, …), grouped as one: charts draw their mean with a ±1 std band and the table shows mean ± std, as the paper's tables do. 1 to ${maxSeeds}.`,
  },
  backend: {
    kind: 'enum',
    path: null,
    key: 'backend',
    group: 'compute',
    values: ['auto', ...BACKEND_NAMES],
    cliValues: ['auto', ...NODE_BACKEND_NAMES],
    default: 'auto',
    label: 'Backend',
    subject: 'backend',
    summary: 'where tfjs computes',
    help: `Where tfjs computes. Automatic tries ${BACKEND_NAMES.map((name) => BACKEND_LABELS[name]).join(', then ')}.`,
  },
} as const satisfies Record<string, FieldSpec>;

export type FieldId = keyof typeof FIELDS;
export const FIELD_IDS = Object.keys(FIELDS) as FieldId[];

type ValueOf<S> = S extends { kind: 'bool' }
  ? boolean
  : S extends { kind: 'int' | 'number' }
    ? number
    : S extends { open: true }
      ? string
      : S extends { values: readonly (infer V)[] }
        ? V
        : never;

/** One value per field, flat: the config panel's settings. */
export type FieldValues = { -readonly [K in FieldId]: ValueOf<(typeof FIELDS)[K]> };

export function field(id: FieldId): FieldSpec {
  return FIELDS[id];
}

/** The fields a RunConfig holds, in its key order. */
export const CONFIG_FIELD_IDS = FIELD_IDS.filter((id) => FIELDS[id].path !== null);

const isEsam = (v: FieldValues) => v.optimizer === 'esam';

/** When a field matters; elsewhere the panel disables it and the run config holds its OFF value. */
const APPLIES_WHEN: Partial<Record<FieldId, (v: FieldValues) => boolean>> = {
  adaptive: (v) => v.optimizer !== 'sgd',
  swp: isEsam,
  beta: (v) => isEsam(v) && v.swp,
  sds: isEsam,
  gamma: (v) => isEsam(v) && v.sds,
};

/** What the run config holds for a field that does not apply: a half of ESAM that is off has its ratio at 1. */
export const OFF_VALUES: Partial<FieldValues> = { adaptive: false, swp: false, beta: 1, sds: false, gamma: 1 };

/** Switches that, when not given, are on exactly when their ratio is not 1 (the CLI has no flag for them). */
export const IMPLIED_BY = { swp: 'beta', sds: 'gamma' } as const satisfies Partial<Record<FieldId, FieldId>>;

export function applies(id: FieldId, v: FieldValues): boolean {
  return APPLIES_WHEN[id]?.(v) ?? true;
}
