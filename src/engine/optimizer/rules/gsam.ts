import * as tf from '@tensorflow/tfjs';
import type { StepRuleOf } from '../config';
import { disposeGrads, firstPass } from '../passes';
import type { StepPhase } from '../phases';
import type { StepContext, StepMethod, StepOptions, StepOutput } from '../step-types';
import { dotAll, perturbedDescent, perturbationByName, updateWith } from './common';

type GsamRule = StepRuleOf<'gsam'>;

/** GSAM's ρ_t = rhoMin + (ρ − rhoMin)·(lr_t − lrMin) / (lrMax − lrMin); ρ when lrMax = lrMin. */
export function gsamRho(rule: Pick<GsamRule, 'rho' | 'rhoMin' | 'lrMax' | 'lrMin'>, lr: number): number {
  if (rule.lrMax === rule.lrMin) return rule.rho;
  return rule.rhoMin + ((rule.rho - rule.rhoMin) * (lr - rule.lrMin)) / (rule.lrMax - rule.lrMin);
}

/**
 * GSAM (Zhuang et al., ICLR 2022, Algorithm 1), as the reference's step_gsam: ε with ρ_t (ρ
 * follows the step's learning rate), g_p = ∇L(θ + ε), g⊥ = g − (⟨g, g_p⟩ / ‖g_p‖²)·g_p, and
 * d = g_p − α·g⊥. No constant in the projection's norm, as in the reference.
 */
export function gsamMethod(rule: GsamRule): StepMethod {
  return {
    phases: ['ascentForwardBackward', 'descentForwardBackward', 'update'],
    *run(ctx: StepContext, x: tf.Tensor, y: tf.Tensor1D, options: StepOptions): Generator<StepPhase, StepOutput, unknown> {
      const { params } = ctx;
      const first = firstPass(ctx.model, x, y, params);
      const g = params.map((v) => first.grads[v.name]);
      const spec = { rho: gsamRho(rule, options.lr), beta: 1, adaptive: rule.adaptive };
      const perturbed = yield* perturbedDescent(ctx, x, y, params, g, spec);
      const gp = perturbed.grads;
      const direction = tf.tidy(() => {
        const coef = tf.div(dotAll(g, gp), dotAll(gp, gp));
        return gp.map((p, i) => tf.sub(p, tf.mul(tf.sub(g[i], tf.mul(coef, p)), rule.alpha)));
      });
      disposeGrads(first.grads);
      tf.dispose(gp);
      updateWith(ctx, direction, options.lr);
      yield 'update';
      const perturbation = perturbationByName(
        ctx,
        params.map(() => true),
        perturbed.eps,
        options.keepPerturbation ?? false,
      );
      return {
        lossBefore: first.losses,
        correct: first.correct,
        lossAfter: perturbed.losses,
        selected: null,
        perturbation,
        sharpnessAware: true,
      };
    },
  };
}
