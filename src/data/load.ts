/**
 * Loading CIFAR-10 / CIFAR-100 from the official `.tar.gz` archives (streamed) or from their
 * `.bin` files, and dispatching a set of dropped files to the right loader.
 */
import {
  CIFAR10_CLASSES,
  CIFAR100_CLASSES,
  CIFAR_SIDE,
  ClassNamesCollector,
  CifarRecordReader,
  concatSplits,
  cifarFormat,
  parseClassNames,
  type CifarLayout,
  type CifarSplit,
} from './cifar';
import { DatasetError } from './errors';
import { CIFAR100_RECORDS, CIFAR10_BATCH_RECORDS, CIFAR10_TRAIN_BATCHES, FASHION_MNIST_COUNTS, MAX_CLASS_NAMES_BYTES } from './limits';
import { gunzipChunks, isGzip } from './gzip';
import { loadFashionMnist, idxRole } from './idx';
import { channelStats } from './stats';
import { counted, type ByteSource } from './streams';
import { readTar, type TarSink } from './tar';
import type { ImageDataset, NamedBytes } from './types';

export interface LoadOptions {
  /** Size of the whole input in bytes, when known (File.size, content-length), for progress. */
  totalBytes?: number;
  /** Called as the input is read: bytes read so far (of the compressed archive) and the total if known. */
  onProgress?: (bytesRead: number, totalBytes: number | undefined) => void;
}

/** What a file inside a CIFAR distribution is. */
export type CifarRole =
  | { layout: CifarLayout; kind: 'train'; order: number }
  | { layout: CifarLayout; kind: 'test' }
  | { layout: CifarLayout; kind: 'names' }
  | { layout: CifarLayout; kind: 'other' };

export const CIFAR_EXPECTED_FILES =
  'CIFAR-10: cifar-10-batches-bin/data_batch_1..5.bin, test_batch.bin, batches.meta.txt; ' +
  'CIFAR-100: cifar-100-binary/train.bin, test.bin, fine_label_names.txt';

function baseName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1];
}

/** Recognises a CIFAR file by its name (the folder is not needed); null for anything else. */
export function cifarRole(path: string): CifarRole | null {
  if (/(^|[\\/])__MACOSX[\\/]/.test(path)) return null;
  const base = baseName(path);
  if (base.startsWith('._')) return null; // macOS resource-fork twins
  const batch = /^data_batch_(\d+)\.bin$/.exec(base);
  if (batch) return { layout: 'cifar10', kind: 'train', order: Number(batch[1]) };
  switch (base) {
    case 'test_batch.bin':
      return { layout: 'cifar10', kind: 'test' };
    case 'batches.meta.txt':
      return { layout: 'cifar10', kind: 'names' };
    case 'train.bin':
      return { layout: 'cifar100', kind: 'train', order: 1 };
    case 'test.bin':
      return { layout: 'cifar100', kind: 'test' };
    case 'fine_label_names.txt':
      return { layout: 'cifar100', kind: 'names' };
    case 'coarse_label_names.txt':
      return { layout: 'cifar100', kind: 'other' };
    default:
      return null;
  }
}

const LAYOUT_TITLE: Record<CifarLayout, string> = { cifar10: 'CIFAR-10', cifar100: 'CIFAR-100' };

/** The most records a real file in this role holds; a file claiming more is refused before it is read. */
export function maxRecordsFor(role: CifarRole): number {
  if (role.layout === 'cifar10') return CIFAR10_BATCH_RECORDS;
  return role.kind === 'train' ? CIFAR100_RECORDS.train : CIFAR100_RECORDS.test;
}

/** The largest real IDX file (Fashion-MNIST's training images), with room for gzip's overhead. */
const IDX_FILE_BYTES = 16 + FASHION_MNIST_COUNTS.train * 28 * 28 + (1 << 20);

/**
 * The most bytes a dataset file of this name can hold, for a size check before a whole file is
 * read into memory; null for names no loader reads whole (archives are streamed).
 */
export function maxFileBytes(path: string): number | null {
  if (idxRole(path)) return IDX_FILE_BYTES;
  const role = cifarRole(path);
  if (!role) return null;
  if (role.kind === 'train' || role.kind === 'test') return maxRecordsFor(role) * cifarFormat(role.layout).recordBytes;
  return MAX_CLASS_NAMES_BYTES;
}

/** Refuses, by name, a file larger than any real one of its name (before it is read). */
export function checkFileSize(path: string, size: number): void {
  const max = maxFileBytes(path);
  if (max !== null && size > max)
    throw new DatasetError(path, `is ${size} bytes, more than a real file of this name holds (at most ${max})`);
}

const OFFICIAL_COUNTS: Record<CifarLayout, { train: number; test: number }> = {
  cifar10: { train: CIFAR10_BATCH_RECORDS * CIFAR10_TRAIN_BATCHES, test: CIFAR10_BATCH_RECORDS },
  cifar100: CIFAR100_RECORDS,
};

function batchName(order: number): string {
  return `data_batch_${order}.bin`;
}

