import * as tf from '@tensorflow/tfjs';
import { createMlp } from './models/mlp';
import { createTinyConv } from './models/conv';
import type { Model } from './models';
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
  lossAfter: number[];
  selected: number[];
  perturbation: Record<string, number[]>;
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
      if (!keys.required.includes(key) && !keys.optional.includes(key)) throw new Error(`${file}: optimizer ${block.name} has no key "${key}"`);
      if (typeof block[key] !== 'number' || !Number.isFinite(block[key])) throw new Error(`${file}: optimizer.${key} must be a number`);
    }
    const missing = keys.required.find((key) => !(key in block));
    if (missing) throw new Error(`${file}: optimizer ${block.name} needs "${missing}"`);
  }
  fixture.steps.forEach((step, i) => {
    if (step.lr !== undefined && !(typeof step.lr === 'number' && step.lr > 0)) throw new Error(`${file}: steps[${i}].lr must be a number > 0`);
    if (step.samStep !== undefined && typeof step.samStep !== 'boolean') throw new Error(`${file}: steps[${i}].samStep must be true or false`);
    if (block?.name === 'rst' && typeof step.samStep !== 'boolean') throw new Error(`${file}: rst needs steps[${i}].samStep`);
  });
}

/** Why the engine cannot run this fixture yet (null when it can): the family's rules are still to come. */
export function unsupportedByEngine(fixture: GoldenFixture): string | null {
  const block = fixture.optimizer;
  if (block && !((block.name === 'sam' || block.name === 'esam') && block.m === undefined)) {
    return `the engine has no step rule for optimizer ${block.name}${'m' in block && block.m !== undefined ? ` with m = ${block.m}` : ''}`;
  }
  if (fixture.model.kind === 'conv-bn') return 'the engine has no conv-bn fixture model';
  if (fixture.steps.some((s) => s.lr !== undefined)) return 'the engine runs fixtures at hyper.lr only';
  return null;
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
  const optimizer = new SharpnessAwareOptimizer(
    model,
    { kind: 'sharpness', rho: h.rho, beta: h.beta, gamma: h.gamma, adaptive: h.adaptive },
    { momentum: h.momentum, weightDecay: h.weightDecay },
  );
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
      const out = optimizer.step(x, y, { lr: h.lr, swpMask, keepPerturbation: true });
      const batchSize = step.batch.y.length;
      const selected = out.selected ? Array.from(await out.selected.data()).sort((a, b) => a - b) : [...Array(batchSize).keys()];
      const perturbation: Record<string, number[]> = {};
      const params: Record<string, number[]> = {};
      for (const [i, p] of model.params.entries()) {
        perturbation[names[i]] = Array.from(await out.perturbation!.get(p.name)!.data());
        params[names[i]] = Array.from(await p.variable.data());
      }
      results.push({
        lossBefore: Array.from(await out.lossBefore.data()),
        lossAfter: Array.from(await out.lossAfter!.data()),
        selected,
        perturbation,
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
    model = createTinyConv([height, width, dims[0]], dims[1], dims[2], rng);
  }
  const names = fixtureNamesFor(model, fixture);
  model.params.forEach((p, i) => {
    const init = fixture.params[names[i]];
    p.variable.assign(tf.tensor(init.data, init.shape, 'float32'));
  });
  return model;
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
