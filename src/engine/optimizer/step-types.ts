import type * as tf from '@tensorflow/tfjs';
import type { Model } from '../models';
import type { StepPhase } from './phases';
import type { SgdMomentum } from './sgd-momentum';

export interface StepOptions {
  lr: number;
  /** SWP mask over `model.params` (true = the first backward computes that gradient). All true when absent. */
  swpMask?: boolean[];
  /** Hand back ε per parameter (for the golden harness); costs one extra tensor per parameter. */
  keepPerturbation?: boolean;
  /**
   * RST's draw for this step: true = a SAM step, false = an SGD step. The fixture gives it; a run
   * draws it from its seeded Rng (see rstProbability). Required by RST, ignored by other rules.
   */
  samStep?: boolean;
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
  /**
   * Per-sample ℓ(θ+ε) on the whole batch (each sample at its own micro-batch's ε with
   * m-sharpness); K-SAM: on `selected` only, in its order. Null for an SGD step.
   */
  lossAfter: tf.Tensor1D | null;
  /** Indices of B+ (int32); null when B+ is the whole batch. */
  selected: tf.Tensor1D | null;
  /** ε by parameter name (zeros where SWP masked the tensor out or the step is SGD); only with keepPerturbation. */
  perturbation: Map<string, tf.Tensor> | null;
  /** m-sharpness: each micro-batch's ε, in batch order, instead of `perturbation`; only with keepPerturbation. */
  microPerturbation?: Map<string, tf.Tensor>[];
  /** Whether this step took the sharpness-aware path (known on the host: no device read). */
  sharpnessAware: boolean;
}

export function disposeStepOutput(out: StepOutput): void {
  out.lossBefore.dispose();
  out.correct.dispose();
  out.lossAfter?.dispose();
  out.selected?.dispose();
  out.perturbation?.forEach((t) => t.dispose());
  out.microPerturbation?.forEach((m) => m.forEach((t) => t.dispose()));
}

/** What a step method works on: the model, its trainable variables (in `model.params` order), the base optimizer. */
export interface StepContext {
  model: Model;
  params: tf.Variable[];
  base: SgdMomentum;
}

/**
 * A value a step needs on the host before it can go on (AE-SAM's ‖g‖², which picks the passes):
 * the method yields it and its driver sends back the scalar's value, read synchronously by `step`
 * and awaited by `stepAsync` and `timedStep` (WebGPU in Node has no synchronous read). The
 * method keeps and disposes the tensor.
 */
export interface HostRead {
  readonly read: tf.Scalar;
}

export type StepYield = StepPhase | HostRead;

export function isHostRead(value: StepYield): value is HostRead {
  return typeof value !== 'string';
}

/**
 * One optimization method's step, written as a generator that yields the name of each phase as
 * it ends (and any HostRead it needs) and returns the step's output. Driving it straight through
 * is the plain step; the cost meter drives it with a device sync and a clock reading at each
 * phase. A yield does no tensor work, so a timed step computes exactly what an untimed one does.
 */
export interface StepMethod {
  /** The phases this method's steps go through, in order (the keys its timed steps report). */
  readonly phases: readonly StepPhase[];
  run(ctx: StepContext, x: tf.Tensor, y: tf.Tensor1D, options: StepOptions): Generator<StepYield, StepOutput, number | undefined>;
  /** Frees the state the method carries from step to step (LookSAM's stored component), if any. */
  dispose?(): void;
}
