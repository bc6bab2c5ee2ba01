/**
 * CIFAR-10 / CIFAR-100 binary records.
 *
 * A record is the label byte(s) then 3072 pixel bytes stored plane by plane (1024 red,
 * 1024 green, 1024 blue, each row-major 32×32). Records are converted to the project's
 * NHWC layout as they arrive, so a batch file can be parsed chunk by chunk while an
 * archive streams.
 */
import { DatasetError, bytesText } from './errors';
import { CIFAR100_RECORDS, CIFAR10_BATCH_RECORDS, MAX_CLASS_NAMES_BYTES } from './limits';
import type { ImageSplit } from './types';

export type CifarLayout = 'cifar10' | 'cifar100';

export const CIFAR_SIDE = 32;
export const CIFAR_PIXELS = CIFAR_SIDE * CIFAR_SIDE;
export const CIFAR_IMAGE_BYTES = 3 * CIFAR_PIXELS;

export const CIFAR10_CLASSES: readonly string[] = [
  'airplane',
  'automobile',
  'bird',
  'cat',
  'deer',
  'dog',
  'frog',
  'horse',
  'ship',
  'truck',
];

export const CIFAR100_CLASSES: readonly string[] = [
  'apple',
  'aquarium_fish',
  'baby',
  'bear',
  'beaver',
  'bed',
  'bee',
  'beetle',
  'bicycle',
  'bottle',
  'bowl',
  'boy',
  'bridge',
  'bus',
  'butterfly',
  'camel',
  'can',
  'castle',
  'caterpillar',
  'cattle',
  'chair',
  'chimpanzee',
  'clock',
  'cloud',
  'cockroach',
  'couch',
  'crab',
  'crocodile',
  'cup',
  'dinosaur',
  'dolphin',
  'elephant',
  'flatfish',
  'forest',
  'fox',
  'girl',
  'hamster',
  'house',
  'kangaroo',
  'keyboard',
  'lamp',
  'lawn_mower',
  'leopard',
  'lion',
  'lizard',
  'lobster',
  'man',
  'maple_tree',
  'motorcycle',
  'mountain',
  'mouse',
  'mushroom',
  'oak_tree',
  'orange',
  'orchid',
  'otter',
  'palm_tree',
  'pear',
  'pickup_truck',
  'pine_tree',
  'plain',
  'plate',
  'poppy',
  'porcupine',
  'possum',
  'rabbit',
  'raccoon',
  'ray',
  'road',
  'rocket',
  'rose',
  'sea',
  'seal',
  'shark',
  'shrew',
  'skunk',
  'skyscraper',
  'snail',
  'snake',
  'spider',
  'squirrel',
  'streetcar',
  'sunflower',
  'sweet_pepper',
  'table',
  'tank',
  'telephone',
  'television',
  'tiger',
  'tractor',
  'train',
  'trout',
  'tulip',
  'turtle',
  'wardrobe',
  'whale',
  'willow_tree',
  'wolf',
  'woman',
  'worm',
];

export interface CifarFormat {
  /** 'CIFAR-10' or 'CIFAR-100', for messages. */
  title: string;
  labelBytes: number;
  recordBytes: number;
  classes: number;
  recordText: string;
}

export function cifarFormat(layout: CifarLayout): CifarFormat {
  return layout === 'cifar10'
    ? {
        title: 'CIFAR-10',
        labelBytes: 1,
        recordBytes: 1 + CIFAR_IMAGE_BYTES,
        classes: 10,
        recordText: '1 label byte + 3072 pixel bytes',
      }
    : {
        title: 'CIFAR-100',
        labelBytes: 2,
        recordBytes: 2 + CIFAR_IMAGE_BYTES,
        classes: 100,
        recordText: '1 coarse label byte + 1 fine label byte + 3072 pixel bytes',
      };
}

/** A CIFAR split; CIFAR-100 splits also keep the coarse (superclass) labels. */
export interface CifarSplit extends ImageSplit {
  coarseLabels?: Uint8Array;
}

/** The most records any file of this layout may hold (a CIFAR-10 batch; CIFAR-100's train.bin). */
export function maxCifarRecords(layout: CifarLayout): number {
  return layout === 'cifar10' ? CIFAR10_BATCH_RECORDS : CIFAR100_RECORDS.train;
}

/**
 * Parses one CIFAR batch file of known length, fed in chunks of any size. The length is
 * checked up front (a whole number of records, at most `maxRecords` of them), so a wrong or
 * oversized file is rejected before any of it is read or any memory is allocated for it.
 */
export class CifarRecordReader {
  readonly count: number;
  private readonly format: CifarFormat;
  private readonly images: Uint8Array;
  private readonly labels: Uint8Array;
  private readonly coarse: Uint8Array | null;
  private readonly carry: Uint8Array;
  private carryFill = 0;
  private done = 0; // records converted

  constructor(
    readonly file: string,
    readonly layout: CifarLayout,
    readonly byteLength: number,
    maxRecords: number = maxCifarRecords(layout),
  ) {
    const f = (this.format = cifarFormat(layout));
    if (!Number.isSafeInteger(byteLength) || byteLength < 0) {
      throw new DatasetError(file, `claims an impossible size of ${byteLength} bytes`);
    }
    if (byteLength === 0) {
      throw new DatasetError(file, `empty file (expected ${f.title} records of ${f.recordBytes} bytes: ${f.recordText})`);
    }
    if (byteLength % f.recordBytes !== 0) {
      throw new DatasetError(
        file,
        `${bytesText(byteLength)} is not a whole number of ${f.title} records (expected a multiple of ${f.recordBytes} bytes: ${f.recordText})`,
      );
    }
    this.count = byteLength / f.recordBytes;
    if (this.count > maxRecords) {
      throw new DatasetError(
        file,
        `claims ${this.count} ${f.title} records (${bytesText(byteLength)}); a real file of this name holds at most ${maxRecords}`,
      );
    }
    this.images = new Uint8Array(this.count * CIFAR_IMAGE_BYTES);
    this.labels = new Uint8Array(this.count);
    this.coarse = layout === 'cifar100' ? new Uint8Array(this.count) : null;
    this.carry = new Uint8Array(f.recordBytes);
  }

