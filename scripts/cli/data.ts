/**
 * The CLI's datasets: the synthetic set generated from the seed, and CIFAR / Fashion-MNIST
 * read from disk with the same loaders the page uses. A CIFAR archive is streamed from the
 * file (decompressed and parsed as it is read), never held whole in memory.
 */
import { createReadStream } from 'node:fs';
import { open, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { DatasetError } from '../../src/data/errors';
import { isGzip } from '../../src/data/gzip';
import { idxRole, loadFashionMnist } from '../../src/data/idx';
import { CIFAR_EXPECTED_FILES, checkFileSize, cifarRole, loadCifarArchive, loadCifarFiles } from '../../src/data/load';
import { makeSyntheticDataset } from '../../src/data/synthetic';
import type { DatasetName, ImageDataset, NamedBytes } from '../../src/data/types';
import type { RunConfig } from '../../src/engine/run-record';

/** Sizes the app generates for the synthetic set; the CLI generates more only when asked to. */
export const SYNTHETIC_TRAIN = 5000;
export const SYNTHETIC_TEST = 1000;

/** The official archives, as distributed (and as `npm run fetch:cifar` saves them). */
const OFFICIAL_ARCHIVE: Partial<Record<DatasetName, string>> = {
  cifar10: 'cifar-10-binary.tar.gz',
  cifar100: 'cifar-100-binary.tar.gz',
};
/** The folder the official archive extracts to. */
const OFFICIAL_FOLDER: Partial<Record<DatasetName, string>> = {
  cifar10: 'cifar-10-batches-bin',
  cifar100: 'cifar-100-binary',
};

const TITLE: Record<DatasetName, string> = {
  synthetic: 'synthetic',
  cifar10: 'CIFAR-10',
  cifar100: 'CIFAR-100',
  'fashion-mnist': 'Fashion-MNIST',
};

const ARCHIVE_NAME = /\.(tar\.gz|tgz|tar)$/i;
const READ_CHUNK = 1 << 20;

/** A file-system error as one line naming the path (`PATH: no such file or directory`). */
function fileProblem(path: string, e: unknown): DatasetError {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  const problem =
    code === 'ENOENT'
      ? 'no such file or directory'
      : code === 'EACCES' || code === 'EPERM'
        ? 'permission denied'
        : code === 'EISDIR'
          ? 'is a folder (expected a file)'
          : code === 'ENOTDIR'
            ? 'a part of this path is not a folder'
            : e instanceof Error
              ? e.message.replace(/\s*\n\s*/g, ' ')
              : String(e);
  return new DatasetError(path, problem);
}

async function statOf(path: string) {
  try {
    return await stat(path);
  } catch (e) {
    throw fileProblem(path, e);
  }
}

/** A file's bytes, refusing (before reading) one larger than any real file of its name. */
async function readNamed(path: string): Promise<NamedBytes> {
  checkFileSize(path, (await statOf(path)).size);
  try {
    return { name: path, bytes: new Uint8Array(await readFile(path)) };
  } catch (e) {
    throw fileProblem(path, e);
  }
}

/** The first bytes of a file (to recognise gzip whatever the file is called). */
async function head(path: string, n: number): Promise<Uint8Array> {
  let handle;
  try {
    handle = await open(path, 'r');
    const buf = new Uint8Array(n);
    const { bytesRead } = await handle.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead);
  } catch (e) {
    throw fileProblem(path, e);
  } finally {
    await handle?.close();
  }
}

/** The file's bytes as a stream of chunks, for the streaming loaders. */
async function* fileChunks(path: string): AsyncGenerator<Uint8Array, void, undefined> {
  const stream = createReadStream(path, { highWaterMark: READ_CHUNK });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      yield new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    }
  } catch (e) {
    throw fileProblem(path, e);
  } finally {
    stream.destroy();
  }
}

export interface LoadProgress {
  /** Bytes of `file` read so far, of `total`. */
  (file: string, bytesRead: number, total: number): void;
}

async function loadArchive(path: string, total: number, onProgress?: LoadProgress): Promise<ImageDataset> {
  return loadCifarArchive(path, fileChunks(path), {
    totalBytes: total,
    onProgress: onProgress ? (n) => onProgress(path, n, total) : undefined,
  });
}

