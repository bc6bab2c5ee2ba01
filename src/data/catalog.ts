/**
 * `public/datasets/index.json`: the dataset archives present on the server, written by
 * `npm run fetch:cifar` and read by the app (served as `/datasets/index.json`) to offer them.
 *
 *   { "datasets": [ { "name": "cifar10", "file": "cifar-10-binary.tar.gz", "bytes": 170052171 } ] }
 */
import { DATASET_NAMES, type DatasetName } from './types';

export interface DatasetIndexEntry {
  name: DatasetName;
  /** File name inside the datasets folder. */
  file: string;
  bytes: number;
}

export interface DatasetIndex {
  datasets: DatasetIndexEntry[];
}

/** Validates parsed JSON as a dataset index; throws an Error naming the first bad key. */
export function parseDatasetIndex(json: unknown): DatasetIndex {
  if (typeof json !== 'object' || json === null || !Array.isArray((json as DatasetIndex).datasets)) {
    throw new Error('dataset index: expected an object with a "datasets" array');
  }
  const datasets = (json as { datasets: unknown[] }).datasets.map((e, i): DatasetIndexEntry => {
    const entry = e as Partial<DatasetIndexEntry> | null;
    if (typeof entry !== 'object' || entry === null) throw new Error(`dataset index: datasets[${i}] is not an object`);
    if (!(DATASET_NAMES as readonly string[]).includes(entry.name as string))
      throw new Error(`dataset index: datasets[${i}].name is not a known dataset`);
    if (typeof entry.file !== 'string' || entry.file === '' || /[\\/]|^\.\.?$/.test(entry.file)) {
      throw new Error(`dataset index: datasets[${i}].file must be a plain file name`);
    }
    if (typeof entry.bytes !== 'number' || !Number.isInteger(entry.bytes) || entry.bytes < 0) {
      throw new Error(`dataset index: datasets[${i}].bytes must be a non-negative integer`);
    }
    return { name: entry.name as DatasetName, file: entry.file, bytes: entry.bytes };
  });
  return { datasets };
}

/** The index with `entry` added, replacing any entry for the same file; sorted by name then file. */
export function withIndexEntry(index: DatasetIndex, entry: DatasetIndexEntry): DatasetIndex {
  const datasets = index.datasets.filter((e) => e.file !== entry.file);
  datasets.push(entry);
  datasets.sort((a, b) => (a.name === b.name ? a.file.localeCompare(b.file) : a.name.localeCompare(b.name)));
  return { datasets };
}
