/**
 * Command-line flags of `npm run train` (see docs/cli.md) turned into a RunConfig.
 *
 * Parsing only checks the shape of the input (known flag, value present, a number where a
 * number is expected); ranges are checked by the engine's own validation, so the CLI, the
 * URL and the config panel accept exactly the same values.
 */
import { NODE_BACKEND_NAMES } from '../../src/engine/backend-names';
import { chosenOfRepeated, parseDecimal } from '../../src/engine/config/number-grammar';
import { defaultRunConfig, MAX_SEEDS } from '../../src/engine/defaults';
import { DEFAULT_MODEL, MODEL_NAMES } from '../../src/engine/model-names';
import type { OptimizerName } from '../../src/engine/optimizer/config';
import type { RunConfig } from '../../src/engine/run-record';
import type { ScheduleName } from '../../src/engine/schedule';
import type { DatasetName } from '../../src/data/types';
import type { NodeBackendChoice } from '../tfjs-node';

/** Bad command-line input: one line on stderr, exit code 2. */
export class UsageError extends Error {}

export const DATASET_NAMES: readonly DatasetName[] = ['synthetic', 'cifar10', 'cifar100', 'fashion-mnist'];
export const OPTIMIZER_NAMES: readonly OptimizerName[] = ['sgd', 'sam', 'esam'];
export const SCHEDULE_NAMES: readonly ScheduleName[] = ['cosine', 'constant'];
export const BACKEND_CHOICES: readonly NodeBackendChoice[] = ['auto', ...NODE_BACKEND_NAMES];

export interface TrainArgs {
  config: RunConfig;
  /** --data PATH; null when not given. */
  data: string | null;
  /** --out FILE; null for stdout. */
  out: string | null;
  /** --backend: the tfjs backend to train on ('auto': the fastest that starts). */
  backend: NodeBackendChoice;
  /** --seeds N: runs differing only in the seed, written together as runs@1 (1 = one run@1). */
  seeds: number;
  help: boolean;
}

/** Flags that take a value, and how the value is read. */
const VALUE_FLAGS = {
  '--dataset': 'text',
  '--data': 'text',
  '--model': 'text',
  '--optimizer': 'text',
  '--schedule': 'text',
  '--out': 'text',
  '--backend': 'text',
  '--beta': 'number',
  '--gamma': 'number',
  '--rho': 'number',
  '--epochs': 'number',
  '--batch-size': 'number',
  '--lr': 'number',
  '--momentum': 'number',
  '--weight-decay': 'number',
  '--seed': 'number',
  '--seeds': 'number',
  '--train-size': 'number',
  '--test-size': 'number',
  '--label-noise': 'number',
} as const;

type ValueFlag = keyof typeof VALUE_FLAGS;

const SWITCHES = ['--augment', '--no-augment', '--adaptive', '--no-adaptive', '--linearity', '--no-linearity', '--help', '-h'] as const;
type Switch = (typeof SWITCHES)[number];

function isValueFlag(flag: string): flag is ValueFlag {
  return Object.hasOwn(VALUE_FLAGS, flag);
}

function isSwitch(flag: string): flag is Switch {
  return (SWITCHES as readonly string[]).includes(flag);
}

/**
 * Reads argv into a RunConfig on top of the app's defaults for the chosen dataset.
 * Throws a UsageError for an unknown flag, a missing value, a value that is not a number, or
 * an unknown name (dataset, model, optimizer, schedule). Ranges are left to the engine.
 */
