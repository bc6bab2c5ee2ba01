import * as tf from '@tensorflow/tfjs';
import type { StepRuleOf } from '../config';
import { disposeGrads, firstPass } from '../passes';
import { NORM_EPSILON } from '../perturbation';
import type { StepPhase } from '../phases';
import type { StepContext, StepMethod, StepOptions, StepOutput } from '../step-types';
import { dotAll, perturbedDescent, perturbationByName, updateWith } from './common';

/**
 * LookSAM (Liu et al., CVPR 2022, Algorithm 1), as scripts/reference/family_reference.py's
 * step_looksam: every k-th step (the first included) a SAM step that stores the part of the SAM
 * gradient orthogonal to the SGD gradient, g_v = g_s − (⟨g_s, g⟩ / ‖g‖²)·g; the other steps one
 * pass at θ and d = g + α·‖g‖ / (‖g_v‖ + 1e-7)·g_v. Norms over all parameters together.
 * The step counter and g_v are this method's state.
 */
export function lookSamMethod(rule: StepRuleOf<'looksam'>): StepMethod {
  if (!(Number.isInteger(rule.k) && rule.k >= 1)) throw new Error(`LookSAM needs k ≥ 1 (an integer), got ${rule.k}`);
  let t = 0;
  let orthogonal: tf.Tensor[] | null = null;
  const spec = { rho: rule.rho, beta: 1, adaptive: rule.adaptive };
  return {
    phases: ['ascentForwardBackward', 'descentForwardBackward', 'update'],
    *run(ctx: StepContext, x: tf.Tensor, y: tf.Tensor1D, options: StepOptions): Generator<StepPhase, StepOutput, unknown> {
      const { params } = ctx;
      const sam = t % rule.k === 0;
      const first = firstPass(ctx.model, x, y, params);
      const g = params.map((v) => first.grads[v.name]);
      let direction: tf.Tensor[];
      let eps: tf.Tensor[] | null = null;
      let lossAfter: tf.Tensor1D | null = null;
      if (sam) {
        const perturbed = yield* perturbedDescent(ctx, x, y, params, g, spec);
        const gs = perturbed.grads;
        const stored = tf.tidy(() => {
          const coef = tf.div(dotAll(gs, g), dotAll(g, g));
          return gs.map((s, i) => tf.sub(s, tf.mul(coef, g[i])));
        });
        if (orthogonal) tf.dispose(orthogonal);
        orthogonal = stored.map((s) => tf.keep(s));
        ({ eps, losses: lossAfter } = perturbed);
        direction = gs;
      } else {
        if (!orthogonal) throw new Error('LookSAM has no stored component before its first SAM step');
        yield 'descentForwardBackward';
        const gv = orthogonal;
        direction = tf.tidy(() => {
          const scale = tf.div(tf.mul(tf.sqrt(dotAll(g, g)), rule.alpha), tf.add(tf.sqrt(dotAll(gv, gv)), NORM_EPSILON));
          return g.map((gi, i) => tf.add(gi, tf.mul(scale, gv[i])));
        });
      }
      t++;
      disposeGrads(first.grads);
      updateWith(ctx, direction, options.lr);
      yield 'update';
      return {
        lossBefore: first.losses,
        correct: first.correct,
        lossAfter,
        selected: null,
        perturbation: perturbationByName(
          ctx,
          params.map(() => true),
          eps,
          options.keepPerturbation ?? false,
        ),
        sharpnessAware: sam,
      };
    },
    dispose() {
      if (orthogonal) tf.dispose(orthogonal);
      orthogonal = null;
    },
  };
}
