/**
 * The engine's own first steps, for the twin to repeat (npm run test:twin): initial weights,
 * K batches, the SWP masks, and after every step the per-sample losses, B+, ε and the params
 * and BatchNorm state. Uses createModel and SharpnessAwareOptimizer unchanged, on tfjs CPU.
 *
 *   tsx scripts/reference/twin/engine-dump.ts --model cnn --optimizer esam --out dump.json
 */
import { writeFile } from 'node:fs/promises';
import * as tf from '@tensorflow/tfjs';
import { measureDiagnostics, probeSelectedCount } from '../../../src/engine/diagnostics';
import { createModel, isModelName, type ModelName } from '../../../src/engine/models';
import { stepRuleFor, type OptimizerConfig } from '../../../src/engine/optimizer/config';
import { disposeStepOutput, SharpnessAwareOptimizer } from '../../../src/engine/optimizer/step';
import { drawSwpMask } from '../../../src/engine/optimizer/swp';
import { Rng } from '../../../src/engine/random';
import { readWeights, type TensorData } from '../../../src/engine/weights';
import { useCpuBackend } from '../../tfjs-node';

export interface DumpOptions {
  model: ModelName;
  optimizer: OptimizerConfig;
  /** [height, width, channels] */
  shape: number[];
  classes: number;
  batchSize: number;
  steps: number;
  lr: number;
  momentum: number;
  weightDecay: number;
  seed: number;
}

/** A tensor as JSON: row-major values in the engine's layout. */
export interface PlainTensor {
  name: string;
  shape: number[];
  data: number[];
}

export interface StepDump {
  lr: number;
  mask: boolean[];
  x: number[];
  y: number[];
  lossBefore: number[];
  lossAfter: number[] | null;
  selected: number[] | null;
  perturbation: PlainTensor[] | null;
  params: PlainTensor[];
  state: PlainTensor[];
}

/** measureDiagnostics after the last step, on the last batch, with ζ along a fresh SWP mask. */
export interface DiagnosticsDump {
  gamma: number;
  randomSubset: number[];
  linearity: { beta: number; adaptive: boolean; swpMask: boolean[] };
  values: Record<string, number>;
}

export interface EngineDump {
  format: 'esam-playground/engine-dump@1';
  options: DumpOptions;
  initial: { params: PlainTensor[]; state: PlainTensor[] };
  steps: StepDump[];
  diagnostics: DiagnosticsDump;
}

const plain = (t: TensorData[]): PlainTensor[] => t.map((d) => ({ name: d.name, shape: d.shape, data: Array.from(d.data) }));

export async function engineDump(o: DumpOptions): Promise<EngineDump> {
  const rng = new Rng(o.seed);
  const model = createModel(o.model, o.shape, o.classes, rng.fork('init'));
  const rule = stepRuleFor(o.optimizer);
  const opt = new SharpnessAwareOptimizer(model, rule, { momentum: o.momentum, weightDecay: o.weightDecay });
  const data = rng.fork('batches');
  const swp = rng.fork('swp');
  const initial = await readWeights(model);
  const steps: StepDump[] = [];
  const size = o.batchSize * o.shape.reduce((a, b) => a * b, 1);
  let diagnostics: DiagnosticsDump | null = null;
  try {
    for (let s = 0; s < o.steps; s++) {
      const xv = Float32Array.from({ length: size }, () => data.normal());
      const yv = Int32Array.from({ length: o.batchSize }, () => data.int(o.classes));
      const x = tf.tensor4d(xv, [o.batchSize, ...o.shape] as [number, number, number, number]);
      const y = tf.tensor1d(yv, 'int32');
      const mask = drawSwpMask(model.params.length, rule.kind === 'sharpness' ? rule.beta : 1, swp);
      const lr = o.lr * (1 - s / (2 * o.steps));
      const out = opt.step(x, y, { lr, swpMask: mask, keepPerturbation: true });
      const perturbation: TensorData[] | null = out.perturbation
        ? await Promise.all(
            [...out.perturbation].map(async ([name, t]) => ({ name, shape: [...t.shape], data: Float32Array.from(await t.data()) })),
          )
        : null;
      const weights = await readWeights(model);
      steps.push({
        lr,
        mask,
        x: Array.from(xv),
        y: Array.from(yv),
        lossBefore: Array.from(await out.lossBefore.data()),
        lossAfter: out.lossAfter ? Array.from(await out.lossAfter.data()) : null,
        selected: out.selected ? Array.from(await out.selected.data()) : null,
        perturbation: perturbation ? plain(perturbation) : null,
        params: plain(weights.params),
        state: plain(weights.state),
      });
      disposeStepOutput(out);
      if (s === o.steps - 1) {
        const gamma = rule.kind === 'sharpness' && rule.gamma < 0.99 ? rule.gamma : 0.5;
        const randomSubset = rng.fork('diagnostics').permutation(o.batchSize).slice(0, probeSelectedCount(gamma, o.batchSize));
        const beta = rule.kind === 'sharpness' ? rule.beta : 1;
        const linearity = {
          beta,
          adaptive: rule.kind === 'sharpness' && rule.adaptive,
          swpMask: drawSwpMask(model.params.length, beta, rng.fork('linearity')),
        };
        const { bPlus: _bPlus, ...values } = await measureDiagnostics(model, x, y, {
          rho: o.optimizer.rho,
          gamma,
          randomSubset,
          linearity,
        });
        diagnostics = { gamma, randomSubset: Array.from(randomSubset), linearity, values };
      }
      tf.dispose([x, y]);
    }
  } finally {
    opt.dispose();
    model.dispose();
  }
  return {
    format: 'esam-playground/engine-dump@1',
    options: o,
    initial: { params: plain(initial.params), state: plain(initial.state) },
    steps,
    diagnostics: diagnostics!,
  };
}

function optimizerOf(name: string, beta: number, gamma: number, rho: number, adaptive: boolean): OptimizerConfig {
  if (name !== 'sgd' && name !== 'sam' && name !== 'esam') throw new Error(`unknown optimizer ${name}`);
  return { name, rho, adaptive, swp: name === 'esam' && beta < 1, beta, sds: name === 'esam' && gamma < 1, gamma };
}

async function main(argv: string[]): Promise<void> {
  const flag = (name: string, fallback: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : fallback;
  };
  const model = flag('model', 'mlp');
  if (!isModelName(model)) throw new Error(`unknown model ${model}`);
  const side = Number(flag('side', model.startsWith('cnn') ? '16' : '8'));
  const dump = await engineDump({
    model,
    optimizer: optimizerOf(
      flag('optimizer', 'esam'),
      Number(flag('beta', '0.6')),
      Number(flag('gamma', '0.5')),
      Number(flag('rho', '0.05')),
      argv.includes('--adaptive'),
    ),
    shape: [side, side, 3],
    classes: 10,
    batchSize: Number(flag('batch-size', '16')),
    steps: Number(flag('steps', '3')),
    lr: Number(flag('lr', '0.05')),
    momentum: 0.9,
    weightDecay: 5e-4,
    seed: Number(flag('seed', '1')),
  });
  await writeFile(flag('out', 'engine-dump.json'), JSON.stringify(dump));
}

if (process.argv[1]?.endsWith('engine-dump.ts')) {
  useCpuBackend()
    .then(() => main(process.argv.slice(2)))
    .catch((e: unknown) => {
      process.stderr.write(`engine-dump: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 1;
    });
}
