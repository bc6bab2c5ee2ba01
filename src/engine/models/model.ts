import type * as tf from '@tensorflow/tfjs';
import type { NamedVariable } from '../tensors';

/**
 * How a forward pass treats BatchNorm:
 * - `eval`: running statistics;
 * - `train`: batch statistics, running statistics untouched (the θ+ε forward, the second pass);
 * - `train-record`: batch statistics, and the running statistics are updated
 *   (only the first forward pass of a step).
 */
export type ForwardMode = 'eval' | 'train' | 'train-record';

export interface Model {
  readonly name: string;
  /** Per-sample input shape: [features] for an MLP, [height, width, channels] otherwise. */
  readonly inputShape: number[];
  readonly numClasses: number;
  /** Trainable tensors, in a fixed order (the order SWP masks refer to). */
  readonly params: NamedVariable[];
  /** Non-trainable state (BatchNorm running statistics). */
  readonly state: NamedVariable[];
  /** Logits for a batch. Call inside a tidy or a gradient function. */
  apply(x: tf.Tensor, mode: ForwardMode): tf.Tensor2D;
  dispose(): void;
}
