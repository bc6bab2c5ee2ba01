import type * as tf from '@tensorflow/tfjs';
import { measureDiagnostics, probeSelectedCount, type Diagnostics, type LinearityDiagnostics, type RunPerturbation } from '../diagnostics';
import type { Model } from '../models';
import { SDS_FULL_BATCH_THRESHOLD, type StepRule } from '../optimizer/config';
import { drawSwpMask } from '../optimizer/swp';
import type { Rng } from '../random';
import type { HessianDiagnostics } from '../run-record';
import { measureHessian } from './hessian-measure';

export interface MeasureOptions {
  rule: StepRule;
  rho: number;
  batchSize: number;
  /** Measure ζ along the run's own perturbation. */
  linearity: boolean;
  /** Draws the random subset R. */
  diagnosticsRng: Rng;
  /** Draws ζ's SWP mask. */
  linearityRng: Rng;
  /** Measure λ_max, the top Hessian eigenvalue of the probe batch's loss. */
  hessian: boolean;
  /** Seeds λ_max's power iteration, one draw per epoch. */
  hessianRng: Rng;
}

/**
 * The end-of-epoch measurements on the probe batch: the paper's Fig. 5 and 6 quantities (γ the
 * run's when SDS selects, 0.5 otherwise), ζ and λ_max when asked for, and B+'s indices. λ_max
 * comes after the diagnostics, at the same unperturbed weights (both leave them as they were).
 */
export async function measureEpoch(
  model: Model,
  probe: { x: tf.Tensor; y: tf.Tensor1D },
  o: MeasureOptions,
): Promise<Diagnostics & Partial<LinearityDiagnostics> & Partial<HessianDiagnostics> & { bPlus: number[] }> {
  const gamma = o.rule.kind === 'sharpness' && o.rule.gamma < SDS_FULL_BATCH_THRESHOLD ? o.rule.gamma : 0.5;
  const k = probeSelectedCount(gamma, o.batchSize);
  const diagnostics = await measureDiagnostics(model, probe.x, probe.y, {
    rho: o.rho,
    gamma,
    randomSubset: o.diagnosticsRng.permutation(o.batchSize).slice(0, k),
    ...(o.linearity ? { linearity: runPerturbationOf(o.rule, model.params.length, o.linearityRng) } : {}),
  });
  if (!o.hessian) return diagnostics;
  return { ...diagnostics, ...(await measureHessian(model, probe, o.hessianRng)) };
}

/** The perturbation ζ is measured along: a fresh SWP mask with the run's β (every tensor for SAM and SGD). */
function runPerturbationOf(rule: StepRule, params: number, rng: Rng): RunPerturbation {
  if (rule.kind === 'sgd') return { beta: 1, adaptive: false, swpMask: drawSwpMask(params, 1, rng) };
  const beta = rule.kind === 'sharpness' ? rule.beta : 1;
  return { beta, adaptive: rule.adaptive, swpMask: drawSwpMask(params, beta, rng) };
}
