/**
 * Fashion-MNIST from its four IDX files (gzipped or not). Images are 28×28 grey bytes; they
 * are padded with 2 black pixels on every side to 32×32 so that the same models fit every
 * dataset.
 */
import { DatasetError, bytesText } from './errors';
import { gunzipBytes, isGzip } from './gzip';
import { channelStats } from './stats';
import type { ImageDataset, ImageSplit, NamedBytes } from './types';

export const FASHION_MNIST_CLASSES: readonly string[] = [
  'T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot',
];

export const IDX_IMAGES_MAGIC = 2051; // 0x00000803: unsigned bytes, 3 dimensions
export const IDX_LABELS_MAGIC = 2049; // 0x00000801: unsigned bytes, 1 dimension
const SOURCE_SIDE = 28;
const PAD = 2;
const SIDE = SOURCE_SIDE + 2 * PAD;

export type IdxKind = 'images' | 'labels';

export interface IdxRole {
  split: 'train' | 't10k';
  kind: IdxKind;
}

export const FASHION_MNIST_FILES = [
  'train-images-idx3-ubyte',
  'train-labels-idx1-ubyte',
  't10k-images-idx3-ubyte',
  't10k-labels-idx1-ubyte',
] as const;

/** Recognises an IDX file by name (`train-images-idx3-ubyte`, optionally `.gz`, any folder). */
export function idxRole(path: string): IdxRole | null {
  const parts = path.split(/[\\/]/);
  const m = /^(train|t10k)-(images|labels)[-.]idx[13]-ubyte(\.gz)?$/i.exec(parts[parts.length - 1]);
  if (!m) return null;
  return { split: m[1].toLowerCase() as IdxRole['split'], kind: m[2].toLowerCase() as IdxKind };
}

export interface IdxImages {
  count: number;
  rows: number;
  cols: number;
  /** count × rows × cols bytes. */
  data: Uint8Array;
}

function u32(bytes: Uint8Array, at: number): number {
  return ((bytes[at] << 24) | (bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3]) >>> 0;
}

function header(file: string, bytes: Uint8Array, kind: IdxKind): number[] {
  const magic = kind === 'images' ? IDX_IMAGES_MAGIC : IDX_LABELS_MAGIC;
  const dims = kind === 'images' ? 3 : 1;
  const headerBytes = 4 + 4 * dims;
  const what = `an IDX ${kind} file`;
  if (bytes.length < 4) {
    throw new DatasetError(file, `too short (${bytesText(bytes.length)}; expected ${what} starting with magic number ${magic})`);
  }
  const found = u32(bytes, 0);
  if (found !== magic) {
    throw new DatasetError(file, `wrong magic number ${found} (expected ${magic} for ${what})`);
  }
  if (bytes.length < headerBytes) {
    throw new DatasetError(file, `header is truncated (${bytesText(bytes.length)}; expected ${headerBytes} header bytes for ${what})`);
  }
  const out: number[] = [];
  for (let d = 0; d < dims; d++) out.push(u32(bytes, 4 + 4 * d));
  const expected = headerBytes + out.reduce((a, b) => a * b, 1);
  if (bytes.length !== expected) {
    const shape = out.join('×');
    throw new DatasetError(
      file,
      `has ${bytesText(bytes.length)}, expected ${expected} (a ${headerBytes}-byte header + ${shape} ${kind === 'images' ? 'pixel' : 'label'} bytes as the header says)`,
    );
  }
  return out;
}

/** Parses an uncompressed IDX image file (magic 2051). */
export function parseIdxImages(file: string, bytes: Uint8Array): IdxImages {
  const [count, rows, cols] = header(file, bytes, 'images');
  return { count, rows, cols, data: bytes.subarray(16) };
}

/** Parses an uncompressed IDX label file (magic 2049); every label must be < `classes`. */
export function parseIdxLabels(file: string, bytes: Uint8Array, classes = 10): Uint8Array {
  const [count] = header(file, bytes, 'labels');
  const labels = bytes.subarray(8, 8 + count);
  for (let i = 0; i < count; i++) {
    if (labels[i] >= classes) {
      throw new DatasetError(file, `label ${i} (0-based) is ${labels[i]}, out of range (expected 0..${classes - 1})`);
    }
  }
  return labels;
}

/** Copies `count` images of rows×cols into the middle of side×side black images. */
export function padImages(data: Uint8Array, count: number, rows: number, cols: number, pad: number): Uint8Array {
  const outRows = rows + 2 * pad;
  const outCols = cols + 2 * pad;
  const out = new Uint8Array(count * outRows * outCols);
  for (let n = 0; n < count; n++) {
    for (let r = 0; r < rows; r++) {
      const src = (n * rows + r) * cols;
      out.set(data.subarray(src, src + cols), (n * outRows + r + pad) * outCols + pad);
    }
  }
  return out;
}

async function plainBytes(f: NamedBytes): Promise<Uint8Array> {
  return isGzip(f.bytes) ? gunzipBytes(f.name, f.bytes) : f.bytes;
}

async function loadSplit(imagesFile: NamedBytes, labelsFile: NamedBytes): Promise<ImageSplit> {
  const images = parseIdxImages(imagesFile.name, await plainBytes(imagesFile));
  if (images.rows !== SOURCE_SIDE || images.cols !== SOURCE_SIDE) {
    throw new DatasetError(
      imagesFile.name,
      `images are ${images.rows}×${images.cols}, expected ${SOURCE_SIDE}×${SOURCE_SIDE} (Fashion-MNIST)`,
    );
  }
  const labels = parseIdxLabels(labelsFile.name, await plainBytes(labelsFile));
  if (labels.length !== images.count) {
    throw new DatasetError(
      labelsFile.name,
      `has ${labels.length} labels but ${imagesFile.name} has ${images.count} images (expected one label per image)`,
    );
  }
  return {
    images: padImages(images.data, images.count, SOURCE_SIDE, SOURCE_SIDE, PAD),
    labels: labels.slice(),
    count: images.count,
  };
}

/**
 * Loads Fashion-MNIST from its four IDX files, recognised by name; each may be gzipped
 * (detected by its magic bytes, whatever the name says).
 */
export async function loadFashionMnist(files: readonly NamedBytes[]): Promise<ImageDataset> {
  const byRole = new Map<string, NamedBytes>();
  for (const f of files) {
    const role = idxRole(f.name);
    if (!role) continue;
    const key = `${role.split}-${role.kind}`;
    const prev = byRole.get(key);
    if (prev) throw new DatasetError(f.name, `duplicates ${prev.name} (expected each IDX file once)`);
    byRole.set(key, f);
  }
  const missing = FASHION_MNIST_FILES.filter((n) => {
    const role = idxRole(n) as IdxRole;
    return !byRole.has(`${role.split}-${role.kind}`);
  });
  if (missing.length > 0) {
    const given = files.map((f) => f.name).join(', ') || 'no files';
    throw new DatasetError(
      given,
      `missing ${missing.join(', ')} (expected the four Fashion-MNIST IDX files, each optionally .gz)`,
    );
  }
  const get = (key: string): NamedBytes => byRole.get(key) as NamedBytes;
  const train = await loadSplit(get('train-images'), get('train-labels'));
  const test = await loadSplit(get('t10k-images'), get('t10k-labels'));
  const { mean, std } = channelStats(train.images, 1);
  return {
    name: 'fashion-mnist',
    classNames: [...FASHION_MNIST_CLASSES],
    height: SIDE,
    width: SIDE,
    channels: 1,
    train,
    test,
    mean,
    std,
  };
}
