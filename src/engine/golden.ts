import * as tf from '@tensorflow/tfjs';
import { createMlp } from './models/mlp';
import { createTinyConv } from './models/conv';
import { applyBatchNorm, applyConv, applyDense, disposeAll, globalAveragePool, ModelBuilder } from './models/builder';
import type { Model } from './models';
import { SDS_FULL_BATCH_THRESHOLD, type StepRule } from './optimizer/config';
import { SharpnessAwareOptimizer, disposeStepOutput } from './optimizer/step';
import { Rng } from './random';

/** A golden-vector fixture (`"format": "esam-golden@1"`, see docs/golden-format.md). */
export interface GoldenFixture {
  format: 'esam-golden@1';
  name?: string;
  model: { kind: 'mlp' | 'conv' | 'conv-bn'; dims: number[] };
  params: Record<string, { shape: number[]; data: number[] }>;
  hyper: { rho: number; beta: number; gamma: number; adaptive: boolean; lr: number; momentum: number; weightDecay: number };
  /** Absent: SAM/ESAM from `hyper` (docs/golden-format.md, "The sharpness-aware family"). */
  optimizer?: OptimizerBlock;
  steps: {
    batch: { x: { shape: number[]; data: number[] }; y: number[] };
    swpMask: Record<string, boolean>;
    /** This step's learning rate instead of `hyper.lr`. */
    lr?: number;
    /** RST's draw: whether this step is a SAM step. */
    samStep?: boolean;
  }[];
}

/** A fixture's `optimizer` block: the rule's name and its own hyperparameters. */
export type OptimizerBlock =
  | { name: 'sam' | 'esam'; m?: number }
  | { name: 'looksam'; k: number; alpha: number }
  | { name: 'rst'; p: number; pEnd?: number; totalSteps?: number }
  | { name: 'aesam'; delta: number; cStart: number; cEnd: number; totalSteps: number; warmup?: number }
  | { name: 'gsam'; alpha: number; rhoMin: number; lrMax: number; lrMin: number }
  | { name: 'samon' }
  | { name: 'ksam'; k: number };

/** Each rule's required and optional number keys. */
const OPTIMIZER_KEYS: Record<OptimizerBlock['name'], { required: string[]; optional: string[] }> = {
  sam: { required: [], optional: ['m'] },
  esam: { required: [], optional: ['m'] },
  looksam: { required: ['k', 'alpha'], optional: [] },
  rst: { required: ['p'], optional: ['pEnd', 'totalSteps'] },
  aesam: { required: ['delta', 'cStart', 'cEnd', 'totalSteps'], optional: ['warmup'] },
  gsam: { required: ['alpha', 'rhoMin', 'lrMax', 'lrMin'], optional: [] },
  samon: { required: [], optional: [] },
  ksam: { required: ['k'], optional: [] },
};

export interface GoldenStep {
  lossBefore: number[];
  /** Null for an SGD step of a switching rule. */
  lossAfter: number[] | null;
  selected: number[];
  /** Absent with m-sharpness, which has microPerturbation instead. */
  perturbation?: Record<string, number[]>;
  microPerturbation?: Record<string, number[]>[];
  /** Whether the step took the sharpness-aware path. */
  samStep: boolean;
  params: Record<string, number[]>;
}

export function parseGoldenFixture(text: string, file: string): GoldenFixture {
  let fixture: GoldenFixture;
  try {
    fixture = JSON.parse(text) as GoldenFixture;
  } catch (e) {
    throw new Error(`${file}: not JSON (${(e as Error).message})`);
  }
  if (fixture?.format !== 'esam-golden@1') throw new Error(`${file}: "format" must be "esam-golden@1"`);
  for (const key of ['model', 'params', 'hyper', 'steps'] as const) {
    if (fixture[key] == null) throw new Error(`${file}: missing "${key}"`);
  }
  if (!['mlp', 'conv', 'conv-bn'].includes(fixture.model.kind)) throw new Error(`${file}: unknown model kind "${fixture.model.kind}"`);
  checkFamilyKeys(fixture, file);
  return fixture;
}

