import type { Rng } from '../random';
import { createCnn } from './cnn';
import { createTinyConv } from './conv';
import { createMlp } from './mlp';
import type { Model } from './model';
import { createResNet } from './resnet';

export type { ForwardMode, Model } from './model';

export const MODEL_NAMES = ['cnn', 'mlp', 'linear', 'conv', 'resnet8', 'resnet20'] as const;
export type ModelName = (typeof MODEL_NAMES)[number];
export const DEFAULT_MODEL: ModelName = 'cnn';

export const MODEL_DESCRIPTIONS: Record<ModelName, string> = {
  cnn: 'Three conv-ReLU-pool blocks, global average pool, dense (the default)',
  mlp: 'Fully connected layers with ReLU on the flattened image',
  linear: 'Softmax regression on the raw pixels (a baseline)',
  conv: 'One 3×3 conv, ReLU, spatial mean, dense (the golden vectors’ tiny model)',
  resnet8: 'CIFAR ResNet-8 with BatchNorm',
  resnet20: 'CIFAR ResNet-20 with BatchNorm',
};

export interface ModelOptions {
  /** cnn: channels of the first block; conv: filters; resnet: width multiplier. */
  width?: number;
  /** mlp: hidden layer widths. */
  hidden?: number[];
}

export function isModelName(name: string): name is ModelName {
  return (MODEL_NAMES as readonly string[]).includes(name);
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
    case 'resnet8':
      return createResNet(inputShape, classes, 1, options.width ?? 1, rng);
    case 'resnet20':
      return createResNet(inputShape, classes, 3, options.width ?? 1, rng);
  }
}
