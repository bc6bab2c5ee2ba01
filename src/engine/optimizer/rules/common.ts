import * as tf from '@tensorflow/tfjs';
import { descentPass, disposeGrads, type FirstPass } from '../passes';
import { applyPerturbation, perturbationOf, removePerturbation, type PerturbationSpec } from '../perturbation';
import type { StepPhase } from '../phases';
import type { StepContext, StepOptions, StepOutput } from '../step-types';
import { sumScalars } from '../../tensors';

/** ⟨a, b⟩ over all the tensors together (same order, same shapes). */
export function dotAll(a: readonly tf.Tensor[], b: readonly tf.Tensor[]): tf.Scalar {
  return tf.tidy(() => sumScalars(a.map((t, i) => tf.sum(tf.mul(t, b[i])))));
}

/** What the perturbed half of a SAM step hands back; the caller owns every tensor. */
export interface PerturbedDescent {
  /** ε for the perturbed tensors, in their order. */
  eps: tf.Tensor[];
  /** ∇L(θ + ε) on the given samples, for every parameter (in `ctx.params` order). */
  grads: tf.Tensor[];
  /** Per-sample ℓ(θ + ε) on the given samples. */
  losses: tf.Tensor1D;
}

/**
 * The half of a SAM step every perturbing rule shares: ε from the gradients `grads` of the
 * tensors `on` (norm over those only), θ + ε, the descent pass on (x, y) at θ + ε, back to θ.
 * Yields the ascent and descent phases; the caller's first pass belongs to the ascent phase.
 */
export function* perturbedDescent(
  ctx: StepContext,
  x: tf.Tensor,
  y: tf.Tensor1D,
  on: readonly tf.Variable[],
  grads: readonly tf.Tensor[],
  spec: PerturbationSpec,
): Generator<StepPhase, PerturbedDescent, unknown> {
  const eps = perturbationOf(on, grads, spec);
  applyPerturbation(on, eps);
  yield 'ascentForwardBackward';
  const descent = descentPass(ctx.model, x, y, ctx.params, null);
  yield 'descentForwardBackward';
  removePerturbation(on, eps);
  return { eps, grads: descent.grads, losses: descent.losses! };
}

/**
 * ε by parameter name for the step's output: `eps` for the parameters `on` marks (in order), zeros
 * elsewhere (all zeros when `eps` is null, an SGD step). Without `keep` it frees `eps` and hands
 * back null.
 */
export function perturbationByName(
  ctx: StepContext,
  on: readonly boolean[],
  eps: tf.Tensor[] | null,
  keep: boolean,
): Map<string, tf.Tensor> | null {
  if (!keep) {
    if (eps) tf.dispose(eps);
    return null;
  }
  const byName = new Map<string, tf.Tensor>();
  let next = 0;
  ctx.model.params.forEach((p, i) => byName.set(p.name, eps && on[i] ? eps[next++] : tf.zerosLike(p.variable)));
  return byName;
}

/** The base optimizer's update with `direction`, which it then frees. */
export function updateWith(ctx: StepContext, direction: tf.Tensor[], lr: number): void {
  ctx.base.update(direction, lr);
  tf.dispose(direction);
}

/**
 * The rest of a step that is either SAM's or SGD's, after its first pass at θ (the switching
 * rules, RST and AE-SAM, decide between them): descend along ∇L(θ + ε) or along `g` = ∇L(θ),
 * update, and hand back the step's output.
 */
export function* samOrSgdRest(
  ctx: StepContext,
  x: tf.Tensor,
  y: tf.Tensor1D,
  first: FirstPass,
  g: tf.Tensor[],
  sam: boolean,
  spec: PerturbationSpec,
  options: StepOptions,
): Generator<StepPhase, StepOutput, unknown> {
  let eps: tf.Tensor[] | null = null;
  let lossAfter: tf.Tensor1D | null = null;
  if (sam) {
    const perturbed = yield* perturbedDescent(ctx, x, y, ctx.params, g, spec);
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
    ctx.params.map(() => true),
    eps,
    options.keepPerturbation ?? false,
  );
  return { lossBefore: first.losses, correct: first.correct, lossAfter, selected: null, perturbation, sharpnessAware: sam };
}
