import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { stepRuleFor } from '../../src/engine/optimizer/config';
import { disposeStepOutput, SharpnessAwareOptimizer } from '../../src/engine/optimizer/step';
import { Rng } from '../../src/engine/random';
import { useBackend } from '../support/backend';
import { randomBatch, tinyModel } from './helpers';

/** Kernels run by one ESAM step (γ = 1, so the second pass computes every gradient). */
async function kernelCounts(mask: (name: string) => boolean): Promise<Map<string, number>> {
  const model = tinyModel('cnn', 1);
  const optimizer = new SharpnessAwareOptimizer(
    model,
    stepRuleFor({ name: 'esam', rho: 0.05, adaptive: false, swp: true, beta: 0.5, sds: false, gamma: 1 }),
    { momentum: 0.9, weightDecay: 0 },
  );
  const { x, y } = randomBatch(new Rng(1), 8, model.inputShape, model.numClasses);
  let out: ReturnType<typeof optimizer.step> | undefined;
  const info = await tf.profile(() => {
    out = optimizer.step(x, y, { lr: 0.1, swpMask: model.params.map((p) => mask(p.name)) });
    return out.lossBefore;
  });
  const counts = new Map<string, number>();
  for (const k of info.kernels) counts.set(k.name, (counts.get(k.name) ?? 0) + 1);
  disposeStepOutput(out!);
  tf.dispose([x, y]);
  optimizer.dispose();
  model.dispose();
  return counts;
}

describe('SWP prunes the first backward pass', () => {
  beforeAll(async () => {
    await useBackend();
  });

  it('runs no filter-gradient kernel for a masked-out first-layer kernel', async () => {
    const all = await kernelCounts(() => true);
    const withoutFirst = await kernelCounts((name) => name !== 'conv0/kernel');
    // Three convs: the first backward and the second pass each compute three filter gradients.
    expect(all.get('Conv2DBackpropFilter')).toBe(6);
    expect(withoutFirst.get('Conv2DBackpropFilter')).toBe(5);
  });

  it('skips the backward of every layer below the lowest kept tensor', async () => {
    const all = await kernelCounts(() => true);
    const onlyHead = await kernelCounts((name) => name.startsWith('dense0'));
    // Second pass: 3 filter + 2 input gradients (none needed for the image); first pass: none.
    expect(onlyHead.get('Conv2DBackpropFilter')).toBe(3);
    expect(onlyHead.get('Conv2DBackpropInput') ?? 0).toBe(2);
    expect(all.get('Conv2DBackpropInput') ?? 0).toBe(4);
  });
});
