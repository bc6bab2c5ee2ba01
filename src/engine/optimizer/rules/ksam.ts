import * as tf from '@tensorflow/tfjs';
import type { StepRuleOf } from '../config';
import { correctCount, perSampleCrossEntropy } from '../../loss';
import { disposeGrads, firstPass } from '../passes';
import type { StepPhase } from '../phases';
import type { StepContext, StepMethod, StepOptions, StepOutput } from '../step-types';
import { perturbedDescent, perturbationByName, updateWith } from './common';

/**
 * K-SAM (Ni et al., 2022), as the reference's step_ksam: a gradient-free forward at θ on the
 * whole batch (the step's BatchNorm-recording pass) ranks it; S = the k samples of largest ℓ(θ),
 * in ascending index order; both SAM passes run on S only. lossAfter is ℓ(θ + ε) on S, in the
 * order of `selected`.
 */
export function kSamMethod(rule: StepRuleOf<'ksam'>): StepMethod {
  const spec = { rho: rule.rho, beta: 1, adaptive: rule.adaptive };
  return {
    phases: ['ranking', 'ascentForwardBackward', 'descentForwardBackward', 'update'],
    *run(ctx: StepContext, x: tf.Tensor, y: tf.Tensor1D, options: StepOptions): Generator<StepPhase, StepOutput, unknown> {
      const b = y.shape[0];
      if (!(Number.isInteger(rule.k) && rule.k > 0 && rule.k <= b)) throw new Error(`K-SAM k = ${rule.k} for a batch of ${b}`);
      const { lossBefore, correct } = tf.tidy(() => {
        const logits = ctx.model.apply(x, 'train-record');
        return { lossBefore: perSampleCrossEntropy(logits, y), correct: correctCount(logits, y) };
      });
      // Largest losses first, then their indices in ascending order (topk of the negated indices).
      const selected = tf.tidy(() => {
        const top = tf.cast(tf.topk(lossBefore, rule.k).indices, 'float32');
        return tf.cast(tf.neg(tf.topk(tf.neg(top), rule.k).values), 'int32') as tf.Tensor1D;
      });
      const xs = tf.gather(x, selected);
      const ys = tf.gather(y, selected);
      yield 'ranking';
      const first = firstPass(ctx.model, xs, ys, ctx.params, 'train');
      first.losses.dispose();
      first.correct.dispose();
      const perturbed = yield* perturbedDescent(
        ctx,
        xs,
        ys,
        ctx.params,
        ctx.params.map((v) => first.grads[v.name]),
        spec,
      );
      disposeGrads(first.grads);
      tf.dispose([xs, ys]);
      updateWith(ctx, perturbed.grads, options.lr);
      yield 'update';
      const perturbation = perturbationByName(
        ctx,
        ctx.params.map(() => true),
        perturbed.eps,
        options.keepPerturbation ?? false,
      );
      return { lossBefore, correct, lossAfter: perturbed.losses, selected, perturbation, sharpnessAware: true };
    },
  };
}