  /** Feeds the next bytes of the file (the chunk is not kept). */
  push(chunk: Uint8Array): void {
    const size = this.format.recordBytes;
    let pos = 0;
    const received = this.done * size + this.carryFill + chunk.length;
    if (received > this.byteLength) {
      throw new DatasetError(this.file, `more data than the expected ${bytesText(this.byteLength)}`);
    }
    if (this.carryFill > 0) {
      const n = Math.min(size - this.carryFill, chunk.length);
      this.carry.set(chunk.subarray(0, n), this.carryFill);
      this.carryFill += n;
      pos = n;
      if (this.carryFill < size) return;
      this.convert(this.carry, 0);
      this.carryFill = 0;
    }
    while (chunk.length - pos >= size) {
      this.convert(chunk, pos);
      pos += size;
    }
    if (pos < chunk.length) {
      this.carry.set(chunk.subarray(pos), 0);
      this.carryFill = chunk.length - pos;
    }
  }

  /** The parsed split; throws if fewer bytes than announced arrived. */
  finish(): CifarSplit {
    if (this.done !== this.count) {
      const got = this.done * this.format.recordBytes + this.carryFill;
      throw new DatasetError(this.file, `truncated: got ${bytesText(got)}, expected ${bytesText(this.byteLength)}`);
    }
    const split: CifarSplit = { images: this.images, labels: this.labels, count: this.count };
    if (this.coarse) split.coarseLabels = this.coarse;
    return split;
  }

  private convert(src: Uint8Array, at: number): void {
    const i = this.done;
    const f = this.format;
    let label: number;
    if (this.coarse) {
      const coarse = src[at];
      if (coarse >= 20) {
        throw new DatasetError(this.file, `record ${i} (0-based): coarse label ${coarse} is out of range (expected 0..19 for CIFAR-100)`);
      }
      this.coarse[i] = coarse;
      label = src[at + 1];
    } else {
      label = src[at];
    }
    if (label >= f.classes) {
      throw new DatasetError(
        this.file,
        `record ${i} (0-based): label ${label} is out of range (expected 0..${f.classes - 1} for ${f.title})`,
      );
    }
    this.labels[i] = label;
    const p = at + f.labelBytes;
    const out = this.images;
    let o = i * CIFAR_IMAGE_BYTES;
    for (let k = 0; k < CIFAR_PIXELS; k++) {
      out[o] = src[p + k];
      out[o + 1] = src[p + CIFAR_PIXELS + k];
      out[o + 2] = src[p + 2 * CIFAR_PIXELS + k];
      o += 3;
    }
    this.done = i + 1;
  }
}

/** Parses a whole CIFAR batch file held in memory. */
export function parseCifarBin(file: string, layout: CifarLayout, bytes: Uint8Array, maxRecords?: number): CifarSplit {
  const reader = new CifarRecordReader(file, layout, bytes.length, maxRecords);
  reader.push(bytes);
  return reader.finish();
}

/**
 * Collects a class-name file's bytes, refusing one longer than any real one before keeping
 * more of it (the official files are under 2 KB).
 */
export class ClassNamesCollector {
  private readonly parts: Uint8Array[] = [];
  private size = 0;

  constructor(private readonly file: string) {}

  push(chunk: Uint8Array): void {
    this.size += chunk.length;
    if (this.size > MAX_CLASS_NAMES_BYTES) {
      throw new DatasetError(
        this.file,
        `is larger than ${bytesText(MAX_CLASS_NAMES_BYTES)} (expected a short list of class names, one a line)`,
      );
    }
    this.parts.push(chunk.slice());
  }

  text(): string {
    const all = new Uint8Array(this.size);
    let at = 0;
    for (const p of this.parts) {
      all.set(p, at);
      at += p.length;
    }
    return new TextDecoder().decode(all);
  }
}

/**
 * Class names from a `batches.meta.txt` / `fine_label_names.txt` text: one name a line,
 * blank lines ignored. The count must match the dataset's classes.
 */
export function parseClassNames(file: string, text: string, expected: number): string[] {
  const names = text
    .split(/\r?\n/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (names.length !== expected) {
    throw new DatasetError(file, `has ${names.length} class names, expected ${expected} (one a line)`);
  }
  return names;
}

/** Joins splits in order (training batches 1..5 into one training split). */
export function concatSplits(parts: readonly CifarSplit[]): CifarSplit {
  if (parts.length === 1) return parts[0];
  let count = 0;
  for (const p of parts) count += p.count;
  const imageBytes = parts.length > 0 ? parts[0].images.length / Math.max(1, parts[0].count) : 0;
  const images = new Uint8Array(count * imageBytes);
  const labels = new Uint8Array(count);
  const withCoarse = parts.length > 0 && parts.every((p) => p.coarseLabels);
  const coarse = withCoarse ? new Uint8Array(count) : null;
  let at = 0;
  for (const p of parts) {
    images.set(p.images, at * imageBytes);
    labels.set(p.labels, at);
    if (coarse && p.coarseLabels) coarse.set(p.coarseLabels, at);
    at += p.count;
  }
  const out: CifarSplit = { images, labels, count };
  if (coarse) out.coarseLabels = coarse;
  return out;
}
