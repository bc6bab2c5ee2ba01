/** Model names and descriptions without tfjs, so the page can list them without loading it. */
export const MODEL_NAMES = ['cnn-bn', 'cnn', 'mlp', 'linear', 'conv', 'resnet8', 'resnet20'] as const;
export type ModelName = (typeof MODEL_NAMES)[number];
export const DEFAULT_MODEL: ModelName = 'cnn-bn';

export const MODEL_DESCRIPTIONS: Record<ModelName, string> = {
  'cnn-bn': 'Three conv-BatchNorm-ReLU-pool blocks, global average pool, dense (the default)',
  cnn: 'Three conv-ReLU-pool blocks without BatchNorm, global average pool, dense',
  mlp: 'Fully connected layers with ReLU on the flattened image',
  linear: 'Softmax regression on the raw pixels (a baseline)',
  conv: 'One 3×3 conv, ReLU, spatial mean, dense (the golden vectors’ tiny model)',
  resnet8: 'CIFAR ResNet-8 with BatchNorm',
  resnet20: 'CIFAR ResNet-20 with BatchNorm',
};

export function isModelName(name: string): name is ModelName {
  return (MODEL_NAMES as readonly string[]).includes(name);
}
