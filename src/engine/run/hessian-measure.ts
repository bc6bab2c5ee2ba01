import type * as tf from '@tensorflow/tfjs';
import type { Model } from '../models';
import type { Rng } from '../random';
import type { HessianDiagnostics } from '../run-record';
import { HESSIAN_ITERATIONS } from '../sharpness/budget';
import { topHessianEigenvalue } from '../sharpness/hessian';
import { meanLossGradient } from '../sharpness/model-gradient';

/**
 * λ_max of the probe batch's mean loss at the model's current weights, the loss the diagnostics'
 * ε comes from: BatchNorm on the probe batch's own statistics (`train` mode, running statistics
 * untouched), so the weights and the BatchNorm state are as they were afterwards. The starting
 * direction's seed is one draw from `rng`, a stream of its own: training never sees it.
 */
export async function measureHessian(model: Model, probe: { x: tf.Tensor; y: tf.Tensor1D }, rng: Rng): Promise<HessianDiagnostics> {
  const out = await topHessianEigenvalue(
    meanLossGradient(model, probe.x, probe.y),
    model.params.map((p) => p.variable),
    { iterations: HESSIAN_ITERATIONS, seed: rng.int(2 ** 32) },
  );
  return { lambdaMax: out.lambdaMax, lambdaMaxResidual: out.residual, lambdaMaxIterations: out.iterations };
}