/** The `optimizer` block and the per-step `lr` and `samStep`, where present. */
function checkFamilyKeys(fixture: GoldenFixture, file: string): void {
  const block = fixture.optimizer as (Record<string, unknown> & { name?: unknown }) | undefined;
  if (block !== undefined) {
    const keys = typeof block === 'object' && block !== null ? OPTIMIZER_KEYS[block.name as OptimizerBlock['name']] : undefined;
    if (!keys) throw new Error(`${file}: unknown optimizer "${String(block?.name)}"`);
    for (const key of Object.keys(block)) {
      if (key === 'name') continue;
      if (!keys.required.includes(key) && !keys.optional.includes(key))
        throw new Error(`${file}: optimizer ${block.name} has no key "${key}"`);
      if (typeof block[key] !== 'number' || !Number.isFinite(block[key])) throw new Error(`${file}: optimizer.${key} must be a number`);
    }
    const missing = keys.required.find((key) => !(key in block));
    if (missing) throw new Error(`${file}: optimizer ${block.name} needs "${missing}"`);
  }
  fixture.steps.forEach((step, i) => {
    if (step.lr !== undefined && !(typeof step.lr === 'number' && step.lr > 0))
      throw new Error(`${file}: steps[${i}].lr must be a number > 0`);
    if (step.samStep !== undefined && typeof step.samStep !== 'boolean')
      throw new Error(`${file}: steps[${i}].samStep must be true or false`);
    if (block?.name === 'rst' && typeof step.samStep !== 'boolean') throw new Error(`${file}: rst needs steps[${i}].samStep`);
  });
}

/**
 * Why the engine cannot run this fixture (null when it can): only SAM/ESAM take SWP and SDS, so
 * another rule's fixture with a partial mask, β < 1 or γ < 0.99 has no engine equivalent.
 */
export function unsupportedByEngine(fixture: GoldenFixture): string | null {
  const name = fixture.optimizer?.name;
  if (name === undefined || name === 'sam' || name === 'esam') return null;
  const h = fixture.hyper;
  if (h.beta !== 1 || h.gamma < SDS_FULL_BATCH_THRESHOLD || fixture.steps.some((s) => Object.values(s.swpMask).includes(false))) {
    return `the engine's ${name} takes no SWP or SDS (hyper.beta and hyper.gamma must be 1, every swpMask entry true)`;
  }
  return null;
}

/** The engine's step rule for a fixture: its optimizer block, or SAM/ESAM from `hyper` without one. */
export function stepRuleForFixture(fixture: GoldenFixture): StepRule {
  const { rho, adaptive, beta, gamma } = fixture.hyper;
  const block = fixture.optimizer ?? { name: 'esam' };
  switch (block.name) {
    case 'sam':
    case 'esam':
      return { kind: 'sharpness', rho, adaptive, beta, gamma, ...(block.m !== undefined ? { m: block.m } : {}) };
    case 'looksam':
      return { kind: 'looksam', rho, adaptive, k: block.k, alpha: block.alpha };
    case 'rst':
      return { kind: 'rst', rho, adaptive, p: block.p, pEnd: block.pEnd, totalSteps: block.totalSteps };
    case 'aesam':
      return {
        kind: 'aesam',
        rho,
        adaptive,
        delta: block.delta,
        cStart: block.cStart,
        cEnd: block.cEnd,
        totalSteps: block.totalSteps,
        warmup: block.warmup ?? 0,
      };
    case 'gsam':
      return { kind: 'gsam', rho, adaptive, alpha: block.alpha, rhoMin: block.rhoMin, lrMax: block.lrMax, lrMin: block.lrMin };
    case 'samon':
      return { kind: 'samon', rho, adaptive };
    case 'ksam':
      return { kind: 'ksam', rho, adaptive, k: block.k };
  }
}

/**
 * Runs a fixture's steps through the app's own model and optimizer code.
 * It never looks at the fixture's expected results.
 */
