import type { Rng } from '../random';

/**
 * Stochastic Weight Perturbation mask: each parameter tensor is kept with probability β.
 * At least one tensor is kept, so that the first backward pass has something to compute.
 */
export function drawSwpMask(count: number, beta: number, rng: Rng): boolean[] {
  if (beta >= 1) return new Array<boolean>(count).fill(true);
  const mask = Array.from({ length: count }, () => rng.next() < beta);
  if (!mask.includes(true)) mask[rng.int(count)] = true;
  return mask;
}
