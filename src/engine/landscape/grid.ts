import * as tf from '@tensorflow/tfjs';
import type { Direction } from './directions';

export interface GridHooks {
  /** Grid points evaluated so far, of `total`. */
  onProgress?(done: number, total: number): void;
  /** Awaited before each row; 'stop' ends the grid with no result. */
  checkpoint?(): Promise<'continue' | 'stop'>;
}

export interface GridValues {
  /** [j][i]: at θ0 + coords[i]·d1 + coords[j]·d2. */
  loss: number[][];
  accuracy: number[][];
}

/** `resolution` evenly spaced values from −span to span; the middle one is exactly 0. */
export function gridCoordinates(resolution: number, span: number): number[] {
  if (!Number.isInteger(resolution) || resolution < 1) throw new RangeError(`resolution must be a positive integer, got ${resolution}`);
  if (resolution === 1) return [0];
  const mid = (resolution - 1) / 2;
  // Symmetric by construction: coordinate i and resolution−1−i are exact negatives.
  return Array.from({ length: resolution }, (_, i) => ((i - mid) / mid) * span);
}

/**
 * Measures every point θ0 + a·d1 + b·d2 of the grid coords × coords by assigning it to `vars`.
 * θ0 is restored exactly afterwards (from a copy, not by subtraction), also when stopped or on
 * an error.
 */
export async function evaluateGrid(
  vars: tf.Variable[],
  directions: [Direction, Direction],
  coords: number[],
  measure: () => Promise<{ loss: number; accuracy: number }>,
  hooks: GridHooks = {},
): Promise<GridValues | null> {
  const [d1, d2] = directions;
  if (d1.length !== vars.length || d2.length !== vars.length) {
    throw new Error(`the directions have ${d1.length} and ${d2.length} tensors, the model ${vars.length} variables`);
  }
  const total = coords.length * coords.length;
  const loss: number[][] = [];
  const accuracy: number[][] = [];
  const theta0 = vars.map((v) => v.clone());
  try {
    for (const b of coords) {
      if (hooks.checkpoint && (await hooks.checkpoint()) === 'stop') return null;
      const lossRow: number[] = [];
      const accuracyRow: number[] = [];
      for (const a of coords) {
        tf.tidy(() => vars.forEach((v, k) => v.assign(tf.add(tf.add(theta0[k], tf.mul(d1[k], a)), tf.mul(d2[k], b)))));
        const m = await measure();
        lossRow.push(m.loss);
        accuracyRow.push(m.accuracy);
        hooks.onProgress?.(loss.length * coords.length + lossRow.length, total);
      }
      loss.push(lossRow);
      accuracy.push(accuracyRow);
    }
    return { loss, accuracy };
  } finally {
    vars.forEach((v, k) => v.assign(theta0[k]));
    tf.dispose(theta0);
  }
}
