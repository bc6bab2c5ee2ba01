import type * as tf from '@tensorflow/tfjs';
import type { StepRuleOf } from '../config';
import { disposeGrads, firstPass } from '../passes';
import type { StepPhase } from '../phases';
import type { StepContext, StepMethod, StepOptions, StepOutput } from '../step-types';
import { perturbedDescent, perturbationByName, updateWith } from './common';

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
      let eps: tf.Tensor[] | null = null;
      let lossAfter: tf.Tensor1D | null = null;
      if (sam) {
        const perturbed = yield* perturbedDescent(ctx, x, y, params, g, spec);
        disposeGrads(first.grads);
        ({ eps, losses: lossAfter } = perturbed);
        updateWith(ctx, perturbed.grads, options.lr);
      } else {
        yield 'descentForwardBackward';
        updateWith(ctx, g, options.lr);
      }
      yield 'update';
      const perturbation = perturbationByName(
        ctx,
        params.map(() => true),
        eps,
        options.keepPerturbation ?? false,
      );
      return { lossBefore: first.losses, correct: first.correct, lossAfter, selected: null, perturbation, sharpnessAware: sam };
    },
  };
}
