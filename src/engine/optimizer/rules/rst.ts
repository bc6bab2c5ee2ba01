import type * as tf from '@tensorflow/tfjs';
import type { StepRuleOf } from '../config';
import { firstPass } from '../passes';
import type { StepPhase } from '../phases';
import type { StepContext, StepMethod, StepOptions, StepOutput } from '../step-types';
import { samOrSgdRest } from './common';

type RstRule = StepRuleOf<'rst'>;

/** RST's probability of a SAM step at step t: p + (pEnd − p)·min(t / totalSteps, 1), or p without pEnd. */
export function rstProbability(rule: Pick<RstRule, 'p' | 'pEnd' | 'totalSteps'>, t: number): number {
  if (rule.pEnd === undefined) return rule.p;
  if (!(rule.totalSteps !== undefined && rule.totalSteps > 0)) throw new Error('RST with pEnd needs totalSteps > 0');
  return rule.p + (rule.pEnd - rule.p) * Math.min(t / rule.totalSteps, 1);
}

/**
 * Randomized SAM/SGD switching (RST; Zhao, Zhang and Hu, 2022), as the reference's step_rst:
 * a SAM step when the step's draw says so (StepOptions.samStep: the fixture's, or a run's from
 * its seeded Rng with probability rstProbability), otherwise an SGD step d = ∇L(θ).
 */
export function rstMethod(rule: RstRule): StepMethod {
  const spec = { rho: rule.rho, beta: 1, adaptive: rule.adaptive };
  return {
    phases: ['ascentForwardBackward', 'descentForwardBackward', 'update'],
    *run(ctx: StepContext, x: tf.Tensor, y: tf.Tensor1D, options: StepOptions): Generator<StepPhase, StepOutput, unknown> {
      const sam = options.samStep;
      if (typeof sam !== 'boolean') throw new Error('RST needs each step’s draw (StepOptions.samStep)');
      const { params } = ctx;
      const first = firstPass(ctx.model, x, y, params);
      const g = params.map((v) => first.grads[v.name]);
      return yield* samOrSgdRest(ctx, x, y, first, g, sam, spec, options);
    },
  };
}
