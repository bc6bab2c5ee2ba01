import * as tf from '@tensorflow/tfjs';
import { correctCount, perSampleCrossEntropy } from '../loss';
import type { Model } from '../models';
import { squaredNorm } from '../tensors';
import { selectedCount, type SgdHyper, type StepRule } from './config';

export interface StepOptions {
  lr: number;
  /** SWP mask over `model.params` (true = the first backward computes that gradient). All true when absent. */
  swpMask?: boolean[];
  /** Hand back ε per parameter (for the golden harness); costs one extra tensor per parameter. */
  keepPerturbation?: boolean;
}

/**
 * What a step hands back, as tensors that the caller reads (asynchronously) and disposes.
 * Nothing here has been read from the device.
 */
export interface StepOutput {
  /** Per-sample ℓ(θ) on the whole batch. */
  lossBefore: tf.Tensor1D;
  /** Correctly classified samples at θ (int32 scalar). */
  correct: tf.Scalar;
  /** Per-sample ℓ(θ+ε) on the whole batch; null for SGD. */
  lossAfter: tf.Tensor1D | null;
  /** Indices of B+ (int32); null when B+ is the whole batch. */
  selected: tf.Tensor1D | null;
  /** ε by parameter name (zeros where SWP masked the tensor out); only with keepPerturbation. */
  perturbation: Map<string, tf.Tensor> | null;
}

export function disposeStepOutput(out: StepOutput): void {
  out.lossBefore.dispose();
  out.correct.dispose();
  out.lossAfter?.dispose();
  out.selected?.dispose();
  out.perturbation?.forEach((t) => t.dispose());
}

/**
 * SGD, SAM and ESAM steps as in the authors' implementation (see docs/golden-format.md), with
 * PyTorch-style SGD (momentum buffer starting at zero, weight decay added to the gradient).
 */
export class SharpnessAwareOptimizer {
  private readonly momentumBuffers: tf.Variable[];

  constructor(
    private readonly model: Model,
    private readonly rule: StepRule,
    private readonly hyper: SgdHyper,
  ) {
    this.momentumBuffers = model.params.map((p) => {
      const zeros = tf.zerosLike(p.variable);
      const buffer = tf.variable(zeros, false);
      zeros.dispose();
      return buffer;
    });
  }

