import type { Rng } from '../random';
import { createCnn } from './cnn';
import { createTinyConv } from './conv';
import { createMlp } from './mlp';
import type { ModelName } from '../model-names';
import type { Model } from './model';
import { createResNet } from './resnet';

export type { ForwardMode, Model } from './model';

export { DEFAULT_MODEL, isModelName, MODEL_DESCRIPTIONS, MODEL_NAMES, type ModelName } from '../model-names';

export interface ModelOptions {
  /** cnn: channels of the first block; conv: filters; resnet: width multiplier. */
  width?: number;
  /** mlp: hidden layer widths. */
  hidden?: number[];
}

/** Builds a named model for images of `inputShape` = [height, width, channels]. */
export function createModel(name: ModelName, inputShape: number[], classes: number, rng: Rng, options: ModelOptions = {}): Model {
  switch (name) {
    case 'mlp': {
      const features = inputShape.reduce((a, b) => a * b, 1);
      return createMlp([features, ...(options.hidden ?? [256]), classes], rng, inputShape);
    }
    case 'linear':
      return createMlp([inputShape.reduce((a, b) => a * b, 1), classes], rng, inputShape);
    case 'conv':
      return createTinyConv(inputShape, options.width ?? 16, classes, rng);
    case 'cnn':
      return createCnn(inputShape, classes, options.width ?? 16, rng);
    case 'cnn-bn':
      return createCnn(inputShape, classes, options.width ?? 16, rng, true);
    case 'resnet8':
      return createResNet(inputShape, classes, 1, options.width ?? 1, rng);
    case 'resnet20':
      return createResNet(inputShape, classes, 3, options.width ?? 1, rng);
  }
}
