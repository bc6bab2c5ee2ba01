/**
 * `npm run train` (see docs/cli.md): tiny runs through main() on every kind of input the
 * CLI reads, one run as a real child process, and one test per kind of bad input. Sizes are
 * tiny (the tfjs CPU backend is slow): a few dozen images, the linear or conv model.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT, main } from '../../scripts/train';
import { costKeysOf } from '../../src/engine/run/cost-meter';
import { EPOCH_KEYS, LABEL_NOISE_EPOCH_KEYS, RUN_FORMAT, RUNS_FORMAT, type RunRecord, type RunsExport } from '../../src/engine/run-record';
import { MODEL_TRAINING_DEFAULTS } from '../../src/engine/defaults';
import { parseImport } from '../../src/store/import-export';
import { cifarBatch, fashionFiles, makeCifarArchive } from '../data/fixtures';

let dir = '';
/** Paths of the generated inputs. */
const files = {
  cifar10Archive: '',
  cifar100Archive: '',
  binFolder: '',
  archiveFolder: '',
  fashionFolder: '',
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'train-cli-'));
  const c10 = await makeCifarArchive('cifar10', { batches: 2, perBatch: 24, testCount: 8, seed: 2 });
  files.cifar10Archive = join(dir, 'cifar-10-binary.tar.gz');
  await writeFile(files.cifar10Archive, c10.gz);
  const c100 = await makeCifarArchive('cifar100', { perBatch: 40, testCount: 8, seed: 3 });
  files.cifar100Archive = join(dir, 'cifar-100-binary.tar.gz');
  await writeFile(files.cifar100Archive, c100.gz);

  // A folder of .bin files, as the archive extracts them (plus a file the loader must skip).
  files.binFolder = join(dir, 'cifar-10-batches-bin');
  await mkdir(files.binFolder);
  await writeFile(join(files.binFolder, 'data_batch_1.bin'), cifarBatch('cifar10', 20, 11).bin);
  await writeFile(join(files.binFolder, 'data_batch_2.bin'), cifarBatch('cifar10', 20, 12).bin);
  await writeFile(join(files.binFolder, 'test_batch.bin'), cifarBatch('cifar10', 6, 13).bin);
  await writeFile(join(files.binFolder, 'readme.html'), '<p>not data</p>');

  // A folder holding the official archive, as `npm run fetch:cifar` leaves public/datasets.
  files.archiveFolder = join(dir, 'datasets');
  await mkdir(files.archiveFolder);
  await writeFile(join(files.archiveFolder, 'cifar-10-binary.tar.gz'), c10.gz);
  await writeFile(join(files.archiveFolder, 'index.json'), '{"datasets": []}');

  files.fashionFolder = join(dir, 'fashion');
  await mkdir(files.fashionFolder);
  for (const f of (await fashionFiles(40, 8, true)).files) await writeFile(join(files.fashionFolder, f.name), f.bytes);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface Result {
  code: number;
  out: string;
  err: string;
}

async function run(argv: string[], stopRequested?: () => boolean): Promise<Result> {
  let out = '';
  let err = '';
  const code = await main(
    argv,
    { stderr: { write: (t: string) => (err += t) }, isTTY: false, stopRequested },
    { write: (t: string) => (out += t) },
  );
  return { code, out, err };
}

/** A run that completed; its record parsed from stdout. */
async function runOk(argv: string[]): Promise<RunRecord> {
  const r = await run(argv);
  expect(r.err).not.toMatch(/^train: /m);
  expect(r.code).toBe(0);
  return JSON.parse(r.out) as RunRecord;
}

const TINY = ['--epochs', '1', '--batch-size', '16', '--model', 'linear'];

