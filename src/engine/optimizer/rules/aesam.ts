import type * as tf from '@tensorflow/tfjs';
import type { StepRuleOf } from '../config';
import { firstPass } from '../passes';
import type { StepContext, StepMethod, StepOptions, StepOutput, StepYield } from '../step-types';
import { squaredNorm } from '../../tensors';
import { samOrSgdRest } from './common';

type AeSamRule = StepRuleOf<'aesam'>;

/** AE-SAM's c_t = cStart + (cEnd − cStart)·min(t / totalSteps, 1). */
export function aeSamC(rule: Pick<AeSamRule, 'cStart' | 'cEnd' | 'totalSteps'>, t: number): number {
  return rule.cStart + (rule.cEnd - rule.cStart) * Math.min(t / rule.totalSteps, 1);
}

/**
 * AE-SAM (Jiang et al., ICLR 2023, Algorithm 1), as the reference's step_aesam: with
 * n_t = ‖∇L(θ)‖², the moving statistics μ_t = δ·μ + (1 − δ)·n_t and
 * v_t = δ·v + (1 − δ)·(n_t − μ_t)² (from 0, updated before the test), a SAM step when
 * t < warmup or n_t ≥ μ_t + c_t·√v_t, else an SGD step. The decision needs n_t on the host: one
 * scalar read per step (a HostRead, so that the driver may await it), the only device read of
 * any rule. The statistics are kept on the host in
 * double precision (they are host numbers already), with the step counter, as this method's state.
 */
export function aeSamMethod(rule: AeSamRule): StepMethod {
  if (!(rule.totalSteps > 0)) throw new Error(`AE-SAM needs totalSteps > 0, got ${rule.totalSteps}`);
  let t = 0;
  let mean = 0;
  let variance = 0;
  const spec = { rho: rule.rho, beta: 1, adaptive: rule.adaptive };
  return {
    phases: ['ascentForwardBackward', 'descentForwardBackward', 'update'],
    *run(ctx: StepContext, x: tf.Tensor, y: tf.Tensor1D, options: StepOptions): Generator<StepYield, StepOutput, number | undefined> {
      const { params } = ctx;
      const first = firstPass(ctx.model, x, y, params);
      const g = params.map((v) => first.grads[v.name]);
      const normSq = squaredNorm(g);
      const n = yield { read: normSq };
      normSq.dispose();
      if (n === undefined) throw new Error('AE-SAM’s step was driven without reading ‖g‖²');
      mean = rule.delta * mean + (1 - rule.delta) * n;
      variance = rule.delta * variance + (1 - rule.delta) * (n - mean) ** 2;
      const sam = t < rule.warmup || n >= mean + aeSamC(rule, t) * Math.sqrt(variance);
      t++;
      return yield* samOrSgdRest(ctx, x, y, first, g, sam, spec, options);
    },
  };
}
