import * as tf from '@tensorflow/tfjs';
import type { Model } from './models';
import type { NamedVariable } from './tensors';

/** One named tensor's values, row-major, as stored outside tfjs (IndexedDB, worker messages). */
export interface TensorData {
  name: string;
  shape: number[];
  data: Float32Array;
}

/** A model's weights: its trainable params and its state (BatchNorm running statistics). */
export interface ModelWeights {
  model: string;
  params: TensorData[];
  state: TensorData[];
}

async function readAll(vars: NamedVariable[]): Promise<TensorData[]> {
  const out: TensorData[] = [];
  for (const { name, variable } of vars) {
    const values = await variable.data();
    // A copy: the backend may hand back its own buffer.
    out.push({ name, shape: [...variable.shape], data: Float32Array.from(values) });
  }
  return out;
}

/** Reads the model's current params and state. */
export async function readWeights(model: Model): Promise<ModelWeights> {
  return { model: model.name, params: await readAll(model.params), state: await readAll(model.state) };
}

const shapeText = (shape: readonly number[]) => `[${shape.join(',')}]`;

/** The stored tensor for each variable, or the first reason why they do not fit. */
function match(vars: NamedVariable[], stored: TensorData[], what: string): TensorData[] {
  const byName = new Map(stored.map((t) => [t.name, t]));
  return vars.map(({ name, variable }) => {
    const t = byName.get(name);
    if (!t) throw new Error(`stored weights do not fit the model: ${what} ${name} is missing`);
    const same = t.shape.length === variable.shape.length && t.shape.every((n, i) => n === variable.shape[i]);
    if (!same) {
      throw new Error(
        `stored weights do not fit the model: ${name} has shape ${shapeText(t.shape)}, the model expects ${shapeText(variable.shape)}`,
      );
    }
    if (t.data.length !== variable.size) {
      throw new Error(
        `stored weights do not fit the model: ${name} has ${t.data.length} values, its shape ${shapeText(t.shape)} needs ${variable.size}`,
      );
    }
    return t;
  });
}

/**
 * Assigns stored weights to the model's params and state, matched by name. Every tensor is
 * checked before any is assigned, so a refused load leaves the model as it was.
 */
export function loadWeights(model: Model, weights: ModelWeights): void {
  const params = match(model.params, weights.params, 'parameter');
  const state = match(model.state, weights.state, 'state tensor');
  const assign = (vars: NamedVariable[], stored: TensorData[]) =>
    vars.forEach(({ variable }, i) => tf.tidy(() => variable.assign(tf.tensor(stored[i].data, variable.shape, 'float32'))));
  assign(model.params, params);
  assign(model.state, state);
}
