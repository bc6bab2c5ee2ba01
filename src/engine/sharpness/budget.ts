/** The per-epoch λ_max measurement's fixed size (no tfjs: the settings' help text reads it). */

/** Power-iteration steps before the final Hessian-vector product that measures the residual. */
export const HESSIAN_ITERATIONS = 20;

/** Gradient passes on the probe batch per measurement: two per Hessian-vector product. */
export function hessianGradientPasses(iterations = HESSIAN_ITERATIONS): number {
  return 2 * (iterations + 1);
}