export function parseTrainArgs(argv: readonly string[]): TrainArgs {
  const given = new Map<ValueFlag, string[]>();
  const switches = new Set<Switch>();
  let augment: boolean | null = null;
  let adaptive: boolean | null = null;
  let linearity = false;

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const inline = eq > 0 ? arg.slice(eq + 1) : null;
    if (isValueFlag(flag)) {
      let value = inline;
      if (value === null) {
        const next = argv[i + 1];
        if (next === undefined || next.startsWith('--')) throw new UsageError(`${flag} needs a value`);
        value = next;
        i++;
      }
      if (value === '') throw new UsageError(`${flag} needs a value`);
      if (VALUE_FLAGS[flag] === 'number' && (value.trim() !== value || parseDecimal(value) === null)) {
        throw new UsageError(`${flag} must be a number, got "${value}"`);
      }
      given.set(flag, [...(given.get(flag) ?? []), value]);
    } else if (isSwitch(flag)) {
      if (inline !== null) throw new UsageError(`${flag} takes no value (got "${arg}")`);
      switches.add(flag);
      if (flag === '--augment' || flag === '--no-augment') augment = flag === '--augment';
      if (flag === '--adaptive' || flag === '--no-adaptive') adaptive = flag === '--adaptive';
      if (flag === '--linearity' || flag === '--no-linearity') linearity = flag === '--linearity';
    } else if (arg.startsWith('-')) {
      throw new UsageError(`unknown option ${flag} (see --help)`);
    } else {
      throw new UsageError(`unexpected argument "${arg}" (flags only; see --help)`);
    }
  }

  // A flag given more than once: the shared rule picks the value (the last).
  const text = (flag: ValueFlag): string | undefined => {
    const list = given.get(flag);
    return list ? chosenOfRepeated(list) : undefined;
  };
  const num = (flag: ValueFlag): number | undefined => {
    const v = text(flag);
    return v === undefined ? undefined : (parseDecimal(v) as number);
  };
  const oneOf = <T extends string>(flag: ValueFlag, allowed: readonly T[]): T | undefined => {
    const v = text(flag);
    if (v === undefined) return undefined;
    if (!(allowed as readonly string[]).includes(v)) {
      throw new UsageError(`${flag}: unknown ${flag.slice(2)} "${v}" (expected ${allowed.join(', ')})`);
    }
    return v as T;
  };

  const dataset = oneOf('--dataset', DATASET_NAMES) ?? 'synthetic';
  const model = oneOf('--model', MODEL_NAMES) ?? DEFAULT_MODEL;
  // The learning rate and ρ default to the chosen model's own values.
  const base = defaultRunConfig(dataset, model);
  const name = oneOf('--optimizer', OPTIMIZER_NAMES) ?? base.optimizer.name;
  const schedule = oneOf('--schedule', SCHEDULE_NAMES) ?? base.schedule;
  const beta = num('--beta') ?? base.optimizer.beta;
  const gamma = num('--gamma') ?? base.optimizer.gamma;

  const config: RunConfig = {
    dataset: {
      name: dataset,
      trainSize: num('--train-size') ?? base.dataset.trainSize,
      testSize: num('--test-size') ?? base.dataset.testSize,
      augment: augment ?? base.dataset.augment,
      labelNoise: num('--label-noise') ?? base.dataset.labelNoise,
    },
    model,
    optimizer: {
      name,
      rho: num('--rho') ?? base.optimizer.rho,
      adaptive: adaptive ?? base.optimizer.adaptive,
      // A ratio of 1 turns that half of ESAM off; SGD and SAM use neither.
      swp: name === 'esam' && beta < 1,
      beta,
      sds: name === 'esam' && gamma < 1,
      gamma,
    },
    lr: num('--lr') ?? base.lr,
    momentum: num('--momentum') ?? base.momentum,
    weightDecay: num('--weight-decay') ?? base.weightDecay,
    schedule,
    batchSize: num('--batch-size') ?? base.batchSize,
    epochs: num('--epochs') ?? base.epochs,
    seed: num('--seed') ?? base.seed,
    ...(linearity ? { linearity: true } : {}),
  };
  const seeds = num('--seeds') ?? 1;
  if (!Number.isInteger(seeds) || seeds < 1 || seeds > MAX_SEEDS) throw new UsageError(`--seeds must be a whole number from 1 to ${MAX_SEEDS}, got ${seeds}`);
  return {
    config,
    seeds,
    data: text('--data') ?? null,
    out: text('--out') ?? null,
    backend: oneOf('--backend', BACKEND_CHOICES) ?? 'auto',
    help: switches.has('--help') || switches.has('-h'),
  };
}
