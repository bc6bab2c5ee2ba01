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

/** What one step does: plain SGD, or a sharpness-aware step (SAM is β = γ = 1). */
export type StepRule =
  | { kind: 'sgd' }
  | { kind: 'sharpness'; rho: number; beta: number; gamma: number; adaptive: boolean };

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
