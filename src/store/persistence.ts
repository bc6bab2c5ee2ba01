/**
 * Runs kept in IndexedDB across reloads, in their own database (the worker's dataset cache is
 * another). Each run is one entry, rewritten as its epochs arrive.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { StoredRun } from './runs';

export const RUNS_DB = 'esam-playground-runs';
const VERSION = 1;

interface RunsSchema extends DBSchema {
  runs: { key: string; value: StoredRun };
}

export interface RunPersistence {
  loadAll(): Promise<StoredRun[]>;
  /** Replaces several runs in one transaction: all are written or none. */
  putMany(runs: readonly StoredRun[]): Promise<void>;
  delete(id: string): Promise<void>;
}

/** Writes for one run are applied in the order they were asked for. */
export async function openRunPersistence(dbName: string = RUNS_DB): Promise<RunPersistence> {
  let db: IDBPDatabase<RunsSchema> | null = null;
  db = await openDB<RunsSchema>(dbName, VERSION, {
    upgrade(database) {
      if (!database.objectStoreNames.contains('runs')) database.createObjectStore('runs', { keyPath: 'record.id' });
    },
    blocking() {
      db?.close();
    },
  });
  const open = db;
  return {
    loadAll: () => open.getAll('runs'),
    async putMany(runs) {
      const tx = open.transaction('runs', 'readwrite');
      await Promise.all([...runs.map((r) => tx.store.put(r)), tx.done]);
    },
    async delete(id) {
      await open.delete('runs', id);
    },
  };
}

/** A store that keeps nothing (IndexedDB unavailable, e.g. some private windows). */
export function memoryPersistence(): RunPersistence & { data: Map<string, StoredRun> } {
  const data = new Map<string, StoredRun>();
  return {
    data,
    loadAll: async () => [...data.values()].map((r) => structuredClone(r)),
    async putMany(runs) {
      for (const r of runs) data.set(r.record.id, structuredClone(r));
    },
    async delete(id) {
      data.delete(id);
    },
  };
}
