/**
 * Writes a dataset exactly as `npm run train` would train on it (before the run's subset and
 * label noise) to a folder of raw bytes, for the PyTorch twin and other tools.
 *
 *   npm run export:dataset -- [--dataset NAME] [--data PATH] [--seed N] --out DIR
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultRunConfig } from '../src/engine/defaults';
import { UsageError } from './cli/args';
import { dataHint, loadRunDataset } from './cli/data';
import { writeDatasetFiles } from './export/dataset-files';
import { DATASET_NAMES, type DatasetName } from '../src/data/types';

export const EXPORT_USAGE = `usage: npm run export:dataset -- [--dataset NAME] [--data PATH] [--seed N] [--train-size N] [--test-size N] --out DIR

  --dataset NAME    ${DATASET_NAMES.join(', ')} (default synthetic)
  --data PATH       the dataset's files, as for npm run train (not for synthetic)
  --seed N          synthetic only: the seed the set is generated from (default ${defaultRunConfig().seed}),
                    the same set npm run train --seed N trains on
  --train-size N, --test-size N
                    synthetic only: generate more images, as npm run train does when asked for more
  --out DIR         the folder to write dataset.json and the .u8 files into (created if missing)
`;

export interface ExportArgs {
  dataset: DatasetName;
  data: string | null;
  seed: number;
  trainSize: number;
  testSize: number;
  out: string;
}

const INTEGER = /^[+-]?\d+$/;

export function parseExportArgs(argv: readonly string[]): ExportArgs {
  const values = new Map<string, string>();
  const known = ['--dataset', '--data', '--seed', '--out', '--train-size', '--test-size'];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.indexOf('=');
    const flag = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    if (!known.includes(flag)) throw new UsageError(arg.startsWith('-') ? `unknown option ${flag}` : `unexpected argument "${arg}"`);
    const value = eq > 0 && arg.startsWith('--') ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined || value === '' || (eq < 0 && value.startsWith('--'))) throw new UsageError(`${flag} needs a value`);
    values.set(flag, value);
  }
  const dataset = (values.get('--dataset') ?? 'synthetic') as DatasetName;
  if (!DATASET_NAMES.includes(dataset))
    throw new UsageError(`--dataset: unknown dataset "${dataset}" (expected ${DATASET_NAMES.join(', ')})`);
  const integer = (flag: string, fallback: number): number => {
    const v = values.get(flag);
    if (v === undefined) return fallback;
    if (!INTEGER.test(v)) throw new UsageError(`${flag} must be an integer, got "${v}"`);
    return Number(v);
  };
  const out = values.get('--out');
  if (out === undefined) throw new UsageError('--out DIR is required');
  const data = values.get('--data') ?? null;
  if (dataset === 'synthetic' && data !== null)
    throw new UsageError('--data is not used with --dataset synthetic (the set is generated from --seed)');
  if (dataset !== 'synthetic' && data === null)
    throw new UsageError(`--data PATH is required for --dataset ${dataset} (${dataHint(dataset)})`);
  const trainSize = integer('--train-size', 0);
  const testSize = integer('--test-size', 0);
  if (trainSize < 0 || testSize < 0) throw new UsageError('--train-size and --test-size must not be negative');
  return { dataset, data, seed: integer('--seed', defaultRunConfig().seed), trainSize, testSize, out };
}

/** Loads (or generates) the dataset as `npm run train` does and writes it; returns the exit code. */
export async function main(argv: readonly string[], stderr: { write(text: string): unknown }): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    stderr.write(EXPORT_USAGE);
    return 0;
  }
  let args: ExportArgs;
  try {
    args = parseExportArgs(argv);
  } catch (e) {
    stderr.write(`export:dataset: ${(e as Error).message}\n${EXPORT_USAGE}`);
    return 2;
  }
  const config = defaultRunConfig(args.dataset);
  config.seed = args.seed;
  config.dataset.trainSize = args.trainSize;
  config.dataset.testSize = args.testSize;
  try {
    const dataset = await loadRunDataset(config, args.data);
    const manifest = await writeDatasetFiles(args.out, dataset, args.dataset === 'synthetic' ? args.seed : null);
    stderr.write(
      `export:dataset: ${manifest.name}, ${manifest.train.count} train + ${manifest.test.count} test images of ${manifest.height}×${manifest.width}×${manifest.channels} written to ${args.out}\n`,
    );
    return 0;
  } catch (e) {
    stderr.write(`export:dataset: ${(e as Error).message}\n`);
    return 3;
  }
}

const invokedPath = process.argv[1] ? resolve(process.argv[1]) : '';
if (invokedPath === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2), process.stderr).then((code) => {
    process.exitCode = code;
  });
}
