import * as tf from '@tensorflow/tfjs';
import { Rng } from '../random';
import { squaredNorm, sumScalars } from '../tensors';

/**
 * The gradient of one fixed loss at the parameters θ it is given (one tensor per parameter, same
 * shapes). It must not keep or dispose its inputs; its outputs belong to the caller.
 */
export type GradientFn = (theta: tf.Tensor[]) => tf.Tensor[];

export interface PowerIterationOptions {
  /** Hessian-vector products before the final one that measures the residual. */
  iterations: number;
  /** Seeds the starting direction. */
  seed: number;
  /** h = relStep · max(‖θ‖, 1) (see `finiteDifferenceStep`). */
  relStep?: number;
}

export interface TopEigenvalue {
  /** vᵀHv at the final unit vector v: the dominant (largest-magnitude) eigenvalue of H. */
  lambdaMax: number;
  iterations: number;
  /** ‖Hv − λv‖ / |λ| at the final v (0 for an exact eigenvector). */
  residual: number;
}

export const DEFAULT_REL_STEP = 1e-3;

/**
 * The finite-difference step for θ: h = relStep · max(‖θ‖, 1). θ ± h·v is rounded to float32 entry
 * by entry, an error of about 6e-8·‖θ‖ in norm, so the difference of the two points is known to a
 * relative 6e-8·‖θ‖ / h = 6e-8 / relStep (6e-5 with the default): a step relative to ‖θ‖ keeps
 * that rounding error fixed whatever the weights' scale. 1e-3 moves the weights by 0.1% of their
 * norm, small enough for the third-order term (O(h²)) and for few ReLU inputs to change sign.
 */
export function finiteDifferenceStep(theta: tf.Tensor[], relStep = DEFAULT_REL_STEP): Promise<number> {
  const norm = tf.tidy(() => tf.sqrt(squaredNorm(theta)));
  return norm.data().then((d) => {
    norm.dispose();
    return relStep * Math.max(d[0], 1);
  });
}

/**
 * Hv ≈ (∇L(θ + h·v) − ∇L(θ − h·v)) / (2h), central differences of gradients: tfjs cannot
 * differentiate the convolution filter's gradient again, so no exact second derivative exists.
 * Exact for a quadratic loss up to rounding; O(h²) otherwise. `v` should have unit norm over all
 * tensors: the points differentiated are h·‖v‖ from θ, and h is chosen for a unit step.
 */
export function hessianVectorProduct(gradFn: GradientFn, theta: tf.Tensor[], v: tf.Tensor[], h: number): tf.Tensor[] {
  return tf.tidy(() => {
    const plus = gradFn(theta.map((t, i) => tf.add(t, tf.mul(v[i], h))));
    const minus = gradFn(theta.map((t, i) => tf.sub(t, tf.mul(v[i], h))));
    return plus.map((g, i) => tf.div(tf.sub(g, minus[i]), 2 * h));
  });
}

function dot(a: tf.Tensor[], b: tf.Tensor[]): tf.Scalar {
  return tf.tidy(() => sumScalars(a.map((t, i) => tf.sum(tf.mul(t, b[i])))));
}

function normalized(v: tf.Tensor[]): tf.Tensor[] {
  return tf.tidy(() => {
    const inv = tf.div(1, tf.sqrt(squaredNorm(v)));
    return v.map((t) => tf.mul(t, inv));
  });
}

/** A seeded standard-normal direction with θ's shapes, scaled to unit norm. */
function startDirection(theta: tf.Tensor[], seed: number): tf.Tensor[] {
  const rng = new Rng(seed);
  return tf.tidy(() =>
    normalized(
      theta.map((t) => {
        const values = new Float32Array(t.size);
        for (let i = 0; i < values.length; i++) values[i] = rng.normal();
        return tf.tensor(values, t.shape);
      }),
    ),
  );
}

/**
 * The top Hessian eigenvalue of the loss behind `gradFn` at θ by power iteration on
 * finite-difference Hessian-vector products: v₀ seeded and normalised, v_{i+1} = Hv_i / ‖Hv_i‖
 * for `iterations` steps, then λ = vᵀHv and the residual ‖Hv − λv‖ / |λ| from one more product.
 * Costs 2·(iterations + 1) gradients; reads three numbers from the device at the end. Power
 * iteration finds the eigenvalue of largest magnitude: λ is negative only when the most negative
 * curvature outweighs the most positive.
 */
export async function topHessianEigenvalue(gradFn: GradientFn, theta: tf.Tensor[], options: PowerIterationOptions): Promise<TopEigenvalue> {
  const { iterations, seed } = options;
  if (!Number.isInteger(iterations) || iterations < 1) throw new Error(`power iteration needs iterations ≥ 1, got ${iterations}`);
  const h = await finiteDifferenceStep(theta, options.relStep);
  let v = startDirection(theta, seed);
  for (let i = 0; i < iterations; i++) {
    const next = tf.tidy(() => normalized(hessianVectorProduct(gradFn, theta, v, h)));
    tf.dispose(v);
    v = next;
  }
  const [lambda, residual] = tf.tidy(() => {
    const hv = hessianVectorProduct(gradFn, theta, v, h);
    const l = dot(v, hv);
    const r = tf.div(tf.sqrt(squaredNorm(hv.map((t, i) => tf.sub(t, tf.mul(v[i], l))))), tf.abs(l));
    return [l, r];
  });
  tf.dispose(v);
  const [l, r] = await Promise.all([lambda.data(), residual.data()]);
  lambda.dispose();
  residual.dispose();
  return { lambdaMax: l[0], iterations, residual: r[0] };
}
