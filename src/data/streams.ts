/**
 * Byte-stream helpers shared by the parsers. They accept a web `ReadableStream` (a fetch
 * body, `File.stream()`), or any (async) iterable of chunks, so the same code runs in a
 * browser worker and in Node.
 */

export type ByteSource = ReadableStream<Uint8Array> | AsyncIterable<Uint8Array> | Iterable<Uint8Array>;

function isReadableStream(source: ByteSource): source is ReadableStream<Uint8Array> {
  return typeof (source as ReadableStream<Uint8Array>).getReader === 'function';
}

/**
 * The chunks of `source`, in order. Stopping early (break, throw) cancels a stream source,
 * so a download or a file read does not go on in the background.
 */
export async function* chunksOf(source: ByteSource): AsyncGenerator<Uint8Array, void, undefined> {
  if (!isReadableStream(source)) {
    yield* source;
    return;
  }
  const reader = source.getReader();
  let finished = false;
  try {
    for (;;) {
      const r = await reader.read();
      if (r.done) {
        finished = true;
        return;
      }
      yield r.value;
    }
  } finally {
    if (!finished) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}

/** `source`, calling `onChunk(totalSoFar)` after each chunk has been handed on. */
export async function* counted(source: ByteSource, onChunk: (bytesSoFar: number) => void): AsyncGenerator<Uint8Array, void, undefined> {
  let n = 0;
  for await (const chunk of chunksOf(source)) {
    n += chunk.length;
    yield chunk;
    onChunk(n);
  }
}

/** A stream over `bytes` in pieces of `chunkSize` (the pieces are views, not copies). */
export function streamFromBytes(bytes: Uint8Array, chunkSize = 1 << 20): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= bytes.length) {
        controller.close();
        return;
      }
      const end = Math.min(bytes.length, offset + chunkSize);
      controller.enqueue(bytes.subarray(offset, end));
      offset = end;
    },
  });
}

/** All chunks joined into one array. */
export function concatBytes(chunks: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const c of chunks) total += c.length;
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** Reads a whole source into memory (for small inputs: metadata, IDX files, tests). */
export async function readAll(source: ByteSource): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of chunksOf(source)) chunks.push(chunk);
  return concatBytes(chunks);
}

/** Thrown by `abortable` once its signal is aborted. */
export class LoadCancelled extends Error {
  constructor() {
    super('cancelled');
    this.name = 'LoadCancelled';
  }
}

/** `source`, ending with `LoadCancelled` (and cancelling the source) once `signal` is aborted. */
export async function* abortable(source: ByteSource, signal: AbortSignal | undefined): AsyncGenerator<Uint8Array, void, undefined> {
  for await (const chunk of chunksOf(source)) {
    if (signal?.aborted) throw new LoadCancelled();
    yield chunk;
  }
  if (signal?.aborted) throw new LoadCancelled();
}
