import type * as tf from '@tensorflow/tfjs';
import { disposeGrads, firstPass } from '../passes';
import type { StepContext, StepMethod, StepOptions, StepOutput } from '../step-types';

/** Plain SGD: one forward and backward at θ, then the base optimizer's update. */
export const sgdMethod: StepMethod = {
  phases: ['descentForwardBackward', 'update'],
  *run(
    ctx: StepContext,
    x: tf.Tensor,
    y: tf.Tensor1D,
    options: StepOptions,
  ): Generator<'descentForwardBackward' | 'update', StepOutput, unknown> {
    const { params } = ctx;
    const pass = firstPass(ctx.model, x, y, params);
    yield 'descentForwardBackward';
    ctx.base.update(
      params.map((v) => pass.grads[v.name]),
      options.lr,
    );
    disposeGrads(pass.grads);
    yield 'update';
    return { lossBefore: pass.losses, correct: pass.correct, lossAfter: null, selected: null, perturbation: null, sharpnessAware: false };
  },
};
