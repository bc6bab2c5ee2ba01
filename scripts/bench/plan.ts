/**
 * What `npm run bench` measures: the quick or full profile, adjusted by flags. Pure, so that
 * the flags are tested without running anything.
 */
import { isModelName, type ModelName } from '../../src/engine/model-names';
import type { BenchBackend } from '../../src/bench/protocol';
import { BACKEND_NAMES } from '../../src/engine/backend-names';
import type { OverheadTask, ThroughputTask } from '../../src/bench/tasks';

export class BenchUsageError extends Error {}

export interface LongTaskRun {
  /** The app's URL query (see docs/url.md) of the run streamed into the charts. */
  query: string;
}

/** The models scripts/reference/torch_throughput.py builds. */
export const TORCH_MODELS = ['cnn', 'cnn-bn'] as const;

/** The same model, batch and timing as the Node cells, in PyTorch on the same CPU (SGD only). */
export interface TorchTask {
  model: (typeof TORCH_MODELS)[number];
  batchSize: number;
  warmupSteps: number;
  stepsPerSample: number;
  samples: number;
}

/**
 * --filter-gradient: the filter-gradient routes timed on every conv shape of the models
 * (src/bench/filter-gradient.ts): webgpu in Node through Dawn, webgl in Chromium's bench page;
 * nothing else runs.
 */
export interface FilterGradientPlan {
  backends: ('webgpu' | 'webgl')[];
  batchSize: number;
  reps: number;
}

export interface BenchPlan {
  profile: 'quick' | 'full';
  /** Backends wasm and cpu run in Node; webgpu and webgl in Chromium's bench page. */
  throughput: ThroughputTask[];
  /** Null without a Node cell on cnn, or with --no-torch. */
  torch: TorchTask | null;
  overhead: OverheadTask | null;
  longTasks: LongTaskRun | null;
  filterGradient: FilterGradientPlan | null;
  outDir: string;
  /** Build the app first (vite build); --no-build reuses dist/. */
  build: boolean;
}

export const BENCH_USAGE = `usage: npm run bench -- [--quick] [flags]

Measures SGD, SAM, ESAM-SWP (β=0.6), ESAM-SDS (γ=0.5) and ESAM (β=0.6, γ=0.5), interleaved and
repeated, on webgpu and webgl in Chromium and on the WASM and CPU backends in Node (the CLI's),
with PyTorch's SGD on the same CPU, model and batch beside them; then the playground's own cost
(worker loop against a bare loop, tensor count and GPU bytes over the epochs, main-thread long
tasks while a run streams into the charts). Writes bench-results/bench-<time>.json and .md.

  --quick                 about two minutes: the tiny conv model (default: the full profile)
  --node                  the CLI's backends only (wasm, cpu) and PyTorch: no Chromium
  --backends LIST         comma-separated from ${BACKEND_NAMES.join(', ')} (default all)
  --models LIST           models for webgpu and webgl (full: cnn; quick: conv)
  --batch N               batch size in the browser (full: 32; quick: 32)
  --node-model NAME       model on the Node backends (full: cnn; quick: conv)
  --node-batch N          batch size in Node (default 32)
  --no-torch              skip the PyTorch loop (it runs for cnn and cnn-bn, when python3 has torch)
  --warmup N, --steps N, --samples N
                          untimed steps per configuration, steps per timed sample, samples
  --no-overhead           skip the worker-overhead and memory measurement
  --no-long-tasks         skip the main-thread long-task measurement
  --long-tasks-only       only the long-task measurement (no throughput, PyTorch or overhead)
  --no-build              reuse dist/ instead of running vite build
  --filter-gradient       only time Conv2DBackpropFilter's routes (tfjs's kernel and the split
                          ones) on every conv shape of the models at --batch, median of
                          --samples calls: webgpu in Node (Dawn; SwiftShader without a GPU),
                          webgl in Chromium (of --backends; default both)
  --out DIR               where the JSON and markdown go (default bench-results)`;

const BACKENDS: readonly BenchBackend[] = BACKEND_NAMES;
/** The backends measured in Node rather than in the bench page. */
export const NODE_BENCH_BACKENDS: readonly BenchBackend[] = ['wasm', 'cpu'];

function positiveInt(flag: string, raw: string | undefined): number {
  const n = Number(raw);
  if (raw === undefined || !Number.isInteger(n) || n < 1)
    throw new BenchUsageError(`${flag} needs a whole number ≥ 1 (got ${raw ?? 'nothing'})`);
  return n;
}

function isTorchModel(name: ModelName): name is TorchTask['model'] {
  return (TORCH_MODELS as readonly string[]).includes(name);
}

function modelName(flag: string, raw: string): ModelName {
  if (!isModelName(raw)) throw new BenchUsageError(`${flag}: unknown model ${raw}`);
  return raw;
}

