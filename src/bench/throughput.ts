/**
 * Training throughput of the five benchmark configurations on one backend: the same model,
 * batch size and data for each, warm-up excluded, configurations interleaved and repeated.
 * Engine-only (no worker or DOM API): the Node script and the bench page's worker both call it.
 */
import * as tf from '@tensorflow/tfjs';
import { createModel, type ModelName } from '../engine/models';
import { stepRuleFor } from '../engine/optimizer/config';
import { disposeStepOutput, SharpnessAwareOptimizer } from '../engine/optimizer/step';
import { drawSwpMask } from '../engine/optimizer/swp';
import { Rng } from '../engine/random';
import { benchOptimizer, type BenchConfigName } from './configs';
import { rotation, summarizeSamples, type SampleSummary } from './stats';

export interface ThroughputOptions {
  model: ModelName;
  batchSize: number;
  configs: readonly BenchConfigName[];
  /** Untimed steps per configuration before the first sample (shader compiles, buffer pool). */
  warmupSteps: number;
  /** Steps per timed sample. */
  stepsPerSample: number;
  /** Timed samples per configuration. */
  samples: number;
  seed: number;
  /** CIFAR-shaped input by default. */
  inputShape?: [number, number, number];
  classes?: number;
  now?: () => number;
  onProgress?: (done: number, total: number) => void;
}

export interface ConfigThroughput extends SampleSummary {
  config: BenchConfigName;
  /** Images per second of each timed sample, in the order they ran. */
  samples: number[];
  /** Median images/s relative to SAM's median (null when SAM was not measured). */
  ratioToSam: number | null;
}

/** Distinct batches the steps cycle through (uploaded once, so every configuration sees the same data). */
const BATCHES = 4;

export async function measureThroughput(options: ThroughputOptions): Promise<ConfigThroughput[]> {
  const { batchSize, configs, stepsPerSample, samples } = options;
  const now = options.now ?? (() => performance.now());
  const inputShape = options.inputShape ?? [32, 32, 3];
  const classes = options.classes ?? 10;
  const dataRng = new Rng(options.seed).fork('bench-data');
  const batches = Array.from({ length: BATCHES }, () => ({
    x: tf.tensor4d(
      Float32Array.from({ length: batchSize * inputShape[0] * inputShape[1] * inputShape[2] }, () => dataRng.normal()),
      [batchSize, ...inputShape],
    ),
    y: tf.tensor1d(
      Int32Array.from({ length: batchSize }, () => dataRng.int(classes)),
      'int32',
    ),
  }));

  const runners = configs.map((name) => {
    const rng = new Rng(options.seed);
    const model = createModel(options.model, inputShape, classes, rng.fork('init'));
    const rule = stepRuleFor(benchOptimizer(name));
    const optimizer = new SharpnessAwareOptimizer(model, rule, { momentum: 0.9, weightDecay: 5e-4 });
    const swp = rng.fork('swp');
    let cursor = 0;
    /** Runs `steps` steps and waits until the device has finished them. */
    const run = async (steps: number): Promise<void> => {
      let last: tf.Scalar | null = null;
      for (let s = 0; s < steps; s++) {
        const { x, y } = batches[cursor++ % BATCHES];
        const mask = drawSwpMask(model.params.length, rule.kind === 'sharpness' ? rule.beta : 1, swp);
        const out = optimizer.step(x, y, { lr: 0.01, swpMask: mask });
        last?.dispose();
        last = tf.tidy(() => tf.sum(out.lossBefore)) as tf.Scalar;
        disposeStepOutput(out);
      }
      if (last) {
        const value = (await last.data())[0];
        last.dispose();
        if (!Number.isFinite(value)) throw new Error(`${name}: the loss became ${value} during the benchmark`);
      }
    };
    return { name, run, dispose: () => (optimizer.dispose(), model.dispose()) };
  });

  const total = configs.length * (samples + 1);
  let done = 0;
  const timings = new Map<BenchConfigName, number[]>(configs.map((c) => [c, []]));
  try {
    for (const runner of runners) {
      await runner.run(options.warmupSteps);
      options.onProgress?.(++done, total);
    }
    for (let rep = 0; rep < samples; rep++) {
      for (const runner of rotation(runners, rep)) {
        const start = now();
        await runner.run(stepsPerSample);
        const seconds = (now() - start) / 1000;
        timings.get(runner.name)!.push((stepsPerSample * batchSize) / seconds);
        options.onProgress?.(++done, total);
      }
    }
  } finally {
    runners.forEach((r) => r.dispose());
    batches.forEach((b) => tf.dispose([b.x, b.y]));
  }

  const samMedian = timings.has('sam') ? summarizeSamples(timings.get('sam')!).median : null;
  return configs.map((config) => {
    const list = timings.get(config)!;
    const summary = summarizeSamples(list);
    return { config, samples: list, ...summary, ratioToSam: samMedian ? summary.median / samMedian : null };
  });
}
