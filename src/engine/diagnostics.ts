import * as tf from '@tensorflow/tfjs';
import { perSampleCrossEntropy } from './loss';
import type { Model } from './models';
import { applyPerturbation, maskedPerturbationOf, perturbationOf, WeightSnapshot } from './optimizer/perturbation';
import { sumScalars } from './tensors';

/** The paper's Fig. 5 and 6 quantities on one probe batch (see docs/run-json.md). */
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

/** Which samples of the probe batch formed B+ (SDS's pick), as indices into the batch, largest rise first. */
export interface ProbeSelection {
  bPlus: number[];
}

/**
 * The linearity measure of appendix A.3, ζ(ε, S) = |L_S(θ+ε) − L_S(θ) − εᵀ∇L_S(θ)|: how far the
 * loss of S is from its first-order Taylor expansion along the run's own perturbation ε; for
 * S = B, B+ and B−. The paper's Fig. 7 plots it for B: smaller β, more linear.
 */
export interface LinearityDiagnostics {
  linearity: number;
  linearityBPlus: number;
  linearityBMinus: number;
}

export interface DiagnosticsOptions {
  rho: number;
  /** Fraction of the probe batch in B+. */
  gamma: number;
  /** Indices (into the probe batch) of the random subset R, of size |B+|. */
  randomSubset: Int32Array;
  /** Also measure ζ (LinearityDiagnostics) along the run's perturbation; off when absent. */
  linearity?: RunPerturbation;
}

/**
 * The perturbation the run's optimizer would take at θ: SWP keeps the tensors of `swpMask` and
 * scales by 1/β (β = 1 and every tensor kept for SAM and SGD); ASAM weights by |θ|.
 */
export interface RunPerturbation {
  beta: number;
  adaptive: boolean;
  swpMask: boolean[];
}

/** Size of B+ on a probe batch of `batchSize`: ⌊γ·b⌋, kept within [1, b − 1] so that B− is never empty. */
export function probeSelectedCount(gamma: number, batchSize: number): number {
  return Math.min(Math.max(Math.floor(gamma * batchSize), 1), batchSize - 1);
}

/**
 * Measures, at the model's current weights θ and without changing them (BatchNorm running
 * statistics included): ε = ρ·∇L_B(θ)/‖∇L_B(θ)‖; per-sample losses at θ and θ+ε; B+ = the
 * ⌊γ·|B|⌋ samples whose loss rose most, B− the rest; the cosine of the gradients at θ+ε of B+,
 * B− and R with that of B; sharpness L_B(θ+ε) − L_B(θ); with `linearity`, ζ for B, B+ and B−.
 * One readback.
 */
