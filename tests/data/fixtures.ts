/**
 * Test inputs generated in memory: tar archives (a small ustar writer), gzip (the platform's
 * CompressionStream), CIFAR-10/100 batch files and archives, and IDX files. No binary
 * fixtures are committed.
 */
import { Rng } from '../../src/engine/random';
import { concatBytes } from '../../src/data/streams';
import type { NamedBytes } from '../../src/data/types';

const enc = new TextEncoder();

export interface TarEntrySpec {
  path: string;
  data?: Uint8Array | string;
  /** Header type flag: '0' file (default), '5' directory, '2' symlink, ... */
  type?: string;
  /** Write a long path as a GNU 'L' entry instead of splitting it into the ustar prefix. */
  gnuLongName?: boolean;
}

function writeString(block: Uint8Array, at: number, length: number, text: string): void {
  const bytes = enc.encode(text);
  if (bytes.length > length) throw new Error(`tar field too long: ${text}`);
  block.set(bytes, at);
}

function writeOctal(block: Uint8Array, at: number, length: number, value: number): void {
  writeString(block, at, length, value.toString(8).padStart(length - 1, '0') + '\0');
}

/** One ustar header block for `path` claiming `size` bytes (for archives that lie about sizes). */
export function headerBlock(path: string, size: number, type = '0', gnu = false): Uint8Array {
  const block = new Uint8Array(512);
  let name = path;
  let prefix = '';
  if (enc.encode(path).length > 100 && !gnu) {
    const cut = path.lastIndexOf('/', path.length - 2);
    if (cut <= 0 || cut > 155 || path.length - cut - 1 > 100) throw new Error(`path too long for ustar: ${path}`);
    prefix = path.slice(0, cut);
    name = path.slice(cut + 1);
  }
  writeString(block, 0, 100, gnu ? name.slice(0, 100) : name);
  writeOctal(block, 100, 8, type === '5' ? 0o755 : 0o644);
  writeOctal(block, 108, 8, 1000);
  writeOctal(block, 116, 8, 1000);
  writeOctal(block, 124, 12, size);
  writeOctal(block, 136, 12, 1_700_000_000);
  block[156] = type.charCodeAt(0);
  if (gnu) {
    writeString(block, 257, 8, 'ustar  \0');
  } else {
    writeString(block, 257, 6, 'ustar\0');
    writeString(block, 263, 2, '00');
    writeString(block, 345, 155, prefix);
  }
  writeString(block, 265, 32, 'test');
  writeString(block, 297, 32, 'test');
  block.fill(0x20, 148, 156);
  let sum = 0;
  for (const b of block) sum += b;
  writeString(block, 148, 8, sum.toString(8).padStart(6, '0') + '\0 ');
  return block;
}

/** A tar archive of `entries`, ending with two zero blocks (unless `endBlocks` says otherwise). */
export function makeTar(entries: TarEntrySpec[], endBlocks = 2): Uint8Array {
  const parts: Uint8Array[] = [];
  const pad = (n: number) => new Uint8Array((512 - (n % 512)) % 512);
  for (const e of entries) {
    const data = typeof e.data === 'string' ? enc.encode(e.data) : (e.data ?? new Uint8Array(0));
    const type = e.type ?? '0';
    if (e.gnuLongName) {
      const longName = enc.encode(e.path + '\0');
      parts.push(headerBlock('././@LongLink', longName.length, 'L', true), longName, pad(longName.length));
    }
    parts.push(headerBlock(e.path, data.length, type, e.gnuLongName));
    if (data.length > 0) parts.push(data, pad(data.length));
  }
  for (let i = 0; i < endBlocks; i++) parts.push(new Uint8Array(512));
  return concat(parts);
}

/** Test files join byte arrays with the data layer's own helper. */
export const concat = concatBytes;

export async function gzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** A stream over `bytes` in chunks whose sizes cycle through `sizes` (to hit every boundary case). */
export function streamOf(bytes: Uint8Array, sizes: number | number[] = 4096): ReadableStream<Uint8Array> {
  const list = typeof sizes === 'number' ? [sizes] : sizes;
  let at = 0;
  let k = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (at >= bytes.length) {
        controller.close();
        return;
      }
      const n = list[k++ % list.length];
      controller.enqueue(bytes.slice(at, at + n));
      at += n;
    },
  });
}

export type Layout = 'cifar10' | 'cifar100';

export interface CifarBatch {
  /** The batch file's bytes in the official layout. */
  bin: Uint8Array;
  /** What a parser must produce: NHWC pixels and labels (fine labels for CIFAR-100). */
  images: Uint8Array;
  labels: Uint8Array;
  coarse: Uint8Array;
  count: number;
}

/** `count` random CIFAR records; pixel (n, y, x, c) is random, so layout mistakes show. */
export function cifarBatch(layout: Layout, count: number, seed: number): CifarBatch {
  const rng = new Rng(seed);
  const labelBytes = layout === 'cifar10' ? 1 : 2;
  const record = labelBytes + 3072;
  const bin = new Uint8Array(count * record);
  const images = new Uint8Array(count * 3072);
  const labels = new Uint8Array(count);
  const coarse = new Uint8Array(count);
  for (let n = 0; n < count; n++) {
    const base = n * record;
    labels[n] = rng.int(layout === 'cifar10' ? 10 : 100);
    coarse[n] = rng.int(20);
    if (layout === 'cifar10') bin[base] = labels[n];
    else {
      bin[base] = coarse[n];
      bin[base + 1] = labels[n];
    }
    for (let c = 0; c < 3; c++) {
      for (let p = 0; p < 1024; p++) {
        const v = rng.int(256);
        bin[base + labelBytes + c * 1024 + p] = v;
        images[n * 3072 + p * 3 + c] = v;
      }
    }
  }
  return { bin, images, labels, coarse, count };
}

