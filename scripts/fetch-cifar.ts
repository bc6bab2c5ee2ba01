/**
 * Downloads the official CIFAR binary archive into public/datasets/ so the app (and the CLI)
 * can load it without a manual download:
 *
 *   npm run fetch:cifar -- cifar10|cifar100 [--url URL] [--out DIR] [--expect-bytes N] [--force]
 *
 * The archive streams to a temporary file that is renamed only once its size is checked
 * (against content-length, and against the official size unless --url is given without
 * --expect-bytes), so a failed or interrupted download never leaves a partial file. Then
 * index.json in the same folder is updated to list the archives present.
 */
import { rmSync } from 'node:fs';
import { open, readFile, rename, rm, stat, writeFile, mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDatasetIndex, withIndexEntry, type DatasetIndex, type DatasetIndexEntry } from '../src/data/catalog';

export const CIFAR_SOURCES = {
  cifar10: {
    url: 'https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz',
    file: 'cifar-10-binary.tar.gz',
    bytes: 170052171,
  },
  cifar100: {
    url: 'https://www.cs.toronto.edu/~kriz/cifar-100-binary.tar.gz',
    file: 'cifar-100-binary.tar.gz',
    bytes: 168513733,
  },
} as const;

type CifarName = keyof typeof CIFAR_SOURCES;

export const USAGE = 'usage: npm run fetch:cifar -- cifar10|cifar100 [--url URL] [--out DIR] [--expect-bytes N] [--force]';
const DEFAULT_OUT = 'public/datasets';

/** Bad command-line input: reported as one line, exit code 2. */
export class UsageError extends Error {}

export interface FetchArgs {
  dataset: CifarName;
  url: string;
  out: string;
  /** Size the download must have; null when unknown (a custom --url without --expect-bytes). */
  expectBytes: number | null;
  force: boolean;
  help: boolean;
}

export function parseArgs(argv: readonly string[]): FetchArgs {
  let dataset: string | null = null;
  let url: string | null = null;
  let out = DEFAULT_OUT;
  let expect: number | null = null;
  let force = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`${arg} needs a value (${USAGE})`);
      return v;
    };
    switch (arg) {
      case '--help':
      case '-h':
        return { dataset: 'cifar10', url: '', out, expectBytes: null, force, help: true };
      case '--url': {
        url = value();
        try {
          const u = new URL(url);
          if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error();
        } catch {
          throw new UsageError(`--url must be an http(s) URL, got "${url}"`);
        }
        break;
      }
      case '--out':
        out = value();
        break;
      case '--expect-bytes': {
        const v = value();
        if (!/^\d+$/.test(v) || Number(v) < 1) throw new UsageError(`--expect-bytes must be a positive integer, got "${v}"`);
        expect = Number(v);
        break;
      }
      case '--force':
        force = true;
        break;
      default:
        if (arg.startsWith('-')) throw new UsageError(`unknown option ${arg} (${USAGE})`);
        if (dataset !== null) throw new UsageError(`unexpected argument "${arg}" (${USAGE})`);
        dataset = arg;
    }
  }
  if (dataset === null) throw new UsageError(`missing dataset name (${USAGE})`);
  if (!(dataset in CIFAR_SOURCES)) throw new UsageError(`unknown dataset "${dataset}" (expected cifar10 or cifar100)`);
  const source = CIFAR_SOURCES[dataset as CifarName];
  return {
    dataset: dataset as CifarName,
    url: url ?? source.url,
    out,
    expectBytes: expect ?? (url === null ? source.bytes : null),
    force,
    help: false,
  };
}

export interface Io {
  stderr: { write(text: string): unknown };
  /** Redraw the progress bar in place (a terminal) or print a line every 10%. */
  isTTY: boolean;
}

const MB = 1e6;

/** The temporary file being written, removed if the process is interrupted. */
let partialFile: string | null = null;

