/**
 * An ImageDataset written as plain files for other programs (the PyTorch twin): a
 * `dataset.json` manifest and four raw uint8 files. docs/dataset-export.md describes the format.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DatasetName, ImageDataset } from '../../src/data/types';

export const DATASET_EXPORT_FORMAT = 'esam-playground/dataset@1';

export interface SplitManifest {
  count: number;
  /** count × height × width × channels bytes, NHWC, row-major. */
  images: string;
  /** count bytes, one class index each. */
  labels: string;
}

export interface DatasetManifest {
  format: typeof DATASET_EXPORT_FORMAT;
  name: DatasetName;
  /** The seed the synthetic set was generated from; null for loaded files. */
  seed: number | null;
  classNames: string[];
  height: number;
  width: number;
  channels: number;
  layout: 'NHWC';
  /** Per-channel mean and std of all training images, 0..1 scale (the app's channelStats). */
  mean: number[];
  std: number[];
  train: SplitManifest;
  test: SplitManifest;
}

export const MANIFEST_FILE = 'dataset.json';

export function manifestOf(dataset: ImageDataset, seed: number | null): DatasetManifest {
  const split = (which: 'train' | 'test'): SplitManifest => ({
    count: dataset[which].count,
    images: `${which}-images.u8`,
    labels: `${which}-labels.u8`,
  });
  return {
    format: DATASET_EXPORT_FORMAT,
    name: dataset.name,
    seed,
    classNames: [...dataset.classNames],
    height: dataset.height,
    width: dataset.width,
    channels: dataset.channels,
    layout: 'NHWC',
    mean: [...dataset.mean],
    std: [...dataset.std],
    train: split('train'),
    test: split('test'),
  };
}

/** Writes the manifest and the four byte files into `dir` (created if missing); returns the manifest. */
export async function writeDatasetFiles(dir: string, dataset: ImageDataset, seed: number | null): Promise<DatasetManifest> {
  const manifest = manifestOf(dataset, seed);
  await mkdir(dir, { recursive: true });
  for (const which of ['train', 'test'] as const) {
    await writeFile(join(dir, manifest[which].images), dataset[which].images);
    await writeFile(join(dir, manifest[which].labels), dataset[which].labels);
  }
  await writeFile(join(dir, MANIFEST_FILE), JSON.stringify(manifest, null, 2) + '\n');
  return manifest;
}