export interface CifarArchive {
  /** The .tar.gz bytes. */
  gz: Uint8Array;
  tar: Uint8Array;
  train: CifarBatch[];
  test: CifarBatch;
  classNames: string[] | null;
}

export interface ArchiveOptions {
  batches?: number;
  perBatch?: number;
  testCount?: number;
  /** Include batches.meta.txt / fine_label_names.txt with these names (null: leave it out). */
  classNames?: string[] | null;
  seed?: number;
  /** Extra entries (READMEs, directories) mixed in. */
  extra?: TarEntrySpec[];
}

export async function makeCifarArchive(layout: Layout, opts: ArchiveOptions = {}): Promise<CifarArchive> {
  const { perBatch = 7, testCount = 5, seed = 1, classNames = null, extra = [] } = opts;
  const batches = layout === 'cifar10' ? (opts.batches ?? 2) : 1;
  const dir = layout === 'cifar10' ? 'cifar-10-batches-bin' : 'cifar-100-binary';
  const train = Array.from({ length: batches }, (_, i) => cifarBatch(layout, perBatch, seed * 100 + i));
  const test = cifarBatch(layout, testCount, seed * 100 + 99);
  const entries: TarEntrySpec[] = [{ path: `${dir}/`, type: '5' }, ...extra];
  if (classNames) {
    const file = layout === 'cifar10' ? 'batches.meta.txt' : 'fine_label_names.txt';
    entries.push({ path: `${dir}/${file}`, data: classNames.join('\n') + '\n\n' });
  }
  if (layout === 'cifar10') {
    // Out of order on purpose: batches are joined by number, not by archive order.
    for (let i = batches - 1; i >= 0; i--) entries.push({ path: `${dir}/data_batch_${i + 1}.bin`, data: train[i].bin });
    entries.push({ path: `${dir}/test_batch.bin`, data: test.bin });
  } else {
    entries.push({ path: `${dir}/train.bin`, data: train[0].bin });
    entries.push({ path: `${dir}/test.bin`, data: test.bin });
    entries.push({ path: `${dir}/coarse_label_names.txt`, data: 'aquatic_mammals\nfish\n' });
  }
  const tar = makeTar(entries);
  return { gz: await gzip(tar), tar, train, test, classNames };
}

/** An IDX image file: magic 2051, count, rows, cols, then the pixels. */
export function idxImages(count: number, rows: number, cols: number, pixels: Uint8Array, magic = 2051): Uint8Array {
  const out = new Uint8Array(16 + pixels.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, magic);
  view.setUint32(4, count);
  view.setUint32(8, rows);
  view.setUint32(12, cols);
  out.set(pixels, 16);
  return out;
}

/** An IDX label file: magic 2049, count, then the labels. */
export function idxLabels(labels: Uint8Array, count = labels.length, magic = 2049): Uint8Array {
  const out = new Uint8Array(8 + labels.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, magic);
  view.setUint32(4, count);
  out.set(labels, 8);
  return out;
}

export interface FashionFixture {
  files: NamedBytes[];
  train: { pixels: Uint8Array; labels: Uint8Array; count: number };
  test: { pixels: Uint8Array; labels: Uint8Array; count: number };
}

/** The four Fashion-MNIST files with random 28×28 images; gzipped when `gz`. */
export async function fashionFiles(trainCount: number, testCount: number, gz: boolean, seed = 3): Promise<FashionFixture> {
  const rng = new Rng(seed);
  const make = (count: number) => {
    const pixels = new Uint8Array(count * 784);
    for (let i = 0; i < pixels.length; i++) pixels[i] = rng.int(256);
    const labels = new Uint8Array(count);
    for (let i = 0; i < count; i++) labels[i] = rng.int(10);
    return { pixels, labels, count };
  };
  const train = make(trainCount);
  const test = make(testCount);
  const raw: NamedBytes[] = [
    { name: 'train-images-idx3-ubyte', bytes: idxImages(trainCount, 28, 28, train.pixels) },
    { name: 'train-labels-idx1-ubyte', bytes: idxLabels(train.labels) },
    { name: 't10k-images-idx3-ubyte', bytes: idxImages(testCount, 28, 28, test.pixels) },
    { name: 't10k-labels-idx1-ubyte', bytes: idxLabels(test.labels) },
  ];
  const files = gz ? await Promise.all(raw.map(async (f) => ({ name: `${f.name}.gz`, bytes: await gzip(f.bytes) }))) : raw;
  return { files, train, test };
}

/**
 * Index of the first difference between two typed arrays (−1 when equal, the shorter
 * length when one is a prefix of the other). `expect(firstDiff(a, b)).toBe(-1)` is fast
 * on megabytes, where a deep `toEqual` takes seconds.
 */
export function firstDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}
