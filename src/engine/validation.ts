import { CONFIG_BOUNDS } from './config/bounds';
import type { RunConfig } from './run-record';

/** A hyperparameter outside its allowed range; `param` names it as the CLI and URL do. */
export class HyperparameterError extends Error {
  constructor(
    readonly param: string,
    message: string,
  ) {
    super(message);
    this.name = 'HyperparameterError';
  }
}

export interface TrainingHyper {
  rho: number;
  beta: number;
  gamma: number;
  lr: number;
  momentum: number;
  weightDecay: number;
  batchSize: number;
}

/** Throws a HyperparameterError naming the first parameter out of range. */
export function validateTrainingHyper(h: TrainingHyper): void {
  inUnitInterval('beta', 'β (SWP)', h.beta);
  inUnitInterval('gamma', 'γ (SDS)', h.gamma);
  check('rho', Number.isFinite(h.rho) && h.rho >= 0, `ρ (rho) must be ≥ 0, got ${h.rho}`);
  check('lr', Number.isFinite(h.lr) && h.lr > 0, `learning rate (lr) must be > 0, got ${h.lr}`);
  check('momentum', Number.isFinite(h.momentum) && h.momentum >= 0 && h.momentum < 1, `momentum must be in [0, 1), got ${h.momentum}`);
  check('weight-decay', Number.isFinite(h.weightDecay) && h.weightDecay >= 0, `weight decay must be ≥ 0, got ${h.weightDecay}`);
  check('batch-size', Number.isInteger(h.batchSize) && h.batchSize >= 2, `batch size must be an integer ≥ 2, got ${h.batchSize}`);
  check('batch-size', h.batchSize <= CONFIG_BOUNDS.maxImages, `batch size must be at most ${CONFIG_BOUNDS.maxImages}, got ${h.batchSize}`);
  check(
    'gamma',
    h.gamma >= 0.99 || Math.floor(h.gamma * h.batchSize) >= 1,
    `γ (SDS) = ${h.gamma} selects no sample of a batch of ${h.batchSize}: γ × batch size must be at least 1`,
  );
}

function inUnitInterval(param: string, label: string, value: number): void {
  check(param, Number.isFinite(value) && value > 0 && value <= 1, `${label} must be in (0, 1], got ${value}`);
}

function check(param: string, ok: boolean, message: string): void {
  if (!ok) throw new HyperparameterError(param, message);
}

const OPTIMIZERS = ['sgd', 'sam', 'esam'];
const SCHEDULES = ['cosine', 'constant'];
const DATASETS = ['synthetic', 'cifar10', 'cifar100', 'fashion-mnist'];

/** Everything a run needs to be in range before it starts; throws naming the first bad parameter. */
export function validateRunConfig(config: RunConfig, isKnownModel: (name: string) => boolean): void {
  const o = config.optimizer;
  check('dataset', DATASETS.includes(config.dataset.name), `unknown dataset "${config.dataset.name}" (expected ${DATASETS.join(', ')})`);
  check('model', isKnownModel(config.model), `unknown model "${config.model}"`);
  check('optimizer', OPTIMIZERS.includes(o.name), `unknown optimizer "${o.name}" (expected ${OPTIMIZERS.join(', ')})`);
  check('schedule', SCHEDULES.includes(config.schedule), `unknown schedule "${config.schedule}" (expected ${SCHEDULES.join(', ')})`);
  validateTrainingHyper({ ...config, rho: o.rho, beta: o.beta, gamma: o.gamma });
  const { maxEpochs, maxSeed, maxImages } = CONFIG_BOUNDS;
  check(
    'epochs',
    Number.isInteger(config.epochs) && config.epochs >= 1 && config.epochs <= maxEpochs,
    `epochs must be an integer ≥ 1 and at most ${maxEpochs}, got ${config.epochs}`,
  );
  check(
    'seed',
    Number.isInteger(config.seed) && config.seed >= 0 && config.seed <= maxSeed,
    `seed must be an integer ≥ 0 and at most ${maxSeed} (32 bits), got ${config.seed}`,
  );
  for (const key of ['trainSize', 'testSize'] as const) {
    const v = config.dataset[key];
    check(
      key === 'trainSize' ? 'train-size' : 'test-size',
      Number.isInteger(v) && v >= 0 && v <= maxImages,
      `${key} must be an integer ≥ 0 (0 = all) and at most ${maxImages}, got ${v}`,
    );
  }
  const linearity = config.linearity;
  check('linearity', linearity === undefined || typeof linearity === 'boolean', `linearity must be true or false when given, got ${String(linearity)}`);
  const noise = config.dataset.labelNoise;
  check('label-noise', Number.isFinite(noise) && noise >= 0 && noise <= 1, `label noise must be in [0, 1], got ${noise}`);
}
