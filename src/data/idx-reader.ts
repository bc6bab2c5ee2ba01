/**
 * A streaming reader for one IDX file (unsigned-byte data, as Fashion-MNIST ships it). The
 * header is read and checked first (magic number, dimensions, a count no larger than the real
 * file's), and only then is memory allocated: exactly the size the header declares. A byte
 * beyond that size is refused at once, so a file (or a gzip bomb) that says one size and
 * holds more is never read to its end.
 */
import { DatasetError, bytesText } from './errors';

export const IDX_IMAGES_MAGIC = 2051; // 0x00000803: unsigned bytes, 3 dimensions
export const IDX_LABELS_MAGIC = 2049; // 0x00000801: unsigned bytes, 1 dimension

export type IdxKind = 'images' | 'labels';

export interface IdxLimits {
  /** The most images (or labels) the file may declare. */
  maxCount: number;
  /** For image files: the only side length allowed (rows = cols = side). */
  side?: number;
  /** For image files without `side`: the most bytes one image may have. */
  maxImageBytes?: number;
}

export interface IdxContents {
  /** The header's dimensions: [count, rows, cols] for images, [count] for labels. */
  dims: number[];
  /** The data after the header, as many bytes as the header declares. */
  data: Uint8Array;
}

function u32(bytes: Uint8Array, at: number): number {
  return ((bytes[at] << 24) | (bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3]) >>> 0;
}

/** Feed chunks with `push`, then call `finish`. */
export class IdxReader {
  private readonly magic: number;
  private readonly headerBytes: number;
  private readonly header: Uint8Array;
  private headerFill = 0;
  private dims: number[] | null = null;
  private data: Uint8Array | null = null;
  private dataFill = 0;

  constructor(
    readonly file: string,
    readonly kind: IdxKind,
    private readonly limits: IdxLimits,
  ) {
    this.magic = kind === 'images' ? IDX_IMAGES_MAGIC : IDX_LABELS_MAGIC;
    this.headerBytes = kind === 'images' ? 16 : 8;
    this.header = new Uint8Array(this.headerBytes);
  }

  private get what(): string {
    return `an IDX ${this.kind} file`;
  }

  push(chunk: Uint8Array): void {
    let pos = 0;
    if (!this.data) {
      const n = Math.min(this.headerBytes - this.headerFill, chunk.length);
      this.header.set(chunk.subarray(0, n), this.headerFill);
      this.headerFill += n;
      pos = n;
      if (this.headerFill >= 4) this.checkMagic();
      if (this.headerFill < this.headerBytes) return;
      this.readHeader();
    }
    const data = this.data as Uint8Array;
    const rest = chunk.length - pos;
    if (this.dataFill + rest > data.length) {
      throw new DatasetError(
        this.file,
        `has more than the ${bytesText(this.headerBytes + data.length)} its header declares (${this.shapeText()})`,
      );
    }
    data.set(chunk.subarray(pos), this.dataFill);
    this.dataFill += rest;
  }

  finish(): IdxContents {
    if (this.headerFill < 4) {
      throw new DatasetError(
        this.file,
        `too short (${bytesText(this.headerFill)}; expected ${this.what} starting with magic number ${this.magic})`,
      );
    }
    if (!this.data || !this.dims) {
      throw new DatasetError(
        this.file,
        `header is truncated (${bytesText(this.headerFill)}; expected ${this.headerBytes} header bytes for ${this.what})`,
      );
    }
    if (this.dataFill !== this.data.length) {
      throw new DatasetError(
        this.file,
        `has ${bytesText(this.headerBytes + this.dataFill)}, expected ${this.headerBytes + this.data.length} (${this.shapeText()})`,
      );
    }
    return { dims: this.dims, data: this.data };
  }

  private shapeText(): string {
    const shape = (this.dims ?? []).join('×');
    return `a ${this.headerBytes}-byte header + ${shape} ${this.kind === 'images' ? 'pixel' : 'label'} bytes as the header says`;
  }

  private checkMagic(): void {
    const found = u32(this.header, 0);
    if (found !== this.magic) {
      throw new DatasetError(this.file, `wrong magic number ${found} (expected ${this.magic} for ${this.what})`);
    }
  }

  private readHeader(): void {
    const dims: number[] = [];
    for (let at = 4; at < this.headerBytes; at += 4) dims.push(u32(this.header, at));
    const [count] = dims;
    const { maxCount, side, maxImageBytes } = this.limits;
    if (count === 0) throw new DatasetError(this.file, `holds no ${this.kind} (the header's count is 0; expected at least one)`);
    if (count > maxCount) {
      throw new DatasetError(this.file, `header claims ${count} ${this.kind}; a real file of this name holds at most ${maxCount}`);
    }
    let perItem = 1;
    if (this.kind === 'images') {
      const [, rows, cols] = dims;
      if (side !== undefined && (rows !== side || cols !== side)) {
        throw new DatasetError(this.file, `images are ${rows}×${cols}, expected ${side}×${side} (Fashion-MNIST)`);
      }
      perItem = rows * cols;
      const limit = side !== undefined ? side * side : (maxImageBytes ?? 0);
      if (perItem === 0 || perItem > limit) {
        throw new DatasetError(this.file, `images of ${rows}×${cols} pixels are not allowed (at most ${bytesText(limit)} an image)`);
      }
    }
    this.dims = dims;
    this.data = new Uint8Array(count * perItem);
  }
}

/** Reads one IDX file held in memory. */
export function readIdxBytes(file: string, kind: IdxKind, bytes: Uint8Array, limits: IdxLimits): IdxContents {
  const reader = new IdxReader(file, kind, limits);
  reader.push(bytes);
  return reader.finish();
}