/** Collects the parts of one CIFAR dataset and checks that they fit together. */
class CifarAssembly {
  layout: CifarLayout | null = null;
  private layoutFile = '';
  private readonly train: { order: number; file: string; split: CifarSplit }[] = [];
  private test: { file: string; split: CifarSplit } | null = null;
  private names: string[] | null = null;
  readonly seen: string[] = [];

  constructor(private readonly source: string) {}

  /** Checks that `path` belongs to the same dataset as the files before it. */
  accept(path: string, role: CifarRole, file: string): void {
    if (this.layout && this.layout !== role.layout) {
      throw new DatasetError(
        file,
        `is a ${LAYOUT_TITLE[role.layout]} file but ${this.layoutFile} is ${LAYOUT_TITLE[this.layout]} (expected files of one dataset)`,
      );
    }
    this.layout = role.layout;
    this.layoutFile = file;
    this.seen.push(path);
  }

  private readonly claimedBatches = new Map<number, string>();
  private claimedTrainRecords = 0;
  private claimedTest: string | null = null;

  /**
   * Called before a batch file is read, with the size it claims: refuses a repeated batch, and
   * training batches that add up to more records than the official set has (a stack of
   * data_batch_N.bin files each within its own limit could otherwise ask for any amount).
   */
  reserve(role: CifarRole, byteLength: number, file: string): void {
    if (role.kind === 'test') {
      if (this.claimedTest) throw new DatasetError(file, `duplicates ${this.claimedTest} (expected one test batch)`);
      this.claimedTest = file;
      return;
    }
    if (role.kind !== 'train') return;
    const records = Math.floor(byteLength / cifarFormat(role.layout).recordBytes);
    if (records > maxRecordsFor(role)) return; // the file alone is too large: its reader says so
    const dup = this.claimedBatches.get(role.order);
    if (dup) throw new DatasetError(file, `duplicates ${dup} (expected each training batch once)`);
    this.claimedBatches.set(role.order, file);
    this.claimedTrainRecords += records;
    const max = OFFICIAL_COUNTS[role.layout].train;
    if (this.claimedTrainRecords > max) {
      throw new DatasetError(
        file,
        `brings the training records to ${this.claimedTrainRecords}, more than the ${max} of the official ${LAYOUT_TITLE[role.layout]} set`,
      );
    }
  }

  addTrain(order: number, file: string, split: CifarSplit): void {
    const dup = this.train.find((t) => t.order === order);
    if (dup) throw new DatasetError(file, `duplicates ${dup.file} (expected each training batch once)`);
    this.train.push({ order, file, split });
  }

  addTest(file: string, split: CifarSplit): void {
    if (this.test) throw new DatasetError(file, `duplicates ${this.test.file} (expected one test batch)`);
    this.test = { file, split };
  }

  setNames(file: string, text: string): void {
    if (!this.layout) return;
    this.names = parseClassNames(file, text, cifarFormat(this.layout).classes);
  }

  build(foundNames: readonly string[]): ImageDataset {
    const layout = this.layout;
    if (!layout) {
      const found = foundNames.length === 0 ? 'nothing' : listNames(foundNames);
      throw new DatasetError(this.source, `contains no CIFAR files (expected ${CIFAR_EXPECTED_FILES}; found ${found})`);
    }
    const expectedTrain = layout === 'cifar10' ? 'data_batch_1..5.bin' : 'train.bin';
    const expectedTest = layout === 'cifar10' ? 'test_batch.bin' : 'test.bin';
    if (this.train.length === 0) {
      throw new DatasetError(this.source, `has no ${LAYOUT_TITLE[layout]} training data (expected ${expectedTrain})`);
    }
    if (!this.test) {
      throw new DatasetError(this.source, `has no ${LAYOUT_TITLE[layout]} test data (expected ${expectedTest})`);
    }
    const sorted = [...this.train].sort((a, b) => a.order - b.order);
    const train = concatSplits(sorted.map((t) => t.split));
    const { mean, std } = channelStats(train.images, 3);
    const classNames = this.names ?? [...(layout === 'cifar10' ? CIFAR10_CLASSES : CIFAR100_CLASSES)];
    const notes = this.completenessNotes(
      layout,
      sorted.map((t) => t.order),
      train.count,
      this.test.split.count,
    );
    return {
      ...(notes.length ? { notes } : {}),
      name: layout,
      classNames,
      height: CIFAR_SIDE,
      width: CIFAR_SIDE,
      channels: 3,
      train,
      test: this.test.split,
      mean,
      std,
    };
  }

