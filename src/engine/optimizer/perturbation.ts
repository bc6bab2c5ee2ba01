import * as tf from '@tensorflow/tfjs';
import { squaredNorm } from '../tensors';

/**
 * How the ascent step ε is formed from gradients: SAM's ρ·g/(‖g‖ + 1e-7), ESAM-SWP's extra
 * 1/β, ASAM's |θ|-scaled form ρ·θ²⊙g/(‖|θ|⊙g‖ + 1e-7).
 */
export interface PerturbationSpec {
  rho: number;
  /** SWP's ratio: ε is divided by it (1 without SWP). */
  beta: number;
  adaptive: boolean;
}

/** Keeps ‖g‖ = 0 from dividing by zero, as the authors' code does. */
export const NORM_EPSILON = 1e-7;

/**
 * ε for the tensors `vars` from their gradients `grads` (same order): the norm runs over these
 * tensors only. The caller owns the returned tensors.
 */
export function perturbationOf(vars: readonly tf.Variable[], grads: readonly tf.Tensor[], spec: PerturbationSpec): tf.Tensor[] {
  if (grads.length !== vars.length) throw new Error(`${grads.length} gradients for ${vars.length} tensors`);
  return tf.tidy(() => {
    const weighted = spec.adaptive ? grads.map((g, i) => tf.mul(tf.abs(vars[i]), g)) : [...grads];
    const scale = tf.div(tf.scalar(spec.rho), tf.add(tf.sqrt(squaredNorm(weighted)), NORM_EPSILON)).div(spec.beta);
    return grads.map((g, i) => (spec.adaptive ? tf.mul(tf.mul(tf.square(vars[i]), g), scale) : tf.mul(g, scale)));
  });
}

/**
 * ε over every tensor of `vars` when only those of `mask` are perturbed (SWP): the kept tensors'
 * ε as perturbationOf gives it, zeros elsewhere. `grads` are all of them; the masked-out ones are
 * not read.
 */
export function maskedPerturbationOf(
  vars: readonly tf.Variable[],
  grads: readonly tf.Tensor[],
  spec: PerturbationSpec,
  mask: readonly boolean[],
): tf.Tensor[] {
  if (mask.length !== vars.length) throw new Error(`SWP mask has ${mask.length} entries for ${vars.length} parameters`);
  const keptIdx = mask.flatMap((keep, i) => (keep ? [i] : []));
  const kept = perturbationOf(
    keptIdx.map((i) => vars[i]),
    keptIdx.map((i) => grads[i]),
    spec,
  );
  let next = 0;
  return vars.map((v, i) => (mask[i] ? kept[next++] : tf.zerosLike(v)));
}

/** θ ← θ + ε. */
export function applyPerturbation(vars: readonly tf.Variable[], eps: readonly tf.Tensor[]): void {
  vars.forEach((v, i) => tf.tidy(() => v.assign(tf.add(v, eps[i]))));
}

/** θ ← θ − ε: back from θ + ε as the authors' step does it (not bit-exact; see WeightSnapshot). */
export function removePerturbation(vars: readonly tf.Variable[], eps: readonly tf.Tensor[]): void {
  vars.forEach((v, i) => tf.tidy(() => v.assign(tf.sub(v, eps[i]))));
}

/** A copy of the weights to restore exactly, for measurements that must leave θ as it was. */
export class WeightSnapshot {
  private readonly saved: tf.Tensor[];

  constructor(private readonly vars: readonly tf.Variable[]) {
    this.saved = vars.map((v) => v.clone());
  }

  restore(): void {
    this.vars.forEach((v, i) => v.assign(this.saved[i]));
  }

  dispose(): void {
    tf.dispose(this.saved);
  }
}
