/**
 * The phases of one optimizer step, in the order they run. A step rule announces the end of each
 * phase it has; SGD has only the descent pass and the update.
 */
export const STEP_PHASES = ['ascentForwardBackward', 'ranking', 'descentForwardBackward', 'update'] as const;
export type StepPhase = (typeof STEP_PHASES)[number];

/** The epoch record's key for a phase's mean time per step. */
export type PhaseCostKey = `${StepPhase}Ms`;

export function phaseCostKey(phase: StepPhase): PhaseCostKey {
  return `${phase}Ms`;
}

/** Milliseconds spent in each phase of one step (only the phases the step has). */
export type PhaseTimes = Partial<Record<StepPhase, number>>;

/** Short names of the phases, as the CLI's epoch line shows them (the page's names are in src/store/figures.ts). */
export const PHASE_LABELS: Record<StepPhase, string> = {
  ascentForwardBackward: 'ascent',
  ranking: 'ranking',
  descentForwardBackward: 'descent',
  update: 'update',
};