export async function measureDiagnostics(
  model: Model,
  x: tf.Tensor,
  y: tf.Tensor1D,
  options: DiagnosticsOptions,
): Promise<Diagnostics & Partial<LinearityDiagnostics> & ProbeSelection> {
  const vars = model.params.map((p) => p.variable);
  const batchSize = y.shape[0];
  const k = probeSelectedCount(options.gamma, batchSize);

  const gradsOf = (loss: () => tf.Scalar): tf.Tensor[] => {
    const { value, grads } = tf.variableGrads(loss, vars);
    value.dispose();
    return vars.map((v) => grads[v.name]);
  };
  const meanLossGrads = (xs: tf.Tensor, ys: tf.Tensor1D) =>
    gradsOf(() => tf.mean(perSampleCrossEntropy(model.apply(xs, 'train'), ys)) as tf.Scalar);

  const lossBefore = tf.tidy(() => perSampleCrossEntropy(model.apply(x, 'train'), y));
  // θ is restored from a copy, not by subtracting ε, so that measuring never moves the weights.
  const saved = new WeightSnapshot(vars);
  const held: tf.Tensor[] = [lossBefore];
  let perturbed = false;
  const restore = () => {
    if (perturbed) saved.restore();
    perturbed = false;
  };
  try {
    const g = tf.tidy(() => meanLossGrads(x, y));
    held.push(...g);
    // SAM's ε for every method: no SWP, no 1/β, no ASAM.
    const eps = perturbationOf(vars, g, { rho: options.rho, beta: 1, adaptive: false });
    held.push(...eps);
    perturbed = true;
    applyPerturbation(vars, eps);

    const at = tf.tidy(() => {
      const lossAfter = perSampleCrossEntropy(model.apply(x, 'train'), y);
      const order = tf.topk(tf.sub(lossAfter, lossBefore), batchSize).indices as tf.Tensor1D;
      const plus = order.slice(0, k);
      const minus = order.slice(k, batchSize - k);
      const random = tf.tensor1d(options.randomSubset, 'int32');
      const subsetGrads = (idx: tf.Tensor1D) => meanLossGrads(tf.gather(x, idx), tf.gather(y, idx));
      const whole = meanLossGrads(x, y);
      const meanAt = (t: tf.Tensor1D, idx: tf.Tensor1D) => tf.mean(tf.gather(t, idx));
      const stats = tf.stack([
        meanAt(lossBefore, plus),
        meanAt(lossBefore, minus),
        meanAt(lossAfter, plus),
        meanAt(lossAfter, minus),
        cosine(subsetGrads(plus), whole),
        cosine(subsetGrads(minus), whole),
        cosine(subsetGrads(random), whole),
        tf.sub(tf.mean(lossAfter), tf.mean(lossBefore)),
      ]) as tf.Tensor1D;
      return { stats, lossAfter, plus, minus };
    });
    held.push(at.stats, at.lossAfter, at.plus, at.minus);
    restore();

    let values = at.stats;
    if (options.linearity) {
      const run = options.linearity;
      // ε as the optimizer's first pass gives it, zeros where SWP's mask leaves a tensor out.
      const runEps = maskedPerturbationOf(vars, g, { rho: options.rho, beta: run.beta, adaptive: run.adaptive }, run.swpMask);
      held.push(...runEps);
      perturbed = true;
      applyPerturbation(vars, runEps);
      const lossAfterRun = tf.tidy(() => perSampleCrossEntropy(model.apply(x, 'train'), y));
      held.push(lossAfterRun);
      restore();
      // At θ again: ∇L_S(θ) for S = B+ and B− needs the weights unperturbed.
      values = tf.tidy(() => {
        const zeta = (mask: tf.Tensor1D | null, epsDotGrad: tf.Scalar) => {
          const meanOver = (t: tf.Tensor1D) => (mask ? tf.div(tf.sum(tf.mul(t, mask)), tf.sum(mask)) : tf.mean(t));
          return tf.abs(tf.sub(tf.sub(meanOver(lossAfterRun), meanOver(lossBefore)), epsDotGrad));
        };
        // ∇ of the mean over S of the whole-batch forward's per-sample losses (same BatchNorm statistics).
        const maskedMeanGrads = (mask: tf.Tensor1D) =>
          gradsOf(() => tf.div(tf.sum(tf.mul(perSampleCrossEntropy(model.apply(x, 'train'), y), mask)), tf.sum(mask)) as tf.Scalar);
        const subset = (idx: tf.Tensor1D) => {
          // oneHot's own float32 option returns integer bit patterns on the WASM backend (4.22): cast instead.
          const mask = tf.sum(tf.cast(tf.oneHot(idx, batchSize), 'float32'), 0) as tf.Tensor1D;
          return zeta(mask, dot(runEps, maskedMeanGrads(mask)));
        };
        // ∇L_B(θ) is g itself.
        return tf.concat([at.stats, tf.stack([zeta(null, dot(runEps, g)), subset(at.plus), subset(at.minus)])]) as tf.Tensor1D;
      });
      held.push(values);
    }
    // B+'s indices ride along in the one readback (small integers are exact in float32).
    const packed = tf.tidy(() => tf.concat([tf.cast(at.plus, 'float32'), values]));
    held.push(packed);
    const all = await packed.data();
    const bPlus = Array.from(all.subarray(0, k), Math.round);
    const v = all.subarray(k);
    const diagnostics: Diagnostics & ProbeSelection = {
      bPlus,
      lossBPlus: v[0],
      lossBMinus: v[1],
      lossBPlusPerturbed: v[2],
      lossBMinusPerturbed: v[3],
      cosBPlus: v[4],
      cosBMinus: v[5],
      cosRandom: v[6],
      sharpness: v[7],
    };
    if (!options.linearity) return diagnostics;
    return { ...diagnostics, linearity: v[8], linearityBPlus: v[9], linearityBMinus: v[10] };
  } finally {
    restore();
    saved.dispose();
    tf.dispose(held);
  }
}

function dot(a: tf.Tensor[], b: tf.Tensor[]): tf.Scalar {
  return sumScalars(a.map((t, i) => tf.sum(tf.mul(t, b[i]))));
}

function cosine(a: tf.Tensor[], b: tf.Tensor[]): tf.Scalar {
  return tf.div(dot(a, b), tf.mul(tf.sqrt(dot(a, a)), tf.sqrt(dot(b, b))));
}
