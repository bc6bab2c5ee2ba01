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
