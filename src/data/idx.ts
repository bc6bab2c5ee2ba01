/**
 * Fashion-MNIST from its four IDX files (gzipped or not). Images are 28×28 grey bytes; they
 * are padded with 2 black pixels on every side to 32×32 so that the same models fit every
 * dataset.
 */
import { DatasetError } from './errors';
import { gunzipChunks, isGzip } from './gzip';
import { IdxReader, readIdxBytes, type IdxContents, type IdxKind, type IdxLimits } from './idx-reader';
import { FASHION_MNIST_COUNTS } from './limits';
import { channelStats } from './stats';
import type { ImageDataset, ImageSplit, NamedBytes } from './types';

export { IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC, type IdxKind } from './idx-reader';

export const FASHION_MNIST_CLASSES: readonly string[] = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
];

const SOURCE_SIDE = 28;
const PAD = 2;
const SIDE = SOURCE_SIDE + 2 * PAD;

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

/** Any IDX image file: up to Fashion-MNIST's count, images of at most 64×64 pixels. */
const GENERIC_IMAGE_LIMITS: IdxLimits = { maxCount: FASHION_MNIST_COUNTS.train, maxImageBytes: 64 * 64 };

/** Parses an uncompressed IDX image file (magic 2051). */
export function parseIdxImages(file: string, bytes: Uint8Array, limits: IdxLimits = GENERIC_IMAGE_LIMITS): IdxImages {
  const { dims, data } = readIdxBytes(file, 'images', bytes, limits);
  const [count, rows, cols] = dims;
  return { count, rows, cols, data };
}

function checkLabels(file: string, labels: Uint8Array, classes: number): void {
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] >= classes) {
      throw new DatasetError(file, `label ${i} (0-based) is ${labels[i]}, out of range (expected 0..${classes - 1})`);
    }
  }
}

/** Parses an uncompressed IDX label file (magic 2049); every label must be < `classes`. */
export function parseIdxLabels(file: string, bytes: Uint8Array, classes = 10, maxCount: number = FASHION_MNIST_COUNTS.train): Uint8Array {
  const labels = readIdxBytes(file, 'labels', bytes, { maxCount }).data;
  checkLabels(file, labels, classes);
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

/**
 * Reads one IDX file, plain or gzipped (told by its magic bytes). A gzipped file is
 * decompressed as it is read: the header is checked on the first bytes, and decompression
 * stops at the first byte beyond the size the header declares.
 */
async function readIdxFile(f: NamedBytes, kind: IdxKind, limits: IdxLimits): Promise<IdxContents> {
  if (!isGzip(f.bytes)) return readIdxBytes(f.name, kind, f.bytes, limits);
  const reader = new IdxReader(f.name, kind, limits);
  for await (const chunk of gunzipChunks(f.name, [f.bytes])) reader.push(chunk);
  return reader.finish();
}

async function loadSplit(split: IdxRole['split'], imagesFile: NamedBytes, labelsFile: NamedBytes): Promise<ImageSplit> {
  const maxCount = FASHION_MNIST_COUNTS[split];
  const images = await readIdxFile(imagesFile, 'images', { maxCount, side: SOURCE_SIDE });
  const labels = (await readIdxFile(labelsFile, 'labels', { maxCount })).data;
  checkLabels(labelsFile.name, labels, FASHION_MNIST_CLASSES.length);
  const count = images.dims[0];
  if (labels.length !== count) {
    throw new DatasetError(
      labelsFile.name,
      `has ${labels.length} labels but ${imagesFile.name} has ${count} images (expected one label per image)`,
    );
  }
  return {
    images: padImages(images.data, count, SOURCE_SIDE, SOURCE_SIDE, PAD),
    labels,
    count,
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
    throw new DatasetError(given, `missing ${missing.join(', ')} (expected the four Fashion-MNIST IDX files, each optionally .gz)`);
  }
  const get = (key: string): NamedBytes => byRole.get(key) as NamedBytes;
  const train = await loadSplit('train', get('train-images'), get('train-labels'));
  const test = await loadSplit('t10k', get('t10k-images'), get('t10k-labels'));
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
