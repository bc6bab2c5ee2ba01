/**
 * A streaming reader for tar archives (POSIX ustar, with the GNU and pax long-name
 * extensions that common tools write).
 *
 * The archive is read block by block as its chunks arrive: each regular member's bytes are
 * handed to a sink as views into the incoming chunks, so a 180 MB archive is never held in
 * memory as a whole, and a member's parser can work while the download goes on.
 */
import { DatasetError, bytesText } from './errors';
import { MAX_ARCHIVE_ENTRIES } from './limits';
import { chunksOf, concatBytes, type ByteSource } from './streams';

const BLOCK = 512;
/** Longest GNU long-name / pax header we collect in memory. */
const MAX_META_BYTES = 1 << 20;

/** A regular file in the archive. */
export interface TarMember {
  /** Full path inside the archive, `prefix/name` for ustar headers. */
  path: string;
  /** Size of the member's data in bytes. */
  size: number;
}

/**
 * Receives one member's data. `write` gets views into the archive's chunks, valid only
 * during the call: copy what you keep. A returned promise is awaited (backpressure).
 */
export interface TarSink {
  write(chunk: Uint8Array): void | Promise<void>;
  /** Called once after the member's last byte. */
  end?(): void | Promise<void>;
}

/** What `readTar` saw: every regular member, in archive order. */
export interface TarSummary {
  members: TarMember[];
}

const utf8 = new TextDecoder('utf-8');

function cString(block: Uint8Array, start: number, length: number): string {
  let end = start;
  const limit = start + length;
  while (end < limit && block[end] !== 0) end++;
  return utf8.decode(block.subarray(start, end));
}

/** A numeric header field: octal text, or GNU base-256 when the high bit of the first byte is set. */
function numberField(block: Uint8Array, start: number, length: number): number {
  if (block[start] & 0x80) {
    let v = block[start] & 0x7f;
    for (let i = start + 1; i < start + length; i++) v = v * 256 + block[i];
    return v;
  }
  let v = 0;
  let seen = false;
  for (let i = start; i < start + length; i++) {
    const b = block[i];
    if (b === 0 || (b === 0x20 && seen)) break;
    if (b === 0x20) continue;
    if (b < 0x30 || b > 0x37) return NaN;
    v = v * 8 + (b - 0x30);
    seen = true;
  }
  return seen ? v : 0;
}

function isZeroBlock(block: Uint8Array): boolean {
  for (let i = 0; i < BLOCK; i++) if (block[i] !== 0) return false;
  return true;
}

function checksumMatches(block: Uint8Array): boolean {
  const stored = numberField(block, 148, 8);
  if (Number.isNaN(stored)) return false;
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    const b = i >= 148 && i < 156 ? 0x20 : block[i];
    unsigned += b;
    signed += b > 127 ? b - 256 : b;
  }
  return stored === unsigned || stored === signed;
}

/** Key/value records of a pax extended header: "<len> <key>=<value>\n" ... */
function paxRecords(data: Uint8Array): Map<string, string> {
  const out = new Map<string, string>();
  let at = 0;
  while (at < data.length) {
    let sp = at;
    while (sp < data.length && data[sp] !== 0x20) sp++;
    const len = Number(utf8.decode(data.subarray(at, sp)));
    if (!Number.isInteger(len) || len <= 0 || at + len > data.length) break;
    const record = utf8.decode(data.subarray(sp + 1, at + len - 1)); // drop the trailing \n
    const eq = record.indexOf('=');
    if (eq > 0) out.set(record.slice(0, eq), record.slice(eq + 1));
    at += len;
  }
  return out;
}

/** Header types whose data follows the header (regular files, extensions, unknown types). */
function hasData(type: string): boolean {
  return type === '' || !'123456'.includes(type);
}

type State = 'header' | 'data' | 'padding' | 'end';

type OnMember = (member: TarMember) => TarSink | null | undefined | Promise<TarSink | null | undefined>;

