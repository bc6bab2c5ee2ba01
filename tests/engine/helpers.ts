import * as tf from '@tensorflow/tfjs';
import { createModel, type Model, type ModelName } from '../../src/engine/models';
import { Rng } from '../../src/engine/random';

/** A random batch: standard-normal images of `shape` and uniform labels. */
export function randomBatch(rng: Rng, batchSize: number, shape: number[], classes: number): { x: tf.Tensor; y: tf.Tensor1D } {
  const size = batchSize * shape.reduce((a, b) => a * b, 1);
  const x = new Float32Array(size);
  for (let i = 0; i < size; i++) x[i] = rng.normal();
  const y = Int32Array.from({ length: batchSize }, () => rng.int(classes));
  return { x: tf.tensor(x, [batchSize, ...shape]), y: tf.tensor1d(y, 'int32') };
}

export function tinyModel(name: ModelName, seed: number): Model {
  const shape = name === 'mlp' ? [4, 4, 3] : [8, 8, 3];
  return createModel(name, shape, 5, new Rng(seed), { width: name.startsWith('resnet') ? 1 : 4, hidden: [8] });
}

export async function readParams(model: Model): Promise<Float32Array[]> {
  return Promise.all(model.params.map(async (p) => (await p.variable.data()) as Float32Array));
}

export async function readState(model: Model): Promise<Float32Array[]> {
  return Promise.all(model.state.map(async (p) => (await p.variable.data()) as Float32Array));
}

export function inputShapeOf(model: Model): number[] {
  return model.inputShape;
}