/** The files in `dir`, symbolic links to files included (a dangling link is reported by name). */
async function filesIn(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (e) {
    throw fileProblem(dir, e);
  }
  const files: string[] = [];
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isFile() || (e.isSymbolicLink() && (await statOf(path)).isFile())) files.push(path);
  }
  return files.sort();
}

async function isFolder(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/**
 * CIFAR from `path`: the official archive (any name ending .tar.gz, .tgz or .tar, or any gzip
 * file), a single .bin file, or a folder holding the .bin files, the official archive, or the
 * folder the archive extracts to.
 */
async function loadCifar(name: DatasetName, path: string, onProgress?: LoadProgress): Promise<ImageDataset> {
  const info = await statOf(path);
  if (info.isFile()) {
    if (ARCHIVE_NAME.test(path) || isGzip(await head(path, 2))) return loadArchive(path, info.size, onProgress);
    return loadCifarFiles([await readNamed(path)]);
  }
  if (!info.isDirectory()) throw new DatasetError(path, 'is neither a file nor a folder');
  const files = await filesIn(path);
  const bins = files.filter((f) => cifarRole(f) !== null);
  if (bins.length > 0) {
    const named: NamedBytes[] = [];
    for (const f of bins) named.push(await readNamed(f));
    return loadCifarFiles(named);
  }
  const archive = OFFICIAL_ARCHIVE[name];
  const folder = OFFICIAL_FOLDER[name];
  if (archive && files.includes(join(path, archive))) {
    const file = join(path, archive);
    return loadArchive(file, (await statOf(file)).size, onProgress);
  }
  if (folder && (await isFolder(join(path, folder)))) return loadCifar(name, join(path, folder), onProgress);
  throw new DatasetError(path, `contains no ${TITLE[name]} files (expected ${archive ? `${archive}, ` : ''}${CIFAR_EXPECTED_FILES})`);
}

/** Fashion-MNIST from a folder holding its four IDX files (each gzipped or not). */
async function loadFashion(path: string): Promise<ImageDataset> {
  const info = await statOf(path);
  if (!info.isDirectory()) {
    throw new DatasetError(path, 'is not a folder (expected a folder with the four Fashion-MNIST IDX files, each optionally .gz)');
  }
  const files = (await filesIn(path)).filter((f) => idxRole(f) !== null);
  if (files.length === 0) {
    throw new DatasetError(
      path,
      'contains no Fashion-MNIST files (expected train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte, each optionally .gz)',
    );
  }
  const named: NamedBytes[] = [];
  for (const f of files) named.push(await readNamed(f));
  return loadFashionMnist(named);
}

/**
 * The dataset a run trains on. The synthetic set is generated from the run's seed at the
 * app's sizes (so a CLI run and a page run with the same settings see the same images), or
 * larger when --train-size / --test-size ask for more; the runner then takes the seeded
 * subset. Files are checked to hold the dataset that --dataset names.
 */
export async function loadRunDataset(config: RunConfig, path: string | null, onProgress?: LoadProgress): Promise<ImageDataset> {
  const name = config.dataset.name;
  if (name === 'synthetic') {
    return makeSyntheticDataset({
      seed: config.seed,
      trainSize: Math.max(SYNTHETIC_TRAIN, config.dataset.trainSize),
      testSize: Math.max(SYNTHETIC_TEST, config.dataset.testSize),
    });
  }
  if (path === null) throw new Error(`--data is required for --dataset ${name}`);
  const dataset = name === 'fashion-mnist' ? await loadFashion(path) : await loadCifar(name, path, onProgress);
  if (dataset.name !== name) {
    throw new DatasetError(
      path,
      `holds ${TITLE[dataset.name]} data, but --dataset is ${name} (expected ${TITLE[name]} files; or use --dataset ${dataset.name})`,
    );
  }
  return dataset;
}

/** What --data should point to, for the help text and for the "--data is required" message. */
export function dataHint(name: DatasetName): string {
  switch (name) {
    case 'cifar10':
    case 'cifar100':
      return `the official ${OFFICIAL_ARCHIVE[name]}, or a folder with its .bin files`;
    case 'fashion-mnist':
      return 'a folder with the four Fashion-MNIST IDX files, gzipped or not';
    case 'synthetic':
      return 'nothing: the synthetic set is generated from --seed';
  }
}