  step(x: tf.Tensor, y: tf.Tensor1D, options: StepOptions): StepOutput {
    const { model, rule } = this;
    const params = model.params.map((p) => p.variable);

    // First pass: ℓ(θ) on B; backward only for the SWP-kept tensors (the only pass for SGD).
    const mask = rule.kind === 'sgd' ? params.map(() => true) : (options.swpMask ?? params.map(() => true));
    if (mask.length !== params.length) throw new Error(`SWP mask has ${mask.length} entries for ${params.length} parameters`);
    const kept = params.filter((_, i) => mask[i]);
    const first = this.lossAndGrads(x, y, kept);

    if (rule.kind === 'sgd') {
      this.update(params.map((v) => first.grads[v.name]), options.lr);
      disposeGrads(first.grads);
      return { lossBefore: first.losses, correct: first.correct, lossAfter: null, selected: null, perturbation: null };
    }

    // ε = ρ · g / (‖g‖ + 1e-7) / β over the kept tensors (ASAM: ρ · θ² ⊙ g / (‖|θ| ⊙ g‖ + 1e-7) / β).
    const epsilons = tf.tidy(() => {
      const grads = kept.map((v) => first.grads[v.name]);
      const weighted = rule.adaptive ? grads.map((g, i) => tf.mul(tf.abs(kept[i]), g)) : grads;
      const scale = tf.div(tf.scalar(rule.rho), tf.add(tf.sqrt(squaredNorm(weighted)), 1e-7)).div(rule.beta);
      return grads.map((g, i) => (rule.adaptive ? tf.mul(tf.mul(tf.square(kept[i]), g), scale) : tf.mul(g, scale)));
    });
    disposeGrads(first.grads);
    kept.forEach((v, i) => tf.tidy(() => v.assign(tf.add(v, epsilons[i]))));

    // SDS: B+ = the ⌊γ·|B|⌋ samples whose loss rose most; ranked by a gradient-free forward at
    // θ+ε on B and chosen outside any tape. Without SDS, B+ = B and the second pass's forward
    // yields ℓ(θ+ε) itself (same values), so SAM and ESAM-SWP do not pay for an extra forward.
    const batchSize = y.shape[0];
    const k = selectedCount(rule.gamma, batchSize);
    let lossAfter: tf.Tensor1D;
    let selected: tf.Tensor1D | null = null;
    if (k < batchSize) {
      // BatchNorm running statistics untouched ('train').
      lossAfter = tf.tidy(() => perSampleCrossEntropy(model.apply(x, 'train'), y));
      selected = tf.tidy(() => tf.topk(tf.sub(lossAfter, first.losses), k).indices as tf.Tensor1D);
    }
    const second = tf.tidy(() => {
      const xs = selected ? tf.gather(x, selected) : x;
      const ys = selected ? tf.gather(y, selected) : y;
      const { value, grads } = tf.variableGrads(() => {
        const losses = perSampleCrossEntropy(model.apply(xs, 'train'), ys);
        if (!selected) lossAfter = tf.keep(losses);
        return tf.mean(losses) as tf.Scalar;
      }, params);
      value.dispose();
      return params.map((v) => grads[v.name]);
    });

    kept.forEach((v, i) => tf.tidy(() => v.assign(tf.sub(v, epsilons[i]))));
    this.update(second, options.lr);
    second.forEach((g) => g.dispose());

    let perturbation: Map<string, tf.Tensor> | null = null;
    if (options.keepPerturbation) {
      perturbation = new Map();
      let e = 0;
      model.params.forEach((p, i) => perturbation!.set(p.name, mask[i] ? epsilons[e++] : tf.zerosLike(p.variable)));
    } else {
      epsilons.forEach((t) => t.dispose());
    }
    return { lossBefore: first.losses, correct: first.correct, lossAfter: lossAfter!, selected, perturbation };
  }

  dispose(): void {
    this.momentumBuffers.forEach((b) => b.dispose());
  }

  /**
   * The first forward pass (the only one that updates BatchNorm's running statistics): per-sample
   * losses and correct count at θ, kept past the tape, and the mean loss's gradients for `vars`.
   */
  private lossAndGrads(x: tf.Tensor, y: tf.Tensor1D, vars: tf.Variable[]) {
    let losses: tf.Tensor1D | undefined;
    let correct: tf.Scalar | undefined;
    const { value, grads } = tf.variableGrads(() => {
      const logits = this.model.apply(x, 'train-record');
      losses = tf.keep(perSampleCrossEntropy(logits, y));
      correct = tf.keep(correctCount(logits, y));
      return tf.mean(losses) as tf.Scalar;
    }, vars);
    value.dispose();
    return { losses: losses!, correct: correct!, grads };
  }

  /** d = g + wd·θ; buf = momentum·buf + d; θ ← θ − lr·buf. */
  private update(grads: tf.Tensor[], lr: number): void {
    const { momentum, weightDecay } = this.hyper;
    tf.tidy(() => {
      this.model.params.forEach((p, i) => {
        const theta = p.variable;
        const d = weightDecay !== 0 ? tf.add(grads[i], tf.mul(theta, weightDecay)) : grads[i];
        const buf = this.momentumBuffers[i];
        buf.assign(momentum !== 0 ? tf.add(tf.mul(buf, momentum), d) : d);
        theta.assign(tf.sub(theta, tf.mul(buf, lr)));
      });
    });
  }
}

function disposeGrads(grads: tf.NamedTensorMap): void {
  for (const g of Object.values(grads)) g?.dispose();
}
