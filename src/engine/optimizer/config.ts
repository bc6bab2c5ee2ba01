export const OPTIMIZER_NAMES = ['sgd', 'sam', 'esam'] as const;
export type OptimizerName = (typeof OPTIMIZER_NAMES)[number];

/** The optimizer block of a run's config (see docs/run-json.md). */
export interface OptimizerConfig {
  name: OptimizerName;
  rho: number;
  adaptive: boolean;
  swp: boolean;
  beta: number;
  sds: boolean;
  gamma: number;
}

/** The perturbation's settings every perturbing rule has: SAM's ρ, and ASAM's |θ|-scaled form. */
interface Perturbing {
  rho: number;
  adaptive: boolean;
}

/**
 * What one step does: plain SGD, a sharpness-aware step (SAM is β = γ = 1; `m` gives one ε per
 * micro-batch of m samples), or one of the family's rules (docs/golden-format.md names the file
 * of each; src/engine/optimizer/rules/index.ts maps a kind to its step method).
 */
export type StepRule =
  | { kind: 'sgd' }
  | (Perturbing & { kind: 'sharpness'; beta: number; gamma: number; m?: number })
  | (Perturbing & { kind: 'looksam'; k: number; alpha: number })
  | (Perturbing & { kind: 'rst'; p: number; pEnd?: number; totalSteps?: number })
  | (Perturbing & { kind: 'aesam'; delta: number; cStart: number; cEnd: number; totalSteps: number; warmup: number })
  | (Perturbing & { kind: 'gsam'; alpha: number; rhoMin: number; lrMax: number; lrMin: number })
  | (Perturbing & { kind: 'samon' })
  | (Perturbing & { kind: 'ksam'; k: number });

export type StepRuleKind = StepRule['kind'];
export type StepRuleOf<K extends StepRuleKind> = Extract<StepRule, { kind: K }>;

export interface SgdHyper {
  momentum: number;
  weightDecay: number;
}

export function stepRuleFor(config: OptimizerConfig): StepRule {
  switch (config.name) {
    case 'sgd':
      return { kind: 'sgd' };
    case 'sam':
      return { kind: 'sharpness', rho: config.rho, beta: 1, gamma: 1, adaptive: config.adaptive };
    case 'esam':
      return {
        kind: 'sharpness',
        rho: config.rho,
        beta: config.swp ? config.beta : 1,
        gamma: config.sds ? config.gamma : 1,
        adaptive: config.adaptive,
      };
  }
}

/** Below this γ the step selects a subset (the authors' code treats γ ≥ 0.99 as the whole batch). */
export const SDS_FULL_BATCH_THRESHOLD = 0.99;

/** Size of B+ for a batch of `batchSize` samples. */
export function selectedCount(gamma: number, batchSize: number): number {
  return gamma < SDS_FULL_BATCH_THRESHOLD ? Math.floor(gamma * batchSize) : batchSize;
}
