/**
 * The last check before a dataset is trained on, wherever it came from (a loader, the cache,
 * the CLI): sizes that agree with each other, non-empty splits, and every label a class.
 */
import { DatasetError } from './errors';
import type { ImageDataset, ImageSplit } from './types';

function checkSplit(where: string, split: ImageSplit, imageBytes: number, classes: number): void {
  if (!Number.isInteger(split.count) || split.count < 1) throw new DatasetError(where, `has no images (count ${split.count})`);
  if (split.labels.length !== split.count) throw new DatasetError(where, `has ${split.labels.length} labels for ${split.count} images`);
  if (split.images.length !== split.count * imageBytes) {
    throw new DatasetError(where, `has ${split.images.length} image bytes, expected ${split.count} × ${imageBytes}`);
  }
  for (let i = 0; i < split.count; i++) {
    if (split.labels[i] >= classes) {
      throw new DatasetError(
        where,
        `label ${i} (0-based) is ${split.labels[i]}, but the dataset has ${classes} classes (expected 0..${classes - 1})`,
      );
    }
  }
}

/** Throws a DatasetError naming the dataset and split when it cannot be trained on. */
export function checkDataset(dataset: ImageDataset): void {
  const classes = dataset.classNames.length;
  if (classes < 2) throw new DatasetError(dataset.name, `has ${classes} class names (expected at least 2)`);
  const imageBytes = dataset.height * dataset.width * dataset.channels;
  checkSplit(`${dataset.name} training split`, dataset.train, imageBytes, classes);
  checkSplit(`${dataset.name} test split`, dataset.test, imageBytes, classes);
}
