import type * as tf from '@tensorflow/tfjs';
import type { StepRuleOf } from '../config';
import { disposeGrads, firstPass } from '../passes';
import type { StepPhase } from '../phases';
import type { StepContext, StepMethod, StepOptions, StepOutput } from '../step-types';
import { perturbedDescent, perturbationByName, updateWith } from './common';

/**
 * BatchNorm's γ and β, the parameters SAM-ON perturbs: `…/gamma` or `…/beta` of a layer named
 * `bn…` or `…Bn…` (`bn0/gamma`, `stage1/block0/bn2/beta`, `stage2/block0/shortcutBn/gamma`).
 */
export function isNormParam(name: string): boolean {
  return /(^|\/)(bn|[^/]*Bn)\d*\/(gamma|beta)$/.test(name);
}

/**
 * SAM-ON (Mueller et al., NeurIPS 2023), as the reference's step_samon: SAM (or ASAM) with ε on
 * the normalization parameters only (the ascent backward computes only their gradients, the
 * norm runs over them), then ∇L(θ + ε) for every parameter.
 */
export function samOnMethod(rule: StepRuleOf<'samon'>): StepMethod {
  const spec = { rho: rule.rho, beta: 1, adaptive: rule.adaptive };
  return {
    phases: ['ascentForwardBackward', 'descentForwardBackward', 'update'],
    *run(ctx: StepContext, x: tf.Tensor, y: tf.Tensor1D, options: StepOptions): Generator<StepPhase, StepOutput, unknown> {
      const mask = ctx.model.params.map((p) => isNormParam(p.name));
      const on = ctx.params.filter((_, i) => mask[i]);
      if (on.length === 0) throw new Error(`SAM-ON needs a model with normalization parameters; ${ctx.model.name} has none`);
      const first = firstPass(ctx.model, x, y, on);
      const perturbed = yield* perturbedDescent(
        ctx,
        x,
        y,
        on,
        on.map((v) => first.grads[v.name]),
        spec,
      );
      disposeGrads(first.grads);
      updateWith(ctx, perturbed.grads, options.lr);
      yield 'update';
      const perturbation = perturbationByName(ctx, mask, perturbed.eps, options.keepPerturbation ?? false);
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