/**
 * The push side of the reader: feed chunks with `push` (awaiting each), then call
 * `finish`. `readTar` drives it from a stream.
 */
export class TarParser {
  readonly members: TarMember[] = [];
  private readonly header = new Uint8Array(BLOCK);
  private headerFill = 0;
  private state: State = 'header';
  private offset = 0; // archive bytes consumed so far
  private zeroBlocks = 0;
  private sawAnything = false;

  // The entry whose data is being read.
  private entry: TarMember | null = null;
  private entryType = '0';
  private remaining = 0;
  private padding = 0;
  private sink: TarSink | null = null;
  private meta: Uint8Array[] | null = null; // collected data of a long-name / pax entry
  // Overrides for the next entry, from GNU 'L' and pax 'x' entries.
  private longName: string | null = null;
  private paxPath: string | null = null;
  private paxSize: number | null = null;

  constructor(
    private readonly fileName: string,
    private readonly onMember: OnMember,
  ) {}

  /** True once the end-of-archive marker has been read: nothing after it needs reading. */
  get ended(): boolean {
    return this.state === 'end';
  }

  /** Consumes the next chunk of the archive. */
  async push(chunk: Uint8Array): Promise<void> {
    let pos = 0;
    if (chunk.length > 0) this.sawAnything = true;
    while (pos < chunk.length) {
      switch (this.state) {
        case 'end':
          return; // whatever follows the end-of-archive marker is padding
        case 'header': {
          let block: Uint8Array;
          const blockStart = this.offset - this.headerFill;
          if (this.headerFill === 0 && chunk.length - pos >= BLOCK) {
            block = chunk.subarray(pos, pos + BLOCK);
            pos += BLOCK;
            this.offset += BLOCK;
          } else {
            const n = Math.min(BLOCK - this.headerFill, chunk.length - pos);
            this.header.set(chunk.subarray(pos, pos + n), this.headerFill);
            this.headerFill += n;
            pos += n;
            this.offset += n;
            if (this.headerFill < BLOCK) continue;
            this.headerFill = 0;
            block = this.header;
          }
          if (isZeroBlock(block)) {
            this.zeroBlocks++;
            if (this.zeroBlocks === 2) this.state = 'end';
            continue;
          }
          this.zeroBlocks = 0;
          await this.startEntry(block, blockStart);
          continue;
        }
        case 'data': {
          const n = Math.min(this.remaining, chunk.length - pos);
          const piece = chunk.subarray(pos, pos + n);
          if (this.meta) this.meta.push(piece.slice());
          else if (this.sink) await this.sink.write(piece);
          pos += n;
          this.offset += n;
          this.remaining -= n;
          if (this.remaining === 0) await this.finishData();
          continue;
        }
        case 'padding': {
          const n = Math.min(this.padding, chunk.length - pos);
          pos += n;
          this.offset += n;
          this.padding -= n;
          if (this.padding === 0) this.state = 'header';
          continue;
        }
      }
    }
  }

  /** Checks that the archive ended where it may end. */
  finish(): TarSummary {
    const truncated = (what: string): DatasetError => new DatasetError(this.fileName, `truncated tar archive (${what})`);
    const current = this.entry;
    if (!this.sawAnything) throw new DatasetError(this.fileName, 'empty file (expected a tar archive)');
    switch (this.state) {
      case 'end':
        break;
      case 'header':
        if (this.headerFill > 0) {
          throw truncated(`ended inside a 512-byte header at byte ${this.offset}`);
        }
        if (this.zeroBlocks === 0) {
          throw truncated(current ? `ended after member ${current.path} without the end-of-archive marker` : 'no end-of-archive marker');
        }
        break;
      case 'data': {
        const size = current?.size ?? 0;
        throw truncated(
          `member ${current?.path ?? '?'} should have ${bytesText(size)}, the archive ended after ${bytesText(size - this.remaining)}`,
        );
      }
      case 'padding':
        throw truncated(`ended inside the padding after member ${current?.path ?? '?'}`);
    }
    return { members: this.members };
  }