  /** What differs from the official set: batches missing or unexpected, fewer images. */
  private completenessNotes(layout: CifarLayout, orders: readonly number[], trainCount: number, testCount: number): string[] {
    const notes: string[] = [];
    if (layout === 'cifar10') {
      const official = Array.from({ length: CIFAR10_TRAIN_BATCHES }, (_, i) => i + 1);
      const missing = official.filter((n) => !orders.includes(n));
      const odd = orders.filter((n) => !official.includes(n));
      if (missing.length || odd.length) {
        const parts = [`found training batches ${orders.map(batchName).join(', ')}`];
        if (missing.length) parts.push(`missing ${missing.map(batchName).join(', ')}`);
        if (odd.length)
          parts.push(
            `${odd.map(batchName).join(', ')} ${odd.length === 1 ? 'is' : 'are'} not part of the official set (data_batch_1..5.bin)`,
          );
        notes.push(`${this.source}: ${parts.join('; ')}. Training uses the batches found.`);
      }
    }
    const expected = OFFICIAL_COUNTS[layout];
    if (trainCount !== expected.train || testCount !== expected.test) {
      notes.push(
        `${this.source}: ${trainCount} training and ${testCount} test images; the official ${LAYOUT_TITLE[layout]} has ${expected.train} and ${expected.test}.`,
      );
    }
    return notes;
  }
}

function listNames(names: readonly string[]): string {
  const shown = names.slice(0, 8).join(', ');
  return names.length > 8 ? `${shown} and ${names.length - 8} more` : shown;
}

/**
 * Loads CIFAR-10 or CIFAR-100 from the official archive (`cifar-10-binary.tar.gz`,
 * `cifar-100-binary.tar.gz`; a plain `.tar` is read when `name` ends in `.tar`), telling the
 * two apart by the members' names. The archive is decompressed and parsed as it streams:
 * each batch's records are converted as their bytes arrive.
 */
export async function loadCifarArchive(name: string, stream: ByteSource, opts: LoadOptions = {}): Promise<ImageDataset> {
  const { onProgress, totalBytes } = opts;
  let input: ByteSource = stream;
  if (onProgress) {
    onProgress(0, totalBytes);
    input = counted(stream, (n) => onProgress(n, totalBytes));
  }
  const tarStream = /\.tar$/i.test(name) ? input : gunzipChunks(name, input);
  const assembly = new CifarAssembly(name);
  const found: string[] = [];

  await readTar(name, tarStream, (member): TarSink | null => {
    found.push(member.path);
    const role = cifarRole(member.path);
    if (!role) return null;
    const file = `${name}/${member.path}`;
    assembly.accept(member.path, role, file);
    if (role.kind === 'train' || role.kind === 'test') {
      assembly.reserve(role, member.size, file);
      const reader = new CifarRecordReader(file, role.layout, member.size, maxRecordsFor(role));
      return {
        write: (chunk) => reader.push(chunk),
        end: () => {
          const split = reader.finish();
          if (role.kind === 'train') assembly.addTrain(role.order, file, split);
          else assembly.addTest(file, split);
        },
      };
    }
    if (role.kind === 'names') {
      const names = new ClassNamesCollector(file);
      return {
        write: (chunk) => names.push(chunk),
        end: () => assembly.setNames(file, names.text()),
      };
    }
    return null;
  });
  return assembly.build(found);
}

/** Loads CIFAR-10 or CIFAR-100 from its `.bin` files (and, optionally, the class-name text file). */
export function loadCifarFiles(files: readonly NamedBytes[]): ImageDataset {
  const assembly = new CifarAssembly(files.length === 1 ? files[0].name : files.map((f) => f.name).join(', '));
  const namesFiles: NamedBytes[] = [];
  for (const f of files) {
    const role = cifarRole(f.name);
    if (!role) continue;
    assembly.accept(f.name, role, f.name);
    if (role.kind === 'train' || role.kind === 'test') {
      assembly.reserve(role, f.bytes.length, f.name);
      const reader = new CifarRecordReader(f.name, role.layout, f.bytes.length, maxRecordsFor(role));
      reader.push(f.bytes);
      const split = reader.finish();
      if (role.kind === 'train') assembly.addTrain(role.order, f.name, split);
      else assembly.addTest(f.name, split);
    } else if (role.kind === 'names') {
      namesFiles.push(f);
    }
  }
  for (const f of namesFiles) {
    const names = new ClassNamesCollector(f.name);
    names.push(f.bytes);
    assembly.setNames(f.name, names.text());
  }
  return assembly.build(files.map((f) => f.name));
}

/**
 * Loads whatever dataset a set of dropped or picked files holds: a CIFAR archive
 * (`.tar.gz`, `.tgz`, `.tar`, or any single gzip file), CIFAR `.bin` files, or the four
 * Fashion-MNIST IDX files.
 */
export async function loadDatasetFiles(files: readonly NamedBytes[], opts: LoadOptions = {}): Promise<ImageDataset> {
  if (files.length === 0)
    throw new DatasetError('(no files)', `nothing to load (expected ${CIFAR_EXPECTED_FILES}; or the four Fashion-MNIST IDX files)`);
  if (files.some((f) => idxRole(f.name))) return loadFashionMnist(files);
  if (files.length === 1) {
    const f = files[0];
    if (/\.(tar\.gz|tgz|tar)$/i.test(f.name) || (isGzip(f.bytes) && !cifarRole(f.name))) {
      return loadCifarArchive(f.name, [f.bytes], { ...opts, totalBytes: opts.totalBytes ?? f.bytes.length });
    }
  }
  return loadCifarFiles(files);
}
