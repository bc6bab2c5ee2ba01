/**
 * The worker's datasets: the built-in synthetic set, archives and files the person drops or
 * points to, and the IndexedDB cache that keeps parsed datasets across reloads.
 */
import { openDatasetCache, type DatasetCache } from '../data/cache';
import { isGzip } from '../data/gzip';
import { checkFileSize, loadCifarArchive, loadDatasetFiles, maxFileBytes } from '../data/load';
import { makeSyntheticDataset } from '../data/synthetic';
import type { ImageDataset } from '../data/types';
import { Rng } from '../engine/random';
import { abortable, LoadCancelled } from '../data/streams';
import type { AvailableDataset, DatasetSource, DatasetSummary } from './protocol';

export type ProgressFn = (loadedBytes: number, totalBytes: number | null, stage: 'download' | 'parse') => void;

/** A loaded dataset, the source key it is known by, and why it is not stored (null when it is). */
export interface LoadedDataset {
  dataset: ImageDataset;
  source: string;
  notStored?: string | null;
}

export interface DatasetProvider {
  get(source: DatasetSource, seed: number): Promise<ImageDataset>;
  /**
   * Parses files and caches the result. A dataset the cache refuses (quota, no IndexedDB)
   * stays usable from memory until another is loaded. Aborting `signal` ends the load with
   * `LoadCancelled`.
   */
  loadFiles(files: File[], onProgress: ProgressFn, signal?: AbortSignal): Promise<LoadedDataset>;
  loadUrl(url: string, onProgress: ProgressFn, signal?: AbortSignal): Promise<LoadedDataset>;
  /** The stored datasets, and the one held in memory only (`stored: false`), if any. */
  listCached(): Promise<AvailableDataset[]>;
  clearCache(): Promise<void>;
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

const ARCHIVE = /\.(tar\.gz|tgz|tar)$/i;
const SAMPLE_COUNT = 40;

export function createDatasetProvider(): DatasetProvider {
  let cache: Promise<DatasetCache | null> | null = null;
  // The last dataset used stays in memory (CIFAR-10 is ~180 MB): one at a time.
  let held: { key: string; dataset: ImageDataset; source: string; notStored: string | null } | null = null;

  const openCache = () => (cache ??= openDatasetCache().catch(() => null));

  async function keep(dataset: ImageDataset, source: string): Promise<LoadedDataset> {
    // A full disk or a private window must not lose the parsed dataset: it stays usable in memory.
    const c = await openCache();
    const notStored = c ? await c.put(source, dataset).then(() => null, errorText) : 'this browser offers no IndexedDB storage here';
    held = { key: `${dataset.name}|${source}`, dataset, source, notStored };
    return { dataset, source, notStored };
  }

  return {
    async get(source, seed) {
      const key = source.kind === 'synthetic' ? `synthetic|${seed}` : `${source.name}|${source.source}`;
      if (held?.key === key) return held.dataset;
      let dataset: ImageDataset | undefined;
      if (source.kind === 'synthetic') {
        dataset = makeSyntheticDataset({ seed });
      } else {
        dataset = await (await openCache())?.get(source.name, source.source);
        if (!dataset) throw new Error(`${source.name} (${source.source}) is no longer stored in this browser; load its files again`);
      }
      held = { key, dataset, source: source.kind === 'cached' ? source.source : `seed ${seed}`, notStored: null };
      return dataset;
    },

    async loadFiles(files, onProgress, signal) {
      const source = files
        .map((f) => f.name)
        .sort()
        .join(', ');
      const total = files.reduce((s, f) => s + f.size, 0);
      // One archive (by name, or any gzip file of a name no loader reads whole) is streamed.
      const single = files.length === 1 ? files[0] : null;
      const streamed =
        single &&
        (ARCHIVE.test(single.name) ||
          (maxFileBytes(single.name) === null && isGzip(new Uint8Array(await single.slice(0, 2).arrayBuffer()))));
      if (single && streamed) {
        const f = single;
        const dataset = await loadCifarArchive(f.name, abortable(f.stream(), signal), {
          totalBytes: f.size,
          onProgress: (n) => onProgress(n, f.size, 'parse'),
        });
        return keep(dataset, source);
      }
      for (const f of files) checkFileSize(f.name, f.size);
      const named = [];
      let read = 0;
      for (const f of files) {
        // Files no loader reads are passed by name only: a large stray file costs nothing.
        const bytes = maxFileBytes(f.name) === null ? new Uint8Array(0) : new Uint8Array(await f.arrayBuffer());
        named.push({ name: f.name, bytes });
        if (signal?.aborted) throw new LoadCancelled();
        read += f.size;
        onProgress(read, total, 'parse');
      }
      return keep(await loadDatasetFiles(named), source);
    },

    async loadUrl(url, onProgress, signal) {
      let response: Response;
      try {
        response = await fetch(url, { signal });
      } catch {
        if (signal?.aborted) throw new LoadCancelled();
        throw new Error(
          `Could not read ${url}: the server refused a cross-origin read or could not be reached. ` +
            'Download the file yourself and drop it on the page, or run `npm run fetch:cifar` so this app serves it.',
        );
      }
      if (!response.ok || !response.body)
        throw new Error(`Could not download ${url}: HTTP ${response.status} ${response.statusText}`.trim());
      const length = Number(response.headers.get('content-length'));
      const total = Number.isFinite(length) && length > 0 ? length : null;
      const name = decodeURIComponent(new URL(url, self.location.href).pathname.split('/').pop() || 'download');
      const dataset = await loadCifarArchive(name, abortable(response.body, signal), {
        totalBytes: total ?? undefined,
        onProgress: (n) => onProgress(n, total, 'download'),
      });
      return keep(dataset, url);
    },

    async listCached() {
      const c = await openCache();
      const stored: AvailableDataset[] = c
        ? (await c.list()).map((i) => ({
            name: i.name,
            source: i.source,
            trainCount: i.trainCount,
            testCount: i.testCount,
            bytes: i.bytes,
          }))
        : [];
      if (held?.notStored && held.dataset.name !== 'synthetic') {
        const d = held.dataset;
        const bytes = d.train.images.length + d.test.images.length;
        stored.push({ name: d.name, source: held.source, trainCount: d.train.count, testCount: d.test.count, bytes, stored: false });
      }
      return stored;
    },

    async clearCache() {
      held = null;
      await (await openCache())?.clear();
    },
  };
}

/** What the page lists about a dataset, with a seeded sample of training images for the grid. */
export function summarizeDataset(dataset: ImageDataset, source: string, seed: number): DatasetSummary {
  const count = Math.min(SAMPLE_COUNT, dataset.train.count);
  const picks = new Rng(seed).fork('samples').permutation(dataset.train.count).subarray(0, count);
  const imageBytes = dataset.height * dataset.width * dataset.channels;
  const images = new Uint8Array(count * imageBytes);
  const labels: number[] = [];
  picks.forEach((idx, n) => {
    images.set(dataset.train.images.subarray(idx * imageBytes, (idx + 1) * imageBytes), n * imageBytes);
    labels.push(dataset.train.labels[idx]);
  });
  return {
    name: dataset.name,
    source,
    ...(dataset.notes?.length ? { notes: dataset.notes } : {}),
    trainCount: dataset.train.count,
    testCount: dataset.test.count,
    classNames: dataset.classNames,
    height: dataset.height,
    width: dataset.width,
    channels: dataset.channels,
    samples: { images, labels },
  };
}