  private entries = 0;

  private async startEntry(block: Uint8Array, at: number): Promise<void> {
    if (++this.entries > MAX_ARCHIVE_ENTRIES) {
      throw new DatasetError(this.fileName, `has more than ${MAX_ARCHIVE_ENTRIES} entries (expected a dataset archive of a few files)`);
    }
    if (!checksumMatches(block)) {
      throw new DatasetError(
        this.fileName,
        `corrupt tar header at byte ${at} (expected a tar archive of 512-byte blocks; header checksum does not match)`,
      );
    }
    const type = block[156] === 0 ? '' : String.fromCharCode(block[156]);
    const isUstar = cString(block, 257, 6) === 'ustar' && block[262] === 0;
    let path = cString(block, 0, 100);
    if (isUstar) {
      const prefix = cString(block, 345, 155);
      if (prefix) path = `${prefix}/${path}`;
    }
    let size = numberField(block, 124, 12);
    if (Number.isNaN(size)) {
      throw new DatasetError(this.fileName, `corrupt tar header at byte ${at} (size field is not a number)`);
    }
    if (!Number.isSafeInteger(size)) {
      throw new DatasetError(this.fileName, `corrupt tar header at byte ${at} (size field claims an impossible ${size} bytes)`);
    }
    this.entryType = type;
    this.sink = null;
    this.meta = null;
    if (type === 'L' || type === 'K' || type === 'x' || type === 'g') {
      // Extension entries describe the next header; collect their (small) data.
      if (size > MAX_META_BYTES) {
        throw new DatasetError(this.fileName, `tar extension header at byte ${at} is too large (${bytesText(size)})`);
      }
      this.meta = [];
      this.entry = { path, size };
    } else {
      if (this.longName !== null) path = this.longName;
      if (this.paxPath !== null) path = this.paxPath;
      if (this.paxSize !== null) size = this.paxSize;
      this.longName = this.paxPath = this.paxSize = null;
      if (!hasData(type)) size = 0;
      const entry: TarMember = { path, size };
      this.entry = entry;
      if (type === '0' || type === '' || type === '7') {
        this.members.push(entry);
        this.sink = (await this.onMember(entry)) ?? null;
      }
    }
    this.remaining = size;
    this.padding = (BLOCK - (size % BLOCK)) % BLOCK;
    this.state = 'data';
    if (size === 0) await this.finishData();
  }

  private async finishData(): Promise<void> {
    if (this.meta) {
      const data = concatBytes(this.meta);
      if (this.entryType === 'L') {
        this.longName = cString(data, 0, data.length);
      } else if (this.entryType === 'x') {
        const records = paxRecords(data);
        const p = records.get('path');
        if (p !== undefined) this.paxPath = p;
        const s = records.get('size');
        if (s !== undefined && /^\d+$/.test(s)) {
          const n = Number(s);
          if (!Number.isSafeInteger(n)) {
            throw new DatasetError(this.fileName, `pax header claims an impossible member size of ${s} bytes`);
          }
          this.paxSize = n;
        }
      }
      this.meta = null;
    } else if (this.sink?.end) {
      await this.sink.end();
    }
    this.sink = null;
    this.state = this.padding > 0 ? 'padding' : 'header';
  }
}

/**
 * Reads the tar archive in `source`, calling `onMember` for every regular file; the sink it
 * returns (if any) receives that member's data. Directories, links and other entries are
 * skipped. Reading stops at the end-of-archive marker: the rest of the source (padding, or
 * an endless body) is cancelled, not read. Throws a `DatasetError` naming `fileName` for a
 * corrupt header or a truncated archive, and passes on any error a sink throws.
 */
export async function readTar(fileName: string, source: ByteSource, onMember: OnMember): Promise<TarSummary> {
  const parser = new TarParser(fileName, onMember);
  for await (const chunk of chunksOf(source)) {
    await parser.push(chunk);
    if (parser.ended) break; // leaving the loop cancels the source
  }
  return parser.finish();
}
