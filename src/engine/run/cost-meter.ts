import { stepRuleFor, type OptimizerConfig } from '../optimizer/config';
import { stepMethodFor } from '../optimizer/rules';
import { phaseCostKey, type PhaseCostKey, type PhaseTimes, type StepPhase } from '../optimizer/phases';

/** Steps timed per epoch by default: few enough that the syncs they add do not slow the run. */
export const DEFAULT_COST_SAMPLES = 3;

/**
 * Which steps of an epoch of `steps` the meter times: `samples` of them spread evenly, each in the
 * middle of its share of the epoch (all of them when the epoch is that short). The epoch's first
 * step is left out when there are more steps than samples: it follows the previous epoch's
 * evaluation and, in the first epoch, compiles the kernels.
 */
export function sampledSteps(steps: number, samples: number): Set<number> {
  const n = Math.min(Math.max(0, Math.floor(samples)), steps);
  const first = steps > n ? 1 : 0;
  return new Set(Array.from({ length: n }, (_, i) => first + Math.floor(((i + 0.5) * (steps - first)) / n)));
}

/** The cost keys the epochs of a metered run with `optimizer` have: one per phase of its step. */
export function costKeysOf(optimizer: OptimizerConfig): PhaseCostKey[] {
  return stepMethodFor(stepRuleFor(optimizer)).phases.map(phaseCostKey);
}

/** Collects the phase times of an epoch's timed steps and gives their means, by epoch key. */
export class CostMeter {
  private readonly sums = new Map<StepPhase, number>();
  private count = 0;

  constructor(private readonly phases: readonly StepPhase[]) {}

  add(times: PhaseTimes): void {
    for (const phase of this.phases) this.sums.set(phase, (this.sums.get(phase) ?? 0) + (times[phase] ?? 0));
    this.count++;
  }

  /** Mean milliseconds per step of each phase; empty when no step was timed. */
  means(): Partial<Record<PhaseCostKey, number>> {
    const out: Partial<Record<PhaseCostKey, number>> = {};
    if (this.count === 0) return out;
    for (const phase of this.phases) out[phaseCostKey(phase)] = (this.sums.get(phase) ?? 0) / this.count;
    return out;
  }
}
