/**
 * Headless training (see docs/cli.md): the browser's engine in Node on tfjs's WASM backend
 * (default), its CPU backend, or WebGPU through Dawn, writing the run JSON of docs/run-json.md.
 *
 *   npm run train -- [--dataset NAME] [--data PATH] [--model NAME] [--optimizer sgd|sam|esam] ...
 *
 * stdout carries nothing but the run JSON (unless --out FILE); progress, one line per epoch,
 * and errors, one plain line each, go to stderr. See --help for the flags and exit codes.
 */
import { randomUUID } from 'node:crypto';
import { constants } from 'node:fs';
import { access, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { batchCount } from '../src/data/pipeline';
import type { ImageDataset } from '../src/data/types';
import { isModelName } from '../src/engine/models';
import { RUNS_FORMAT, type RunConfig, type RunGroup, type RunRecord, type RunsExport } from '../src/engine/run-record';
import { DEFAULT_COST_SAMPLES } from '../src/engine/run/cost-meter';
import { runTraining } from '../src/engine/runner';
import { HyperparameterError, validateRunConfig } from '../src/engine/validation';
import { parseTrainArgs, UsageError, type TrainArgs } from './cli/args';
import { dataHint, loadRunDataset } from './cli/data';
import { flagsHelp } from './cli/help';
import { endLine, epochLine, nodeAgent, runName, startLine, stepLine } from './cli/report';
import { BackendUnavailableError, useNodeBackend, type NodeBackend } from './tfjs-node';

/** Exit codes, also listed by --help. */
export const EXIT = {
  /** The run completed. */
  completed: 0,
  /** The run ended diverged or failed; its JSON is still written. */
  notCompleted: 1,
  /** Bad flags or values. */
  usage: 2,
  /** A data file is missing, unreadable, malformed, or not the dataset --dataset names. */
  data: 3,
  /** Stopped by Ctrl-C; the JSON of the stopped run is written. */
  interrupted: 130,
} as const;

export const USAGE = 'usage: npm run train -- [flags]   (--help lists them)';

export function helpText(): string {
  return `usage: npm run train -- [flags]

Trains one run with the app's engine in Node and writes its run JSON (format
esam-playground/run@1) to stdout, or to --out FILE. Progress and errors go to stderr.

${flagsHelp()}

Exit codes
  ${EXIT.completed}    the run completed
  ${EXIT.notCompleted}    the run ended diverged or failed; the JSON is still written and its
       status and error say why
  ${EXIT.usage}    bad flags or values (one line on stderr names the flag), or the --backend
       named cannot start (for webgpu: no adapter)
  ${EXIT.data}    a data file is missing, unreadable or malformed, or holds another dataset
       (one line on stderr names the file)
  ${EXIT.interrupted}  stopped with Ctrl-C: the run ends after the current step and its JSON
       (status "stopped") is written; a second Ctrl-C quits at once
`;
}

export interface Io {
  stderr: { write(text: string): unknown };
  /** stderr is a terminal: show a step counter in place while an epoch runs. */
  isTTY: boolean;
  /** Polled between training steps; true ends the run as 'stopped'. */
  stopRequested?: () => boolean;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

function messageOf(e: unknown): string {
  return oneLine(e instanceof Error ? e.message : String(e));
}

/** The flags, checked against the engine's own ranges before any data is read. */
function checkedArgs(argv: readonly string[]): TrainArgs {
  const args = parseTrainArgs(argv);
  try {
    validateRunConfig(args.config, isModelName);
  } catch (e) {
    if (e instanceof HyperparameterError) throw new UsageError(`--${e.param}: ${e.message}`);
    throw e;
  }
  const name = args.config.dataset.name;
  if (name === 'synthetic' && args.data !== null) {
    throw new UsageError(
      `--data is not used with --dataset synthetic (the set is generated from --seed); name the dataset the files hold with --dataset`,
    );
  }
  if (name !== 'synthetic' && args.data === null) {
    throw new UsageError(`--data PATH is required for --dataset ${name} (${dataHint(name)})`);
  }
  return args;
}

/** --out must be writable where it points, checked before a long run rather than after. */
async function checkOut(out: string): Promise<void> {
  const dir = dirname(resolve(out));
  const parent = await stat(dir).catch(() => null);
  if (!parent?.isDirectory()) throw new UsageError(`--out ${out}: the folder ${dir} does not exist`);
  const existing = await stat(out).catch(() => null);
  if (existing?.isDirectory()) throw new UsageError(`--out ${out}: is a folder (expected a file name)`);
  // The record is written through a temporary file in that folder, then renamed over `out`:
  // write one now (and remove it), so a folder that refuses files fails before training.
  const probe = tmpName(out);
  try {
    await writeFile(probe, '');
  } catch (e) {
    throw new UsageError(`--out ${out}: cannot write in the folder ${dir} (${messageOf(e)})`);
  } finally {
    await rm(probe, { force: true }).catch(() => undefined);
  }
  if (
    existing &&
    !(await access(out, constants.W_OK).then(
      () => true,
      () => false,
    ))
  ) {
    throw new UsageError(`--out ${out}: the file exists and is not writable`);
  }
}

/** Writes via a temporary file in the same folder, so a reader never sees half a record. */
function tmpName(out: string): string {
  return `${out}.${process.pid}.tmp`;
}

async function writeOut(out: string, text: string): Promise<void> {
  const tmp = tmpName(out);
  try {
    await writeFile(tmp, text);
    await rename(tmp, out);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

/** The training images a run will use, before the runner subsets: for a clear batch-size message. */
function trainCount(config: RunConfig, dataset: ImageDataset): number {
  const n = config.dataset.trainSize;
  return n > 0 ? Math.min(n, dataset.train.count) : dataset.train.count;
}

function exitCodeFor(record: RunRecord): number {
  switch (record.status) {
    case 'completed':
      return EXIT.completed;
    case 'stopped':
      return EXIT.interrupted;
    default:
      return EXIT.notCompleted;
  }
}

/** The command: returns the exit code (see EXIT); never throws. */
export async function main(argv: readonly string[], io: Io, stdout: { write(text: string): unknown } = process.stdout): Promise<number> {
  const fail = (code: number, e: unknown): number => {
    io.stderr.write(`train: ${messageOf(e)}\n`);
    return code;
  };
  if (argv.includes('--help') || argv.includes('-h')) {
    stdout.write(helpText());
    return EXIT.completed;
  }

  let args: TrainArgs;
  try {
    args = checkedArgs(argv);
    if (args.out !== null) await checkOut(args.out);
  } catch (e) {
    return fail(e instanceof UsageError ? EXIT.usage : EXIT.notCompleted, e);
  }
  const { config } = args;

  let lastDraw = 0;
  let drawn = false;
  const clearLine = () => {
    if (drawn) io.stderr.write('\r\x1b[K');
    drawn = false;
  };
  const draw = (text: string, force = false) => {
    if (!io.isTTY) return;
    const now = Date.now();
    if (!force && now - lastDraw < 100) return;
    lastDraw = now;
    io.stderr.write(`\r\x1b[K${text}`);
    drawn = true;
  };
  let backend: NodeBackend;
  try {
    backend = await useNodeBackend(args.backend);
  } catch (e) {
    return fail(e instanceof BackendUnavailableError ? EXIT.usage : EXIT.notCompleted, e);
  }

  // Seed k of a group trains config.seed + k; the built-in set is generated from the seed, a
  // dataset read from files is read once.
  const group: RunGroup | undefined = args.seeds > 1 ? { id: randomUUID(), name: `${runName(config)} · ${args.seeds} seeds` } : undefined;
  const records: RunRecord[] = [];
  let fileDataset: ImageDataset | null = null;
  for (let k = 0; k < args.seeds; k++) {
    const seeded: RunConfig = { ...config, seed: config.seed + k };
    let dataset: ImageDataset;
    try {
      dataset =
        fileDataset ??
        (await loadRunDataset(seeded, args.data, (file, n, total) =>
          draw(`reading ${file}  ${total > 0 ? ((100 * n) / total).toFixed(0) : '?'}%`),
        ));
      if (seeded.dataset.name !== 'synthetic') fileDataset = dataset;
    } catch (e) {
      clearLine();
      return fail(EXIT.data, e);
    }
    clearLine();
    for (const note of fileDataset === dataset && k > 0 ? [] : (dataset.notes ?? [])) io.stderr.write(`note: ${oneLine(note)}\n`);

    const count = trainCount(seeded, dataset);
    if (count < seeded.batchSize) {
      const which = seeded.dataset.trainSize > 0 && seeded.dataset.trainSize < dataset.train.count ? '--train-size' : 'the training set';
      return fail(
        EXIT.usage,
        `--batch-size ${seeded.batchSize} is larger than the ${count} training images (${which}); lower --batch-size or use more images`,
      );
    }

    const stepsPerEpoch = batchCount(count, seeded.batchSize);
    try {
      const record = await runTraining(
        {
          id: randomUUID(),
          name: group ? `${runName(seeded)} · seed ${seeded.seed}` : runName(seeded),
          createdAt: new Date().toISOString(),
          config: seeded,
          dataset,
          environment: { backend: backend.backend, adapter: backend.adapter, tfjsVersion: tf.version.tfjs, agent: nodeAgent() },
          costSamplesPerEpoch: DEFAULT_COST_SAMPLES,
          group,
        },
        {
          onStart: (r) => io.stderr.write(`${startLine(r, stepsPerEpoch)}\n`),
          onProgress: (p) => draw(stepLine(p.epoch, seeded.epochs, p.step, p.steps, p.recentLosses.at(-1), p.etaSeconds)),
          onEpoch: (epoch, _summary, { warnings }) => {
            clearLine();
            io.stderr.write(`${epochLine(epoch, seeded.epochs)}\n`);
            for (const w of warnings) io.stderr.write(`warning: ${w.message}\n`);
          },
          checkpoint: async () => (io.stopRequested?.() ? 'stop' : 'continue'),
        },
      );
      clearLine();
      if (group) io.stderr.write(`${endLine(record)}\n`);
      records.push(record);
      if (record.status === 'stopped') break;
    } catch (e) {
      clearLine();
      return fail(
        e instanceof HyperparameterError ? EXIT.usage : EXIT.notCompleted,
        e instanceof HyperparameterError ? `--${e.param}: ${e.message}` : e,
      );
    }
  }

  const document: RunRecord | RunsExport = group ? { format: RUNS_FORMAT, runs: records } : records[0];
  const json = JSON.stringify(document, null, 2) + '\n';
  const ending = group ? `${records.length} runs (${group.name})` : endLine(records[0]);
  if (args.out !== null) {
    try {
      await writeOut(args.out, json);
      io.stderr.write(`${ending}; run JSON written to ${args.out}\n`);
    } catch (e) {
      io.stderr.write(`train: could not write ${args.out} (${messageOf(e)}); the run JSON follows on stdout\n`);
      stdout.write(json);
      return EXIT.notCompleted;
    }
  } else {
    stdout.write(json);
    io.stderr.write(`${ending}\n`);
  }
  return Math.max(...records.map(exitCodeFor));
}

const invokedPath = process.argv[1] ? resolve(process.argv[1]) : '';
if (invokedPath === fileURLToPath(import.meta.url)) {
  let stop = false;
  // A reader that closes the pipe early (`| head`) is not an error worth a stack trace.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') process.stderr.write(`train: stdout: ${messageOf(e)}\n`);
    process.exit(EXIT.notCompleted);
  });
  process.on('SIGINT', () => {
    if (stop) {
      process.stderr.write('\ntrain: interrupted\n');
      process.exit(EXIT.interrupted);
    }
    stop = true;
    process.stderr.write('\ntrain: stopping after the current step (Ctrl-C again to quit now)\n');
  });
  main(process.argv.slice(2), { stderr: process.stderr, isTTY: Boolean(process.stderr.isTTY), stopRequested: () => stop }).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`train: ${messageOf(e)}\n`);
      process.exitCode = EXIT.notCompleted;
    },
  );
}
