/**
 * An IndexedDB cache of parsed datasets, so a dropped CIFAR archive is parsed once.
 *
 * Entries are keyed by dataset name + source (the file name, URL or other text that says
 * where the bytes came from). A small info record (for `list`, without reading megabytes of
 * pixels) and the dataset itself live in two stores written in ONE transaction: a write
 * that fails (quota, a value that cannot be stored) is aborted as a whole, and the entry
 * that was there before stays as it was.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { DatasetName, ImageDataset } from './types';

export const DATASET_CACHE_DB = 'esam-playground-datasets';
const VERSION = 1;
const FORMAT = 1;

type Key = [string, string];

export interface CachedDatasetInfo {
  name: DatasetName;
  source: string;
  /** ISO-8601 time of the write. */
  savedAt: string;
  /** Bytes of image and label data held. */
  bytes: number;
  trainCount: number;
  testCount: number;
  classes: number;
}

interface StoredDataset {
  format: number;
  dataset: ImageDataset;
}

interface CacheSchema extends DBSchema {
  info: { key: Key; value: CachedDatasetInfo };
  data: { key: Key; value: StoredDataset };
}

export interface DatasetCache {
  /** Stores `dataset` under (dataset.name, source), replacing what was there only if the write succeeds. */
  put(source: string, dataset: ImageDataset): Promise<CachedDatasetInfo>;
  get(name: DatasetName, source: string): Promise<ImageDataset | undefined>;
  /** Every entry's info, without loading the datasets. */
  list(): Promise<CachedDatasetInfo[]>;
  /** Removes one entry; false if there was none. */
  delete(name: DatasetName, source: string): Promise<boolean>;
  clear(): Promise<void>;
  close(): void;
}

function message(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

function infoOf(source: string, d: ImageDataset): CachedDatasetInfo {
  return {
    name: d.name,
    source,
    savedAt: new Date().toISOString(),
    bytes: d.train.images.byteLength + d.train.labels.byteLength + d.test.images.byteLength + d.test.labels.byteLength,
    trainCount: d.train.count,
    testCount: d.test.count,
    classes: d.classNames.length,
  };
}

class IdbDatasetCache implements DatasetCache {
  constructor(private readonly db: IDBPDatabase<CacheSchema>) {}

  async put(source: string, dataset: ImageDataset): Promise<CachedDatasetInfo> {
    const key: Key = [dataset.name, source];
    const info = infoOf(source, dataset);
    const tx = this.db.transaction(['info', 'data'], 'readwrite');
    const done = tx.done;
    done.catch(() => undefined); // observed below; never left unhandled
    try {
      const a = tx.objectStore('info').put(info, key);
      a.catch(() => undefined);
      const b = tx.objectStore('data').put({ format: FORMAT, dataset }, key);
      b.catch(() => undefined);
      await a;
      await b;
      await done;
      return info;
    } catch (e) {
      try {
        tx.abort(); // a synchronous throw (e.g. DataCloneError) leaves the transaction open
      } catch {
        // already finished or aborted
      }
      throw new Error(`could not cache dataset ${dataset.name} from ${source} (${message(e)})`);
    }
  }

  async get(name: DatasetName, source: string): Promise<ImageDataset | undefined> {
    const stored = await this.db.get('data', [name, source]);
    return stored && stored.format === FORMAT ? stored.dataset : undefined;
  }

  async list(): Promise<CachedDatasetInfo[]> {
    return this.db.getAll('info');
  }

  async delete(name: DatasetName, source: string): Promise<boolean> {
    const key: Key = [name, source];
    const tx = this.db.transaction(['info', 'data'], 'readwrite');
    const existed = (await tx.objectStore('info').count(key)) > 0;
    await Promise.all([tx.objectStore('info').delete(key), tx.objectStore('data').delete(key), tx.done]);
    return existed;
  }

  async clear(): Promise<void> {
    const tx = this.db.transaction(['info', 'data'], 'readwrite');
    await Promise.all([tx.objectStore('info').clear(), tx.objectStore('data').clear(), tx.done]);
  }

  close(): void {
    this.db.close();
  }
}

/** Opens (creating if needed) the dataset cache in the global `indexedDB`. */
export async function openDatasetCache(dbName: string = DATASET_CACHE_DB): Promise<DatasetCache> {
  let cache: IdbDatasetCache | null = null;
  const db = await openDB<CacheSchema>(dbName, VERSION, {
    upgrade(database) {
      if (!database.objectStoreNames.contains('info')) database.createObjectStore('info');
      if (!database.objectStoreNames.contains('data')) database.createObjectStore('data');
    },
    blocking() {
      // Another tab wants a newer schema: let it.
      cache?.close();
    },
  });
  cache = new IdbDatasetCache(db);
  return cache;
}
