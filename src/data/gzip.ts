/**
 * Streaming gunzip on the platform's own `DecompressionStream('gzip')` (Node 18+, Chromium,
 * Firefox, Safari 16.4+), with the file named in every error.
 */
import { DatasetError } from './errors';
import { chunksOf, concatBytes, type ByteSource } from './streams';

/** True when `bytes` starts with the gzip magic number 1f 8b. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes.subarray(0, 2), (b) => b.toString(16).padStart(2, '0')).join(' ');
}

function notGzip(fileName: string, head: Uint8Array): DatasetError {
  const found = head.length === 0 ? 'it is empty' : `it starts with ${hex(head)}`;
  return new DatasetError(fileName, `not gzip (expected a gzip file starting with bytes 1f 8b; ${found})`);
}

function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * The decompressed chunks of the gzip data in `source`, produced while `source` is still
 * being read: nothing beyond the decompressor's own buffers is held. Throws a
 * `DatasetError` naming `fileName` when the data is not gzip, or is truncated or corrupt.
 * Errors of the source itself (a failed download, an abort) are passed on unchanged.
 */
export async function* gunzipChunks(fileName: string, source: ByteSource): AsyncGenerator<Uint8Array, void, undefined> {
  const ds = new DecompressionStream('gzip');
  const writer = ds.writable.getWriter();
  const reader = ds.readable.getReader();
  const input = chunksOf(source);
  // An error of the input side (the source, or not gzip) wins over what the decompressor
  // says afterwards about the aborted stream.
  let inputFailed = false;
  let inputError: unknown;

  const fail = (e: unknown): void => {
    inputFailed = true;
    inputError = e;
    writer.abort(e).catch(() => undefined);
  };

  const pump = async (): Promise<void> => {
    let head: Uint8Array | null = new Uint8Array(0);
    let done = false;
    try {
      for (;;) {
        let r: IteratorResult<Uint8Array, void>;
        try {
          r = await input.next();
        } catch (e) {
          done = true; // the generator has already finished
          fail(e);
          return;
        }
        if (r.done) {
          done = true;
          break;
        }
        let chunk = r.value;
        if (chunk.length === 0) continue;
        if (head) {
          head = concatBytes([head, chunk]);
          if (head.length < 2) continue;
          if (!isGzip(head)) {
            fail(notGzip(fileName, head));
            return;
          }
          chunk = head;
          head = null;
        }
        try {
          await writer.write(chunk as Uint8Array<ArrayBuffer>);
        } catch {
          return; // the decompressor failed or the reader was cancelled: the reader reports it
        }
      }
      if (head) {
        fail(notGzip(fileName, head));
        return;
      }
      await writer.close().catch(() => undefined);
    } finally {
      if (!done) await input.return(undefined).catch(() => undefined);
    }
  };
  const pumping = pump();

  let finished = false;
  try {
    for (;;) {
      let r: Awaited<ReturnType<typeof reader.read>>;
      try {
        r = await reader.read();
      } catch (e) {
        if (inputFailed) throw inputError;
        throw new DatasetError(fileName, `gzip data is truncated or corrupt (expected a complete gzip stream; ${describe(e)})`);
      }
      if (r.done) break;
      yield r.value;
    }
    await pumping;
    if (inputFailed) throw inputError;
    finished = true;
  } finally {
    if (!finished) {
      // Stopped early or failed: cancelling the decompressor makes the pump stop and cancel
      // the source as soon as its pending read returns (not awaited: a stalled source must
      // not hold up the caller).
      await reader.cancel().catch(() => undefined);
      void pumping;
    }
  }
}

/** Decompresses a whole gzip file held in memory. */
export async function gunzipBytes(fileName: string, bytes: Uint8Array): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of gunzipChunks(fileName, [bytes])) chunks.push(chunk);
  return concatBytes(chunks);
}