export async function runGoldenFixture(fixture: GoldenFixture): Promise<GoldenStep[]> {
  const unsupported = unsupportedByEngine(fixture);
  if (unsupported) throw new Error(unsupported);
  const model = buildFixtureModel(fixture);
  const names = fixtureNamesFor(model, fixture);
  const h = fixture.hyper;
  const optimizer = new SharpnessAwareOptimizer(model, stepRuleForFixture(fixture), { momentum: h.momentum, weightDecay: h.weightDecay });
  const results: GoldenStep[] = [];
  try {
    for (const [s, step] of fixture.steps.entries()) {
      const swpMask = names.map((name) => {
        const kept = step.swpMask[name];
        if (typeof kept !== 'boolean') throw new Error(`step ${s}: swpMask has no boolean for "${name}"`);
        return kept;
      });
      const x = tf.tensor(step.batch.x.data, step.batch.x.shape, 'float32');
      const y = tf.tensor1d(step.batch.y, 'int32');
      const out = await optimizer.stepAsync(x, y, { lr: step.lr ?? h.lr, swpMask, keepPerturbation: true, samStep: step.samStep });
      const batchSize = step.batch.y.length;
      const selected = out.selected ? Array.from(await out.selected.data()).sort((a, b) => a - b) : [...Array(batchSize).keys()];
      const byFixtureName = async (eps: Map<string, tf.Tensor>) => {
        const record: Record<string, number[]> = {};
        for (const [i, p] of model.params.entries()) record[names[i]] = Array.from(await eps.get(p.name)!.data());
        return record;
      };
      const params: Record<string, number[]> = {};
      for (const [i, p] of model.params.entries()) params[names[i]] = Array.from(await p.variable.data());
      results.push({
        lossBefore: Array.from(await out.lossBefore.data()),
        lossAfter: out.lossAfter ? Array.from(await out.lossAfter.data()) : null,
        selected,
        ...(out.perturbation ? { perturbation: await byFixtureName(out.perturbation) } : {}),
        ...(out.microPerturbation ? { microPerturbation: await Promise.all(out.microPerturbation.map(byFixtureName)) } : {}),
        samStep: out.sharpnessAware,
        params,
      });
      disposeStepOutput(out);
      x.dispose();
      y.dispose();
    }
  } finally {
    optimizer.dispose();
    model.dispose();
  }
  return results;
}

function buildFixtureModel(fixture: GoldenFixture): Model {
  const { kind, dims } = fixture.model;
  const rng = new Rng(0); // initial values are overwritten by the fixture's
  let model: Model;
  if (kind === 'mlp') {
    model = createMlp(dims, rng);
  } else {
    const [, height, width] = fixture.steps[0].batch.x.shape;
    model = (kind === 'conv-bn' ? createTinyConvBn : createTinyConv)([height, width, dims[0]], dims[1], dims[2], rng);
  }
  const names = fixtureNamesFor(model, fixture);
  model.params.forEach((p, i) => {
    const init = fixture.params[names[i]];
    p.variable.assign(tf.tensor(init.data, init.shape, 'float32'));
  });
  return model;
}

/**
 * The `conv-bn` fixture model (scripts/reference/family_models.py): conv 3×3 `same` without bias →
 * BatchNorm with the batch's statistics → ReLU → spatial mean → dense; the cnn-bn block with one
 * conv layer, for SAM-ON's fixtures.
 */
function createTinyConvBn(inputShape: number[], filters: number, classes: number, rng: Rng): Model {
  const b = new ModelBuilder(rng);
  const conv0 = b.conv('conv0', 3, inputShape[2], filters, { bias: false });
  const bn0 = b.batchNorm('bn0', filters);
  const dense0 = b.dense('dense0', filters, classes);
  return {
    name: 'conv-bn',
    inputShape,
    numClasses: classes,
    params: b.params,
    state: b.state,
    apply(x, mode) {
      const h = tf.relu(applyBatchNorm(applyConv(x as tf.Tensor4D, conv0), bn0, mode));
      return applyDense(globalAveragePool(h), dense0);
    },
    dispose: () => disposeAll([...b.params, ...b.state]),
  };
}

/**
 * The fixture's name for each model parameter: the same name when the fixture uses the
 * model's names, otherwise the fixture's parameters in their listed order, if every shape fits.
 */
function fixtureNamesFor(model: Model, fixture: GoldenFixture): string[] {
  const ours = model.params.map((p) => p.name);
  const theirs = Object.keys(fixture.params);
  const byName = ours.every((n) => theirs.includes(n)) && theirs.length === ours.length;
  const names = byName ? ours : theirs;
  if (names.length !== ours.length) {
    throw new Error(`fixture has ${theirs.length} parameters (${theirs.join(', ')}), the model has ${ours.length} (${ours.join(', ')})`);
  }
  model.params.forEach((p, i) => {
    const shape = fixture.params[names[i]].shape;
    if (!tf.util.arraysEqual(shape, p.variable.shape)) {
      throw new Error(`fixture parameter "${names[i]}" has shape [${shape}], the model's "${p.name}" has [${p.variable.shape}]`);
    }
  });
  return names;
}

/** ‖ours − ref‖ / ‖ref‖ (‖ours‖ when the reference is all zeros). */
export function relativeError(ours: number[], ref: number[]): number {
  if (ours.length !== ref.length) return Infinity;
  let diff = 0;
  let norm = 0;
  for (let i = 0; i < ref.length; i++) {
    diff += (ours[i] - ref[i]) ** 2;
    norm += ref[i] ** 2;
  }
  return norm === 0 ? Math.sqrt(diff) : Math.sqrt(diff / norm);
}
