import * as tf from '@tensorflow/tfjs';
import { selectedCount } from '../config';
import { descentPass, disposeGrads, firstPass, rankBySharpness } from '../passes';
import { applyPerturbation, perturbationOf, removePerturbation, type PerturbationSpec } from '../perturbation';
import type { StepPhase } from '../phases';
import type { StepContext, StepOptions, StepOutput } from '../step-types';
import { sumScalars } from '../../tensors';
import { perturbationByName } from './common';

/**
 * m-sharpness (Foret et al., 2021), as the reference's step_sam with `m`: the batch is cut into
 * consecutive micro-batches of m samples; each has its own ε from its own gradient (SWP's mask and
 * 1/β as for the whole batch), its own SDS (⌊γ·m⌋ of its samples), and the step's direction is
 * the mean of their descent gradients. Only the first micro-batch's pass updates BatchNorm's
 * running statistics (once per step, as without m; each pass normalizes with its own m samples).
 */
export function* microBatchStep(
  spec: PerturbationSpec & { gamma: number; m: number },
  ctx: StepContext,
  x: tf.Tensor,
  y: tf.Tensor1D,
  options: StepOptions,
  mask: readonly boolean[],
): Generator<StepPhase, StepOutput, unknown> {
  const { model, params } = ctx;
  const b = y.shape[0];
  const m = spec.m;
  if (!(Number.isInteger(m) && m > 0 && b % m === 0)) throw new Error(`a batch of ${b} is not a whole number of micro-batches of m = ${m}`);
  const count = b / m;
  const kept = params.filter((_, i) => mask[i]);
  const k = selectedCount(spec.gamma, m);
  const before: tf.Tensor1D[] = [];
  const after: tf.Tensor1D[] = [];
  const corrects: tf.Scalar[] = [];
  const chosen: tf.Tensor1D[] = [];
  const microEps: tf.Tensor[][] = [];
  let direction: tf.Tensor[] = params.map((v) => tf.zerosLike(v));
  for (let j = 0; j < count; j++) {
    const xj = tf.slice(x, j * m, m);
    const yj = tf.slice(y, j * m, m) as tf.Tensor1D;
    const first = firstPass(model, xj, yj, kept, j === 0 ? 'train-record' : 'train');
    const eps = perturbationOf(
      kept,
      kept.map((v) => first.grads[v.name]),
      spec,
    );
    disposeGrads(first.grads);
    applyPerturbation(kept, eps);
    yield 'ascentForwardBackward';
    let ranked: { lossAfter: tf.Tensor1D; selected: tf.Tensor1D } | null = null;
    if (k < m) {
      ranked = rankBySharpness(model, xj, yj, first.losses, k);
      yield 'ranking';
    }
    const descent = descentPass(model, xj, yj, params, ranked?.selected ?? null);
    yield 'descentForwardBackward';
    removePerturbation(kept, eps);
    const previous = direction;
    direction = tf.tidy(() => previous.map((d, i) => tf.add(d, tf.div(descent.grads[i], count))));
    tf.dispose([...previous, ...descent.grads, xj, yj]);
    before.push(first.losses);
    corrects.push(first.correct);
    after.push(ranked ? ranked.lossAfter : descent.losses!);
    if (ranked) {
      chosen.push(tf.tidy(() => tf.add(ranked.selected, tf.scalar(j * m, 'int32')) as tf.Tensor1D));
      ranked.selected.dispose();
    }
    microEps.push(eps);
  }
  ctx.base.update(direction, options.lr);
  tf.dispose(direction);
  yield 'update';

  const gathered = (parts: tf.Tensor1D[]) => {
    const whole = tf.concat(parts) as tf.Tensor1D;
    tf.dispose(parts);
    return whole;
  };
  const correct = sumScalars(corrects);
  tf.dispose(corrects);
  const keep = options.keepPerturbation ?? false;
  const microPerturbation = microEps.map((eps) => perturbationByName(ctx, mask, eps, keep));
  return {
    lossBefore: gathered(before),
    correct,
    lossAfter: gathered(after),
    selected: chosen.length > 0 ? gathered(chosen) : null,
    perturbation: null,
    ...(keep ? { microPerturbation: microPerturbation as Map<string, tf.Tensor>[] } : {}),
    sharpnessAware: true,
  };
}