/** Every key of docs/run-json.md, each with a value of the right kind (null where allowed), from the default backend. */
function expectContractShape(r: RunRecord): void {
  expect(Object.keys(r).sort()).toEqual(
    ['format', 'id', 'name', 'createdAt', 'status', 'error', 'config', 'environment', 'epochs', 'summary', 'warnings'].sort(),
  );
  expect(r.format).toBe(RUN_FORMAT);
  expect(r.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  expect(typeof r.name).toBe('string');
  expect(new Date(r.createdAt).toISOString()).toBe(r.createdAt);
  expect(Object.keys(r.config).sort()).toEqual(
    ['dataset', 'model', 'optimizer', 'lr', 'momentum', 'weightDecay', 'schedule', 'batchSize', 'epochs', 'seed'].sort(),
  );
  expect(Object.keys(r.config.dataset).sort()).toEqual(['name', 'trainSize', 'testSize', 'augment', 'labelNoise'].sort());
  expect(Object.keys(r.config.optimizer).sort()).toEqual(['name', 'rho', 'adaptive', 'swp', 'beta', 'sds', 'gamma'].sort());
  expect(r.environment).toEqual({
    backend: 'wasm',
    adapter: 'SIMD',
    tfjsVersion: expect.stringMatching(/^4\.22\./),
    agent: expect.stringMatching(/^node v\d+\.\d+\.\d+ \(\w+ \w+\)$/),
  });
  for (const e of r.epochs) {
    const noisy = r.config.dataset.labelNoise > 0 ? LABEL_NOISE_EPOCH_KEYS : [];
    expect(Object.keys(e).sort()).toEqual([...EPOCH_KEYS, ...noisy, ...costKeysOf(r.config.optimizer)].sort());
    for (const key of EPOCH_KEYS) expect(Number.isFinite(e[key]), `${key} = ${e[key]}`).toBe(true);
    for (const key of ['trainAcc', 'testAcc'] as const) {
      expect(e[key]).toBeGreaterThanOrEqual(0);
      expect(e[key]).toBeLessThanOrEqual(1);
    }
  }
  expect(Object.keys(r.summary).sort()).toEqual(['finalTestAcc', 'bestTestAcc', 'imagesPerSec', 'totalSeconds'].sort());
}

/** Bad input: a non-zero exit, nothing on stdout, one plain line on stderr matching each pattern. */
function expectOneLine(r: Result, code: number, ...patterns: (RegExp | string)[]): void {
  expect(r.code).toBe(code);
  expect(r.out).toBe('');
  const lines = r.err.trimEnd().split('\n');
  expect(lines, r.err).toHaveLength(1);
  expect(lines[0]).toMatch(/^train: /);
  for (const p of patterns) expect(lines[0]).toMatch(p);
  expect(r.err).not.toMatch(/\s+at .+:\d+/);
}

describe('train CLI: runs', () => {
  it('a tiny synthetic run writes every key of the run JSON, and the config echoes the flags', async () => {
    const r = await run([
      '--dataset',
      'synthetic',
      '--model',
      'conv',
      '--optimizer',
      'esam',
      '--beta',
      '0.5',
      '--gamma',
      '0.75',
      '--rho',
      '0.1',
      '--adaptive',
      '--epochs',
      '2',
      '--batch-size',
      '16',
      '--lr',
      '0.02',
      '--momentum',
      '0.8',
      '--weight-decay',
      '0.001',
      '--seed',
      '3',
      '--train-size',
      '64',
      '--test-size',
      '32',
      '--augment',
      '--label-noise',
      '0.25',
      '--schedule',
      'constant',
    ]);
    expect(r.code).toBe(0);
    const record = JSON.parse(r.out) as RunRecord;
    expectContractShape(record);
    expect(record.status).toBe('completed');
    expect(record.error).toBeNull();
    expect(record.name).toBe('ESAM adaptive β=0.5 γ=0.75 · synthetic · conv');
    expect(record.config).toEqual({
      dataset: { name: 'synthetic', trainSize: 64, testSize: 32, augment: true, labelNoise: 0.25 },
      model: 'conv',
      optimizer: { name: 'esam', rho: 0.1, adaptive: true, swp: true, beta: 0.5, sds: true, gamma: 0.75 },
      lr: 0.02,
      momentum: 0.8,
      weightDecay: 0.001,
      schedule: 'constant',
      batchSize: 16,
      epochs: 2,
      seed: 3,
    });
    expect(record.epochs.map((e) => e.epoch)).toEqual([1, 2]);
    expect(record.epochs.every((e) => e.lr === 0.02)).toBe(true);
    expect(record.summary.finalTestAcc).toBe(record.epochs[1].testAcc);

    // stderr: a start line, one line per epoch, an end line; stdout is the JSON alone.
    const lines = r.err.trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^ESAM adaptive β=0\.5 γ=0\.75 · synthetic · conv: 64 train \/ 32 test images, 2 epochs of 4 steps × 16/);
    expect(lines[1]).toMatch(/^epoch 1\/2 {2}train loss \d+\.\d{4} acc \d+\.\d% {2}test loss \d+\.\d{4} acc \d+\.\d% {2}\d+\.\d img\/s/);
    expect(lines[2]).toMatch(/^epoch 2\/2 /);
    expect(lines[3]).toMatch(/^completed, final test acc \d+\.\d%/);
    expect(r.out.trim().startsWith('{') && r.out.trim().endsWith('}')).toBe(true);
  });

  it('defaults are the app defaults; --beta/--gamma 1 turn SWP/SDS off; SGD and SAM use neither', async () => {
    const esam = await runOk([...TINY, '--train-size', '32', '--test-size', '16', '--beta', '1']);
    expect(esam.config.optimizer).toEqual({ name: 'esam', rho: 0.05, adaptive: false, swp: false, beta: 1, sds: true, gamma: 0.5 });
    expect(esam.config).toMatchObject({
      lr: MODEL_TRAINING_DEFAULTS.linear.lr,
      momentum: 0.9,
      weightDecay: 5e-4,
      schedule: 'cosine',
      seed: 1,
    });
    expect(esam.config.dataset).toEqual({ name: 'synthetic', trainSize: 32, testSize: 16, augment: false, labelNoise: 0 });
    expect(esam.name).toBe('ESAM β=1 γ=0.5 · synthetic · linear');
    const sgd = await runOk([...TINY, '--train-size', '32', '--test-size', '16', '--optimizer', 'sgd']);
    expect(sgd.config.optimizer).toMatchObject({ name: 'sgd', swp: false, sds: false });
    expect(sgd.name).toBe('SGD · synthetic · linear');
  });

  it('same flags, same numbers (the seed fixes data, order and weights)', async () => {
    const argv = [...TINY, '--train-size', '32', '--test-size', '16', '--seed', '5'];
    const a = await runOk(argv);
    const b = await runOk(argv);
    expect(b.epochs[0].trainLoss).toBe(a.epochs[0].trainLoss);
    expect(b.epochs[0].testAcc).toBe(a.epochs[0].testAcc);
    expect(b.id).not.toBe(a.id);
  });

  it('trains on a CIFAR-10 .tar.gz on disk (streamed), written to --out', async () => {
    const out = join(dir, 'c10.json');
    const r = await run(['--dataset', 'cifar10', '--data', files.cifar10Archive, ...TINY, '--out', out]);
    expect(r.code).toBe(0);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/run JSON written to .*c10\.json\n$/);
    const record = JSON.parse(await readFile(out, 'utf8')) as RunRecord;
    expectContractShape(record);
    expect(record.config.dataset).toEqual({ name: 'cifar10', trainSize: 48, testSize: 8, augment: true, labelNoise: 0 });
    expect(record.epochs).toHaveLength(1);
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('trains on a CIFAR-100 .tar.gz', async () => {
    const record = await runOk(['--dataset', 'cifar100', '--data', files.cifar100Archive, ...TINY, '--no-augment']);
    expectContractShape(record);
    expect(record.config.dataset).toEqual({ name: 'cifar100', trainSize: 40, testSize: 8, augment: false, labelNoise: 0 });
    expect(record.name).toBe('ESAM β=0.6 γ=0.5 · cifar100 · linear');
  });

  it('trains on a folder of CIFAR-10 .bin files, and on a folder holding the official archive', async () => {
    const bins = await runOk(['--dataset', 'cifar10', '--data', files.binFolder, ...TINY, '--test-size', '4']);
    expect(bins.config.dataset).toMatchObject({ name: 'cifar10', trainSize: 40, testSize: 4 });
    expect(bins.status).toBe('completed');
    const folder = await runOk(['--dataset', 'cifar10', '--data', files.archiveFolder, ...TINY, '--train-size', '32']);
    expect(folder.config.dataset).toMatchObject({ name: 'cifar10', trainSize: 32, testSize: 8 });
  });

  it('trains on a folder of gzipped Fashion-MNIST IDX files', async () => {
    const record = await runOk(['--dataset', 'fashion-mnist', '--data', files.fashionFolder, ...TINY]);
    expectContractShape(record);
    expect(record.config.dataset).toEqual({ name: 'fashion-mnist', trainSize: 40, testSize: 8, augment: false, labelNoise: 0 });
  });

  it('a diverged run still writes its JSON, with the status and error, and exits 1', async () => {
    const r = await run(['--optimizer', 'sgd', '--lr', '1e30', ...TINY, '--train-size', '64', '--test-size', '16']);
    expect(r.code).toBe(EXIT.notCompleted);
    const record = JSON.parse(r.out) as RunRecord;
    expectContractShape(record);
    expect(record.status).toBe('diverged');
    expect(record.error).toMatch(/the loss became (NaN or infinite|absurdly large \(.* nats\)) in epoch 1/);
    expect(r.err.trimEnd().split('\n').at(-1)).toMatch(/^diverged, .*(NaN or infinite|absurdly large)/);
  });

  it('--seeds N writes one runs@1 file of N grouped runs that differ only in the seed', async () => {
    const r = await run([...TINY, '--seeds', '2', '--seed', '5', '--train-size', '32', '--test-size', '16']);
    expect(r.code).toBe(EXIT.completed);
    const doc = JSON.parse(r.out) as RunsExport;
    expect(doc.format).toBe(RUNS_FORMAT);
    expect(doc.runs.map((run) => run.config.seed)).toEqual([5, 6]);
    const { seed: _a, ...first } = doc.runs[0].config;
    const { seed: _b, ...second } = doc.runs[1].config;
    expect(second).toEqual(first);
    expect(doc.runs[0].group).toEqual(doc.runs[1].group);
    expect(doc.runs[0].group?.name).toMatch(/ · 2 seeds$/);
    expect(doc.runs.map((run) => run.name)).toEqual([expect.stringMatching(/ · seed 5$/), expect.stringMatching(/ · seed 6$/)]);
    expect(parseImport(r.out).map((run) => run.group)).toEqual(doc.runs.map((run) => run.group));
    expect(r.err.trimEnd().split('\n').at(-1)).toMatch(/^2 runs \(/);
  });

  it('--seeds outside 1 to 5 is a usage error', async () => {
    for (const bad of ['0', '6', '1.5']) {
      const r = await run([...TINY, '--seeds', bad]);
      expect(r.code).toBe(EXIT.usage);
      expect(r.err).toMatch(/--seeds must be a whole number from 1 to 5/);
    }
  });

  it('a stop request ends the run as stopped: JSON written, exit 130', async () => {
    const r = await run([...TINY, '--train-size', '32', '--test-size', '16'], () => true);
    expect(r.code).toBe(EXIT.interrupted);
    const record = JSON.parse(r.out) as RunRecord;
    expect(record.status).toBe('stopped');
    expect(record.epochs).toEqual([]);
  });

  it('--backend cpu trains on the CPU backend, and the run JSON says so', async () => {
    const record = await runOk([...TINY, '--train-size', '32', '--test-size', '16', '--backend', 'cpu']);
    expect(record.environment.backend).toBe('cpu');
    expect(record.environment.adapter).toBeNull();
    expect(record.status).toBe('completed');
  });

  it('--help lists the flags and exit codes on stdout', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    for (const flag of [
      '--dataset',
      '--data',
      '--model',
      '--optimizer',
      '--beta',
      '--gamma',
      '--rho',
      '--adaptive',
      '--epochs',
      '--batch-size',
      '--lr',
      '--momentum',
      '--weight-decay',
      '--seed',
      '--train-size',
      '--test-size',
      '--augment',
      '--no-augment',
      '--label-noise',
      '--backend',
      '--out',
    ]) {
      expect(r.out).toContain(flag);
    }
    expect(r.out).toMatch(/Exit codes/);
    expect(r.err).toBe('');
  });
});

/** The CLI as a person runs it: npm, tsx, a real process. */
function spawnTrain(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((ok) => {
    const child = spawn('npm', ['run', '--silent', 'train', '--', ...args], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => ok({ code, stdout, stderr }));
  });
}

describe('train CLI: as a process', () => {
  it('npm run train writes pure JSON on stdout and progress on stderr', async () => {
    const r = await spawnTrain([...TINY, '--train-size', '32', '--test-size', '16', '--optimizer', 'sam']);
    expect(r.stderr).not.toMatch(/^train: /m);
    expect(r.code).toBe(0);
    const record = JSON.parse(r.stdout) as RunRecord;
    expectContractShape(record);
    expect(record.name).toBe('SAM ρ=0.05 · synthetic · linear');
    expect(r.stderr).toMatch(/^epoch 1\/1 /m);
  });

  it('bad input as a process: exit 2, one plain line, no stack trace', async () => {
    const r = await spawnTrain(['--beta', '2']);
    expect(r.code).toBe(EXIT.usage);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('train: --beta: β (SWP) must be in (0, 1], got 2\n');
  });
});

describe('train CLI: bad input', () => {
  it.each([
    ['an unknown flag', ['--bogus', '1'], /unknown option --bogus/],
    ['a positional argument', ['cifar10'], /unexpected argument "cifar10"/],
    ['a missing value', ['--epochs'], /--epochs needs a value/],
    ['a value that is a flag', ['--lr', '--epochs', '2'], /--lr needs a value/],
    ['a value that is not a number', ['--lr', 'fast'], /--lr must be a number, got "fast"/],
    ['beta out of range', ['--beta', '0'], /^train: --beta: β \(SWP\) must be in \(0, 1\], got 0$/],
    ['beta above 1', ['--beta', '1.5'], /--beta: .*got 1\.5/],
    ['gamma out of range', ['--gamma', '1.2'], /^train: --gamma: γ \(SDS\) must be in \(0, 1\], got 1\.2$/],
    ['gamma selecting no sample', ['--gamma', '0.01', '--batch-size', '16'], /--gamma: .*selects no sample/],
    ['rho out of range', ['--rho', '-0.1'], /^train: --rho: ρ \(rho\) must be ≥ 0, got -0\.1$/],
    ['lr out of range', ['--lr', '0'], /^train: --lr: learning rate \(lr\) must be > 0, got 0$/],
    ['batch size out of range', ['--batch-size', '1'], /^train: --batch-size: batch size must be an integer ≥ 2, got 1$/],
    ['a fractional batch size', ['--batch-size', '16.5'], /--batch-size: .*got 16\.5/],
    ['momentum out of range', ['--momentum', '1'], /--momentum: momentum must be in \[0, 1\)/],
    ['epochs out of range', ['--epochs', '0'], /--epochs: epochs must be an integer ≥ 1/],
    ['label noise out of range', ['--label-noise', '2'], /--label-noise: /],
    ['a negative train size', ['--train-size', '-5'], /--train-size: /],
    ['an unknown model', ['--model', 'vgg'], /--model: unknown model "vgg" \(expected cnn-bn, cnn, mlp, linear, conv, resnet8, resnet20\)/],
    ['an unknown optimizer', ['--optimizer', 'adam'], /--optimizer: unknown optimizer "adam" \(expected sgd, sam, esam\)/],
    ['an unknown dataset', ['--dataset', 'mnist'], /--dataset: unknown dataset "mnist"/],
    ['--data missing for cifar10', ['--dataset', 'cifar10'], /--data PATH is required for --dataset cifar10/],
    ['--data missing for fashion-mnist', ['--dataset', 'fashion-mnist'], /--data PATH is required for --dataset fashion-mnist/],
    ['--data with the synthetic set', ['--data', '/tmp'], /--data is not used with --dataset synthetic/],
    ['--out in a missing folder', ['--out', '/nonexistent-folder/run.json'], /--out .*does not exist/],
  ])('%s: exit 2 and one line naming it', async (_, argv, pattern) => {
    expectOneLine(await run(argv), EXIT.usage, pattern);
  });

  it('a batch larger than the training set: exit 2 naming --batch-size', async () => {
    expectOneLine(
      await run(['--train-size', '8', '--batch-size', '16']),
      EXIT.usage,
      /--batch-size 16 is larger than the 8 training images \(--train-size\)/,
    );
  });

  it('a missing file: exit 3 naming it', async () => {
    const missing = join(dir, 'nowhere', 'cifar-10-binary.tar.gz');
    expectOneLine(await run(['--dataset', 'cifar10', '--data', missing]), EXIT.data, `${missing}: no such file or directory`);
  });

  it('a truncated archive: exit 3 naming the file', async () => {
    const full = await readFile(files.cifar10Archive);
    const path = join(dir, 'truncated', 'cifar-10-binary.tar.gz');
    await mkdir(join(dir, 'truncated'));
    await writeFile(path, full.subarray(0, Math.floor(full.length * 0.6)));
    expectOneLine(await run(['--dataset', 'cifar10', '--data', path, ...TINY]), EXIT.data, path, /truncated|corrupt/);
  });

  it('a .tar.gz that is not gzip: exit 3 naming the file', async () => {
    const path = join(dir, 'fake.tar.gz');
    await writeFile(path, '<html>not found</html>');
    expectOneLine(
      await run(['--dataset', 'cifar10', '--data', path]),
      EXIT.data,
      `${path}: not gzip (expected a gzip file starting with bytes 1f 8b; it starts with 3c 68)`,
    );
  });

  it('a .bin file of the wrong record size: exit 3 naming the file and the record size', async () => {
    const folder = join(dir, 'bad-bins');
    await mkdir(folder);
    await writeFile(join(folder, 'data_batch_1.bin'), cifarBatch('cifar10', 4, 1).bin);
    await writeFile(join(folder, 'test_batch.bin'), cifarBatch('cifar10', 2, 2).bin.subarray(0, 3073 * 2 - 7));
    expectOneLine(
      await run(['--dataset', 'cifar10', '--data', folder]),
      EXIT.data,
      `${join(folder, 'test_batch.bin')}: 6139 bytes is not a whole number of CIFAR-10 records (expected a multiple of 3073 bytes`,
    );
  });

  it('CIFAR-100 .bin files given as CIFAR-10 (a record size mismatch): exit 3', async () => {
    const folder = join(dir, 'c100-as-c10');
    await mkdir(folder);
    await writeFile(join(folder, 'data_batch_1.bin'), cifarBatch('cifar100', 3, 1).bin);
    await writeFile(join(folder, 'test_batch.bin'), cifarBatch('cifar10', 2, 2).bin);
    expectOneLine(
      await run(['--dataset', 'cifar10', '--data', folder]),
      EXIT.data,
      /data_batch_1\.bin: 9222 bytes is not a whole number of CIFAR-10 records/,
    );
  });

  it('a CIFAR-100 archive given as --dataset cifar10: exit 3 naming the file and both datasets', async () => {
    expectOneLine(
      await run(['--dataset', 'cifar10', '--data', files.cifar100Archive]),
      EXIT.data,
      `${files.cifar100Archive}: holds CIFAR-100 data, but --dataset is cifar10`,
    );
  });

  it('a CIFAR folder given as Fashion-MNIST, and a Fashion-MNIST folder missing a file: exit 3', async () => {
    expectOneLine(
      await run(['--dataset', 'fashion-mnist', '--data', files.binFolder]),
      EXIT.data,
      `${files.binFolder}: contains no Fashion-MNIST files`,
    );
    const folder = join(dir, 'fashion-3');
    await mkdir(folder);
    for (const f of (await fashionFiles(4, 2, false)).files.slice(1)) await writeFile(join(folder, f.name), f.bytes);
    expectOneLine(await run(['--dataset', 'fashion-mnist', '--data', folder]), EXIT.data, /missing train-images-idx3-ubyte/);
  });

  it('a folder without CIFAR files: exit 3 saying what was expected', async () => {
    expectOneLine(
      await run(['--dataset', 'cifar100', '--data', files.fashionFolder]),
      EXIT.data,
      `${files.fashionFolder}: contains no CIFAR-100 files (expected cifar-100-binary.tar.gz`,
    );
  });
});