/** "[########------------]  42.0%  71.4/170.1 MB" */
export function progressBar(done: number, total: number | null, width = 30): string {
  if (total === null || total <= 0) return `${(done / MB).toFixed(1)} MB`;
  const f = Math.min(1, done / total);
  const filled = Math.round(f * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${(f * 100).toFixed(1).padStart(5)}%  ${(done / MB).toFixed(1)}/${(total / MB).toFixed(1)} MB`;
}

function describe(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const cause = (e as Error & { cause?: unknown }).cause;
  return cause instanceof Error ? `${e.message}: ${cause.message}` : e.message;
}

async function fileSize(path: string): Promise<number | null> {
  try {
    const s = await stat(path);
    return s.isFile() ? s.size : null;
  } catch {
    return null;
  }
}

/** Rewrites index.json in `outDir`: `entry` added, entries whose file is gone dropped, sizes refreshed. */
export async function updateIndex(outDir: string, entry: DatasetIndexEntry): Promise<DatasetIndex> {
  const path = join(outDir, 'index.json');
  let index: DatasetIndex = { datasets: [] };
  try {
    index = parseDatasetIndex(JSON.parse(await readFile(path, 'utf8')));
  } catch {
    // Absent or unreadable: rebuilt from what is present.
  }
  const kept: DatasetIndexEntry[] = [];
  for (const e of index.datasets) {
    const size = await fileSize(join(outDir, e.file));
    if (size !== null) kept.push({ ...e, bytes: size });
  }
  const next = withIndexEntry({ datasets: kept }, entry);
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(next, null, 2) + '\n');
  await rename(tmp, path);
  return next;
}

export interface FetchResult {
  path: string;
  bytes: number;
  skipped: boolean;
}

/** Downloads (or finds) the archive and updates the index. Throws an Error with a one-line message on failure. */
export async function fetchCifar(args: FetchArgs, io: Io): Promise<FetchResult> {
  const source = CIFAR_SOURCES[args.dataset];
  const outDir = resolve(args.out);
  const dest = join(outDir, source.file);
  await mkdir(outDir, { recursive: true });

  const present = await fileSize(dest);
  if (present !== null && !args.force && (args.expectBytes === null || present === args.expectBytes)) {
    io.stderr.write(`${source.file} is already present (${present} bytes); use --force to download it again\n`);
    await updateIndex(outDir, { name: args.dataset, file: source.file, bytes: present });
    return { path: dest, bytes: present, skipped: true };
  }

  let response: Response;
  try {
    // identity: the size checks are about the file's own bytes, not a transfer encoding.
    response = await fetch(args.url, { redirect: 'follow', headers: { 'accept-encoding': 'identity' } });
  } catch (e) {
    throw new Error(`download of ${args.url} failed (${describe(e)})`);
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel().catch(() => undefined);
    throw new Error(`download of ${args.url} failed (HTTP ${response.status} ${response.statusText})`);
  }
  const header = response.headers.get('content-length');
  const contentLength = header !== null && /^\d+$/.test(header) ? Number(header) : null;
  if (contentLength !== null && args.expectBytes !== null && contentLength !== args.expectBytes) {
    await response.body.cancel().catch(() => undefined);
    throw new Error(`${args.url} has ${contentLength} bytes (content-length), expected ${args.expectBytes}; not downloaded`);
  }
  const total = contentLength ?? args.expectBytes;

  const tmp = join(outDir, `.${source.file}.${process.pid}.${Date.now()}.part`);
  const handle = await open(tmp, 'w');
  partialFile = tmp;
  let received = 0;
  let lastDraw = 0;
  let lastTenth = -1;
  const draw = (final: boolean): void => {
    const now = Date.now();
    if (io.isTTY) {
      if (!final && now - lastDraw < 100) return;
      lastDraw = now;
      io.stderr.write(`\r${source.file} ${progressBar(received, total)}${final ? '\n' : ''}`);
    } else {
      const tenth = total ? Math.floor((received / total) * 10) : -1;
      if (final || tenth > lastTenth) {
        lastTenth = tenth;
        io.stderr.write(`${source.file} ${progressBar(received, total)}\n`);
      }
    }
  };
  try {
    const reader = response.body.getReader();
    let first = true;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        if (first && value.length >= 2) {
          first = false;
          if (value[0] !== 0x1f || value[1] !== 0x8b) {
            throw new Error(`${args.url} is not gzip (expected ${source.file}, a .tar.gz starting with bytes 1f 8b)`);
          }
        }
        received += value.length;
        if (total !== null && received > total) {
          throw new Error(`${args.url} sent more than the expected ${total} bytes`);
        }
        await handle.write(value);
        draw(false);
      }
    } catch (e) {
      await reader.cancel().catch(() => undefined);
      throw e instanceof Error && e.message.startsWith(args.url)
        ? e
        : new Error(`download of ${args.url} failed after ${received} bytes (${describe(e)})`);
    }
    draw(true);
    if (contentLength !== null && received !== contentLength) {
      throw new Error(`${args.url}: received ${received} bytes, content-length said ${contentLength}`);
    }
    if (args.expectBytes !== null && received !== args.expectBytes) {
      throw new Error(`${args.url}: received ${received} bytes, expected ${args.expectBytes}`);
    }
    await handle.close();
    await rename(tmp, dest);
  } catch (e) {
    await handle.close().catch(() => undefined);
    await rm(tmp, { force: true });
    throw e;
  } finally {
    partialFile = null;
  }
  await updateIndex(outDir, { name: args.dataset, file: source.file, bytes: received });
  io.stderr.write(`saved ${join(args.out, source.file)} (${received} bytes)\n`);
  return { path: dest, bytes: received, skipped: false };
}

/** The command: returns the exit code (0 done, 1 failed, 2 bad usage); never throws. */
export async function main(argv: readonly string[], io: Io, stdout: { write(text: string): unknown } = process.stdout): Promise<number> {
  let args: FetchArgs;
  try {
    args = parseArgs(argv);
  } catch (e) {
    io.stderr.write(`fetch:cifar: ${describe(e)}\n`);
    return 2;
  }
  if (args.help) {
    stdout.write(`${USAGE}\n`);
    return 0;
  }
  try {
    await fetchCifar(args, io);
    return 0;
  } catch (e) {
    if (io.isTTY) io.stderr.write('\n');
    io.stderr.write(`fetch:cifar: ${describe(e).replace(/\s*\n\s*/g, ' ')}\n`);
    return 1;
  }
}

const invokedPath = process.argv[1] ? resolve(process.argv[1]) : '';
if (invokedPath === fileURLToPath(import.meta.url)) {
  process.once('SIGINT', () => {
    if (partialFile) rmSync(partialFile, { force: true });
    process.stderr.write('\nfetch:cifar: interrupted; no partial file left\n');
    process.exit(130);
  });
  main(process.argv.slice(2), { stderr: process.stderr, isTTY: Boolean(process.stderr.isTTY) }).then(
    (code) => {
      process.exitCode = code;
    },
    () => {
      process.exitCode = 1;
    },
  );
}
