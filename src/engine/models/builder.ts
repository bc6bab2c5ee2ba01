import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../random';
import type { NamedVariable } from '../tensors';
import type { ForwardMode } from './model';

const BN_MOMENTUM = 0.1;
const BN_EPSILON = 1e-5;

export interface Dense {
  kernel: tf.Variable;
  bias: tf.Variable;
}

export interface Conv {
  kernel: tf.Variable;
  bias: tf.Variable | null;
  stride: number;
}

export interface BatchNorm {
  gamma: tf.Variable;
  beta: tf.Variable;
  runningMean: tf.Variable;
  runningVar: tf.Variable;
}

/** Creates named, seeded variables for one model (He-normal kernels, zero biases). */
export class ModelBuilder {
  readonly params: NamedVariable[] = [];
  readonly state: NamedVariable[] = [];

  constructor(private readonly rng: Rng) {}

  dense(name: string, inputs: number, outputs: number): Dense {
    return {
      kernel: this.param(`${name}/kernel`, this.heNormal([inputs, outputs], inputs)),
      bias: this.param(`${name}/bias`, tf.zeros([outputs])),
    };
  }

  conv(name: string, size: number, inputs: number, outputs: number, opts: { stride?: number; bias?: boolean } = {}): Conv {
    const fanIn = size * size * inputs;
    return {
      kernel: this.param(`${name}/kernel`, this.heNormal([size, size, inputs, outputs], fanIn)),
      bias: opts.bias === false ? null : this.param(`${name}/bias`, tf.zeros([outputs])),
      stride: opts.stride ?? 1,
    };
  }

  batchNorm(name: string, channels: number): BatchNorm {
    return {
      gamma: this.param(`${name}/gamma`, tf.ones([channels])),
      beta: this.param(`${name}/beta`, tf.zeros([channels])),
      runningMean: this.stateVar(`${name}/runningMean`, tf.zeros([channels])),
      runningVar: this.stateVar(`${name}/runningVar`, tf.ones([channels])),
    };
  }

  private heNormal(shape: number[], fanIn: number): tf.Tensor {
    const std = Math.sqrt(2 / fanIn);
    const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
    for (let i = 0; i < values.length; i++) values[i] = this.rng.normal() * std;
    return tf.tensor(values, shape);
  }

  private param(name: string, init: tf.Tensor): tf.Variable {
    const variable = tf.variable(init, true);
    init.dispose();
    this.params.push({ name, variable });
    return variable;
  }

  private stateVar(name: string, init: tf.Tensor): tf.Variable {
    const variable = tf.variable(init, false);
    init.dispose();
    this.state.push({ name, variable });
    return variable;
  }
}

export function applyDense(x: tf.Tensor2D, layer: Dense): tf.Tensor2D {
  return tf.add(tf.matMul(x, layer.kernel as tf.Tensor2D), layer.bias);
}

export function applyConv(x: tf.Tensor4D, layer: Conv): tf.Tensor4D {
  const y = tf.conv2d(x, layer.kernel as tf.Tensor4D, layer.stride, 'same');
  return layer.bias ? tf.add(y, layer.bias) : y;
}

/**
 * BatchNorm from raw ops, so that gradients flow through the batch statistics exactly.
 * Running statistics follow PyTorch: momentum 0.1, unbiased variance.
 */
export function applyBatchNorm(x: tf.Tensor4D, layer: BatchNorm, mode: ForwardMode): tf.Tensor4D {
  if (mode === 'eval') {
    return normalize(x, layer.runningMean, layer.runningVar, layer);
  }
  const { mean, variance } = tf.moments(x, [0, 1, 2]);
  if (mode === 'train-record') {
    const n = x.size / x.shape[3];
    tf.tidy(() => {
      const unbiased = tf.mul(variance, n / Math.max(n - 1, 1));
      layer.runningMean.assign(tf.add(tf.mul(layer.runningMean, 1 - BN_MOMENTUM), tf.mul(mean, BN_MOMENTUM)));
      layer.runningVar.assign(tf.add(tf.mul(layer.runningVar, 1 - BN_MOMENTUM), tf.mul(unbiased, BN_MOMENTUM)));
    });
  }
  return normalize(x, mean, variance, layer);
}

function normalize(x: tf.Tensor4D, mean: tf.Tensor, variance: tf.Tensor, layer: BatchNorm): tf.Tensor4D {
  const scale = tf.mul(tf.rsqrt(tf.add(variance, BN_EPSILON)), layer.gamma);
  return tf.add(tf.mul(tf.sub(x, mean), scale), layer.beta);
}

export function globalAveragePool(x: tf.Tensor4D): tf.Tensor2D {
  return tf.mean(x, [1, 2]);
}

export function disposeAll(vars: { variable: tf.Variable }[]): void {
  for (const v of vars) v.variable.dispose();
}
