export const SCHEDULE_NAMES = ['cosine', 'constant'] as const;
export type ScheduleName = (typeof SCHEDULE_NAMES)[number];

/** Learning rate for training step `step` (0-based) of `totalSteps`; cosine decays to zero over the run. */
export function learningRateAt(schedule: ScheduleName, baseLr: number, step: number, totalSteps: number): number {
  if (schedule === 'constant' || totalSteps <= 0) return baseLr;
  return 0.5 * baseLr * (1 + Math.cos((Math.PI * Math.min(step, totalSteps)) / totalSteps));
}