export function parseBenchArgs(argv: readonly string[]): BenchPlan | 'help' {
  const quick = argv.includes('--quick');
  const o = {
    backends: [...BACKENDS] as BenchBackend[],
    models: [quick ? 'conv' : 'cnn'] as ModelName[],
    batch: 32,
    nodeModel: (quick ? 'conv' : 'cnn') as ModelName,
    nodeBatch: 32,
    warmup: 1,
    steps: quick ? 1 : 2,
    samples: quick ? 2 : 3,
    overhead: true,
    longTasks: true,
    longTasksOnly: false,
    torch: true,
    build: true,
    outDir: 'bench-results',
    filterGradient: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = () => argv[++i];
    switch (flag) {
      case '--help':
      case '-h':
        return 'help';
      case '--quick':
        break;
      case '--node':
        o.backends = [...NODE_BENCH_BACKENDS];
        break;
      case '--no-torch':
        o.torch = false;
        break;
      case '--backends': {
        const list = (value() ?? '').split(',').filter(Boolean);
        const bad = list.find((b) => !BACKENDS.includes(b as BenchBackend));
        if (list.length === 0 || bad !== undefined)
          throw new BenchUsageError(`--backends: expected a list from ${BACKENDS.join(', ')}${bad ? ` (got ${bad})` : ''}`);
        o.backends = list as BenchBackend[];
        break;
      }
      case '--models': {
        const list = (value() ?? '').split(',').filter(Boolean);
        if (list.length === 0) throw new BenchUsageError('--models needs a comma-separated list of models');
        o.models = list.map((m) => modelName('--models', m));
        break;
      }
      case '--batch':
        o.batch = positiveInt(flag, value());
        break;
      case '--node-model':
        o.nodeModel = modelName(flag, value() ?? '');
        break;
      case '--node-batch':
        o.nodeBatch = positiveInt(flag, value());
        break;
      case '--warmup':
        o.warmup = positiveInt(flag, value());
        break;
      case '--steps':
        o.steps = positiveInt(flag, value());
        break;
      case '--samples':
        o.samples = positiveInt(flag, value());
        break;
      case '--no-overhead':
        o.overhead = false;
        break;
      case '--no-long-tasks':
        o.longTasks = false;
        break;
      case '--long-tasks-only':
        o.longTasksOnly = true;
        break;
      case '--no-build':
        o.build = false;
        break;
      case '--filter-gradient':
        o.filterGradient = true;
        break;
      case '--out': {
        const dir = value();
        if (!dir) throw new BenchUsageError('--out needs a directory');
        o.outDir = dir;
        break;
      }
      default:
        throw new BenchUsageError(`unknown flag ${flag} (npm run bench -- --help lists them)`);
    }
  }

  if (o.longTasksOnly && !o.longTasks) throw new BenchUsageError('--long-tasks-only and --no-long-tasks exclude each other');
  if (o.filterGradient) {
    const backends = o.backends.filter((b): b is 'webgpu' | 'webgl' => b === 'webgpu' || b === 'webgl');
    if (backends.length === 0) throw new BenchUsageError('--filter-gradient measures webgpu and webgl only');
    const filterGradient = { backends, batchSize: o.batch, reps: o.samples };
    const build = o.build && backends.includes('webgl');
    return {
      profile: quick ? 'quick' : 'full',
      throughput: [],
      torch: null,
      overhead: null,
      longTasks: null,
      filterGradient,
      outDir: o.outDir,
      build,
    };
  }
  const timing = { warmupSteps: o.warmup, stepsPerSample: o.steps, samples: o.samples, seed: 1 };
  const throughput: ThroughputTask[] = [];
  for (const backend of o.backends) {
    if (NODE_BENCH_BACKENDS.includes(backend))
      throughput.push({ task: 'throughput', backend, model: o.nodeModel, batchSize: o.nodeBatch, ...timing });
    else for (const model of o.models) throughput.push({ task: 'throughput', backend, model, batchSize: o.batch, ...timing });
  }
  const inNode = o.backends.some((b) => NODE_BENCH_BACKENDS.includes(b));
  const torch: TorchTask | null =
    o.torch && inNode && isTorchModel(o.nodeModel)
      ? { model: o.nodeModel, batchSize: o.nodeBatch, warmupSteps: o.warmup, stepsPerSample: o.steps, samples: o.samples }
      : null;
  const gpu = o.backends.find((b) => !NODE_BENCH_BACKENDS.includes(b)) ?? null;
  // The playground's own cost, on the first browser backend: the tiny conv model keeps ten
  // epochs (the memory check) affordable on a software adapter.
  const overhead: OverheadTask | null =
    o.overhead && gpu
      ? { task: 'overhead', backend: gpu, model: 'conv', batchSize: 32, trainSize: quick ? 64 : 128, epochs: quick ? 3 : 10, seed: 1 }
      : null;
  const longTasks: LongTaskRun | null =
    o.longTasks && gpu
      ? {
          query: `dataset=synthetic&model=conv&optimizer=esam&epochs=${quick ? 2 : 3}&batch-size=32&train-size=${quick ? 64 : 128}&test-size=32&seed=1&backend=${gpu}`,
        }
      : null;
  if (o.longTasksOnly)
    return {
      profile: quick ? 'quick' : 'full',
      throughput: [],
      torch: null,
      overhead: null,
      longTasks,
      filterGradient: null,
      outDir: o.outDir,
      build: o.build,
    };
  return {
    profile: quick ? 'quick' : 'full',
    throughput,
    torch,
    overhead,
    longTasks,
    filterGradient: null,
    outDir: o.outDir,
    build: o.build,
  };
}
