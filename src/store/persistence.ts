/**
 * Runs kept in IndexedDB across reloads, in their own database (the worker's dataset cache is
 * another). Each run is one entry, rewritten as its epochs arrive. Beside them: each finished
 * run's final weights (for loss landscapes after a reload) and the landscapes computed.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { LandscapeRecord } from '../engine/landscape/record';
import type { ModelWeights } from '../engine/weights';
import type { StoredRun } from './runs';

export const RUNS_DB = 'esam-playground-runs';
const VERSION = 2;

interface StoredWeights {
  runId: string;
  weights: ModelWeights;
}

interface RunsSchema extends DBSchema {
  runs: { key: string; value: StoredRun };
  weights: { key: string; value: StoredWeights };
  landscapes: { key: string; value: LandscapeRecord };
}

export interface RunPersistence {
  loadAll(): Promise<StoredRun[]>;
  /** Replaces several runs in one transaction: all are written or none. */
  putMany(runs: readonly StoredRun[]): Promise<void>;
  /** Deletes a run and its weights. */
  delete(id: string): Promise<void>;
  putWeights(runId: string, weights: ModelWeights): Promise<void>;
  getWeights(runId: string): Promise<ModelWeights | null>;
  /** Ids of the runs whose weights are kept. */
  weightIds(): Promise<string[]>;
  loadLandscapes(): Promise<LandscapeRecord[]>;
  putLandscape(record: LandscapeRecord): Promise<void>;
  deleteLandscape(id: string): Promise<void>;
}

/** Writes for one run are applied in the order they were asked for. */
export async function openRunPersistence(dbName: string = RUNS_DB): Promise<RunPersistence> {
  let db: IDBPDatabase<RunsSchema> | null = null;
  db = await openDB<RunsSchema>(dbName, VERSION, {
    upgrade(database) {
      if (!database.objectStoreNames.contains('runs')) database.createObjectStore('runs', { keyPath: 'record.id' });
      if (!database.objectStoreNames.contains('weights')) database.createObjectStore('weights', { keyPath: 'runId' });
      if (!database.objectStoreNames.contains('landscapes')) database.createObjectStore('landscapes', { keyPath: 'id' });
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
      const tx = open.transaction(['runs', 'weights'], 'readwrite');
      await Promise.all([tx.objectStore('runs').delete(id), tx.objectStore('weights').delete(id), tx.done]);
    },
    async putWeights(runId, weights) {
      await open.put('weights', { runId, weights });
    },
    async getWeights(runId) {
      return (await open.get('weights', runId))?.weights ?? null;
    },
    weightIds: () => open.getAllKeys('weights'),
    loadLandscapes: () => open.getAll('landscapes'),
    async putLandscape(record) {
      await open.put('landscapes', record);
    },
    async deleteLandscape(id) {
      await open.delete('landscapes', id);
    },
  };
}

/** A store that keeps nothing across reloads (IndexedDB unavailable, e.g. some private windows; tests). */
export function memoryPersistence(): RunPersistence & {
  data: Map<string, StoredRun>;
  weights: Map<string, ModelWeights>;
  landscapes: Map<string, LandscapeRecord>;
} {
  const data = new Map<string, StoredRun>();
  const weights = new Map<string, ModelWeights>();
  const landscapes = new Map<string, LandscapeRecord>();
  return {
    data,
    weights,
    landscapes,
    loadAll: async () => [...data.values()].map((r) => structuredClone(r)),
    async putMany(runs) {
      for (const r of runs) data.set(r.record.id, structuredClone(r));
    },
    async delete(id) {
      data.delete(id);
      weights.delete(id);
    },
    async putWeights(runId, w) {
      weights.set(runId, structuredClone(w));
    },
    getWeights: async (runId) => (weights.has(runId) ? structuredClone(weights.get(runId)!) : null),
    weightIds: async () => [...weights.keys()],
    loadLandscapes: async () => [...landscapes.values()].map((r) => structuredClone(r)),
    async putLandscape(record) {
      landscapes.set(record.id, structuredClone(record));
    },
    async deleteLandscape(id) {
      landscapes.delete(id);
    },
  };
}
