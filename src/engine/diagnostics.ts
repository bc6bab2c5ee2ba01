import * as tf from '@tensorflow/tfjs';
import { perSampleCrossEntropy } from './loss';
import type { Model } from './models';
import { sumScalars } from './tensors';

/** The paper's Fig. 5 and 6 quantities on one probe batch (CONTRACTS section 2). */
export interface Diagnostics {
  lossBPlus: number;
  lossBMinus: number;
  lossBPlusPerturbed: number;
  lossBMinusPerturbed: number;
  cosBPlus: number;
  cosBMinus: number;
  cosRandom: number;
  sharpness: number;
}

export interface DiagnosticsOptions {
  rho: number;
  /** Fraction of the probe batch in B+. */
  gamma: number;
  /** Indices (into the probe batch) of the random subset R, of size |B+|. */
  randomSubset: Int32Array;
}

/** Size of B+ on a probe batch of `batchSize`: ⌊γ·b⌋, kept within [1, b − 1] so that B− is never empty. */
export function probeSelectedCount(gamma: number, batchSize: number): number {
  return Math.min(Math.max(Math.floor(gamma * batchSize), 1), batchSize - 1);
}

/**
 * Measures, at the model's current weights θ and without changing them (BatchNorm running
 * statistics included): ε = ρ·∇L_B(θ)/‖∇L_B(θ)‖; per-sample losses at θ and θ+ε; B+ = the
 * ⌊γ·|B|⌋ samples whose loss rose most, B− the rest; the cosine of the gradients at θ+ε of B+,
 * B− and R with that of B; sharpness L_B(θ+ε) − L_B(θ).
 */
export async function measureDiagnostics(model: Model, x: tf.Tensor, y: tf.Tensor1D, options: DiagnosticsOptions): Promise<Diagnostics> {
  const vars = model.params.map((p) => p.variable);
  const batchSize = y.shape[0];
  const k = probeSelectedCount(options.gamma, batchSize);

  const gradsOf = (xs: tf.Tensor, ys: tf.Tensor1D): tf.Tensor[] => {
    const { value, grads } = tf.variableGrads(() => tf.mean(perSampleCrossEntropy(model.apply(xs, 'train'), ys)) as tf.Scalar, vars);
    value.dispose();
    return vars.map((v) => grads[v.name]);
  };

  const lossBefore = tf.tidy(() => perSampleCrossEntropy(model.apply(x, 'train'), y));
  // θ is restored from a copy, not by subtracting ε, so that measuring never moves the weights.
  const saved = vars.map((v) => v.clone());
  tf.tidy(() => {
    const g = gradsOf(x, y);
    const scale = tf.div(options.rho, tf.add(tf.sqrt(dot(g, g)), 1e-7));
    vars.forEach((v, i) => v.assign(tf.add(v, tf.mul(g[i], scale))));
  });
  try {
    const packed = tf.tidy(() => {
      const lossAfter = perSampleCrossEntropy(model.apply(x, 'train'), y);
      const order = tf.topk(tf.sub(lossAfter, lossBefore), batchSize).indices as tf.Tensor1D;
      const plus = order.slice(0, k);
      const minus = order.slice(k, batchSize - k);
      const random = tf.tensor1d(options.randomSubset, 'int32');
      const subsetGrads = (idx: tf.Tensor1D) => gradsOf(tf.gather(x, idx), tf.gather(y, idx));
      const whole = gradsOf(x, y);
      const meanAt = (t: tf.Tensor1D, idx: tf.Tensor1D) => tf.mean(tf.gather(t, idx));
      return tf.stack([
        meanAt(lossBefore, plus),
        meanAt(lossBefore, minus),
        meanAt(lossAfter, plus),
        meanAt(lossAfter, minus),
        cosine(subsetGrads(plus), whole),
        cosine(subsetGrads(minus), whole),
        cosine(subsetGrads(random), whole),
        tf.sub(tf.mean(lossAfter), tf.mean(lossBefore)),
      ]);
    });
    const v = await packed.data();
    packed.dispose();
    return {
      lossBPlus: v[0],
      lossBMinus: v[1],
      lossBPlusPerturbed: v[2],
      lossBMinusPerturbed: v[3],
      cosBPlus: v[4],
      cosBMinus: v[5],
      cosRandom: v[6],
      sharpness: v[7],
    };
  } finally {
    vars.forEach((v, i) => v.assign(saved[i]));
    tf.dispose(saved);
    lossBefore.dispose();
  }
}

function dot(a: tf.Tensor[], b: tf.Tensor[]): tf.Scalar {
  return sumScalars(a.map((t, i) => tf.sum(tf.mul(t, b[i]))));
}

function cosine(a: tf.Tensor[], b: tf.Tensor[]): tf.Scalar {
  return tf.div(dot(a, b), tf.mul(tf.sqrt(dot(a, a)), tf.sqrt(dot(b, b))));
}
