import * as tf from '@tensorflow/tfjs';
import { SDS_FULL_BATCH_THRESHOLD, selectedCount } from '../config';
import { descentPass, disposeGrads, firstPass, rankBySharpness } from '../passes';
import { applyPerturbation, perturbationOf, removePerturbation, type PerturbationSpec } from '../perturbation';
import type { StepPhase } from '../phases';
import type { StepContext, StepMethod, StepOptions, StepOutput } from '../step-types';
import { microBatchStep } from './m-sharpness';

export interface SharpnessAwareRule extends PerturbationSpec {
  /** SDS's ratio: B+ is the ⌊γ·|B|⌋ samples whose loss rose most (the whole batch from 0.99 up). */
  gamma: number;
  /** m-sharpness: one ε per micro-batch of m samples (absent: the whole batch). */
  m?: number;
}

/**
 * SAM and ESAM as in the authors' implementation (see docs/golden-format.md): the ascent pass at
 * θ (backward only for SWP's kept tensors), θ + ε, SDS's ranking when γ selects a subset, the
 * descent pass on B+ at θ + ε, back to θ, and the base optimizer's update with the descent gradient.
 * With `m` smaller than the batch, m-sharpness (./m-sharpness.ts).
 */
export function sharpnessAwareMethod(rule: SharpnessAwareRule): StepMethod {
  const ranks = rule.gamma < SDS_FULL_BATCH_THRESHOLD;
  const phases: StepPhase[] = ['ascentForwardBackward', ...(ranks ? (['ranking'] as const) : []), 'descentForwardBackward', 'update'];
  return {
    phases,
    *run(ctx: StepContext, x: tf.Tensor, y: tf.Tensor1D, options: StepOptions): Generator<StepPhase, StepOutput, unknown> {
      const { model, params } = ctx;
      const mask = options.swpMask ?? params.map(() => true);
      if (mask.length !== params.length) throw new Error(`SWP mask has ${mask.length} entries for ${params.length} parameters`);
      const m = rule.m;
      if (m !== undefined && m !== y.shape[0]) return yield* microBatchStep({ ...rule, m }, ctx, x, y, options, mask);
      const kept = params.filter((_, i) => mask[i]);

      const first = firstPass(model, x, y, kept);
      const epsilons = perturbationOf(
        kept,
        kept.map((v) => first.grads[v.name]),
        rule,
      );
      disposeGrads(first.grads);
      applyPerturbation(kept, epsilons);
      yield 'ascentForwardBackward';

      // Without SDS, B+ = B and the descent pass's forward yields ℓ(θ+ε) itself (same values), so
      // SAM and ESAM-SWP do not pay for an extra forward.
      const k = selectedCount(rule.gamma, y.shape[0]);
      let ranked: { lossAfter: tf.Tensor1D; selected: tf.Tensor1D } | null = null;
      if (k < y.shape[0]) {
        ranked = rankBySharpness(model, x, y, first.losses, k);
        yield 'ranking';
      }
      const descent = descentPass(model, x, y, params, ranked?.selected ?? null);
      yield 'descentForwardBackward';

      removePerturbation(kept, epsilons);
      ctx.base.update(descent.grads, options.lr);
      descent.grads.forEach((g) => g.dispose());
      yield 'update';

      let perturbation: Map<string, tf.Tensor> | null = null;
      if (options.keepPerturbation) {
        perturbation = new Map();
        let e = 0;
        ctx.model.params.forEach((p, i) => perturbation!.set(p.name, mask[i] ? epsilons[e++] : tf.zerosLike(p.variable)));
      } else {
        epsilons.forEach((t) => t.dispose());
      }
      const lossAfter = ranked ? ranked.lossAfter : descent.losses!;
      return {
        lossBefore: first.losses,
        correct: first.correct,
        lossAfter,
        selected: ranked?.selected ?? null,
        perturbation,
        sharpnessAware: true,
      };
    },
  };
}
