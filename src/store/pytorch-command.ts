/**
 * "Export as PyTorch": the shell commands that export a run's dataset and train the same run
 * with the PyTorch twin (scripts/reference/twin/), one process or data parallel. Pure strings,
 * no tfjs. The twin's flags are `npm run train`'s (written from the schema), so the same command
 * line means the same run.
 */
import { toTrainArgv } from '../engine/config/argv';
import type { RunConfig } from '../engine/run-record';

export const TWIN_SCRIPT = 'scripts/reference/twin/train.py';

export interface PytorchCommandOptions {
  /** Folder of the exported dataset; default `exports/<dataset>` (synthetic: one per seed). */
  data?: string;
  /** torch device: cpu (default), cuda, cuda:1, ... */
  device?: string;
  /** Runs with seeds seed, seed+1, ...; default 1. */
  seeds?: number;
  /** Where the run JSON goes; default stdout. */
  out?: string;
}

/** A word for a POSIX shell: quoted only when it needs to be. */
export function shellWord(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./{}-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The folder the export command writes and the twin reads; `{seed}` is the twin's per-run placeholder. */
export function defaultDataFolder(config: RunConfig, seeds = 1): string {
  const name = config.dataset.name;
  if (name !== 'synthetic') return `exports/${name}`;
  return seeds > 1 ? 'exports/synthetic-seed{seed}' : `exports/synthetic-seed${config.seed}`;
}

/** `npm run export:dataset` for the run's data (one command per seed for the synthetic set). */
export function exportCommands(config: RunConfig, options: PytorchCommandOptions = {}): string[] {
  const seeds = options.seeds ?? 1;
  const folder = options.data ?? defaultDataFolder(config, seeds);
  if (config.dataset.name !== 'synthetic') {
    return [`npm run export:dataset -- --dataset ${config.dataset.name} --data PATH/TO/${config.dataset.name} --out ${shellWord(folder)}`];
  }
  const extra = [
    ...(config.dataset.trainSize > 5000 ? ['--train-size', String(config.dataset.trainSize)] : []),
    ...(config.dataset.testSize > 1000 ? ['--test-size', String(config.dataset.testSize)] : []),
  ];
  return Array.from({ length: seeds }, (_, k) => {
    const seed = config.seed + k;
    return ['npm run export:dataset --', '--seed', String(seed), ...extra, '--out', shellWord(folder.replace('{seed}', String(seed)))].join(
      ' ',
    );
  });
}

/** The run's flags, as `npm run train` reads them, with the data and the model first. */
export function runFlags(config: RunConfig): string[] {
  const argv = toTrainArgv(config);
  const lead = ['--dataset', '--model'].flatMap((flag) => argv.splice(argv.indexOf(flag), 2));
  return [...lead, ...argv];
}

function twinArgs(config: RunConfig, options: PytorchCommandOptions): string[] {
  const seeds = options.seeds ?? 1;
  const args = ['--data', options.data ?? defaultDataFolder(config, seeds), ...runFlags(config)];
  if (seeds > 1) args.push('--seeds', String(seeds));
  if (options.device && options.device !== 'cpu') args.push('--device', options.device);
  if (options.out) args.push('--out', options.out);
  return args.map(shellWord);
}

/** `python3 scripts/reference/twin/train.py ...` */
export function pytorchCommand(config: RunConfig, options: PytorchCommandOptions = {}): string {
  return ['python3', TWIN_SCRIPT, ...twinArgs(config, options)].join(' ');
}

/** The data-parallel form: `torchrun --nproc-per-node N scripts/reference/twin/train.py ...` (CUDA by default). */
export function torchrunCommand(config: RunConfig, processes: number, options: PytorchCommandOptions = {}): string {
  if (!Number.isInteger(processes) || processes < 1) throw new RangeError(`processes must be a positive integer, got ${processes}`);
  const device = options.device ?? 'cuda';
  return ['torchrun', '--nproc-per-node', String(processes), TWIN_SCRIPT, ...twinArgs(config, { ...options, device })].join(' ');
}
