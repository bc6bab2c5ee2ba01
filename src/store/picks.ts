/**
 * What SDS picks, as the gallery shows it: each run's probe batch (sent once by the worker) and
 * its B+ at the end of every epoch. Kept in memory only: a reload keeps the run's numbers (the
 * flipped shares are in its epoch records) but not the images.
 */
import type { ProbeBatch } from '../engine/runner';
import type { FromWorker } from '../worker/protocol';

export interface PicksState {
  probes: Record<string, ProbeBatch>;
  /** Per run: epoch → B+ as indices into the probe batch, largest loss rise first. */
  bPlus: Record<string, Record<number, number[]>>;
}

export function emptyPicks(): PicksState {
  return { probes: {}, bPlus: {} };
}

/** Applies a 'probe' or 'epoch' message; any other message leaves the state as it is. */
export function applyPickMessage(state: PicksState, message: FromWorker): PicksState {
  if (message.type === 'probe') {
    return { probes: { ...state.probes, [message.runId]: message.probe }, bPlus: { ...state.bPlus, [message.runId]: {} } };
  }
  if (message.type === 'epoch' && state.probes[message.runId]) {
    const byEpoch = { ...state.bPlus[message.runId], [message.epoch.epoch]: message.probeBPlus };
    return { ...state, bPlus: { ...state.bPlus, [message.runId]: byEpoch } };
  }
  return state;
}

export function withoutPicks(state: PicksState, runId: string): PicksState {
  if (!state.probes[runId]) return state;
  const { [runId]: _probe, ...probes } = state.probes;
  const { [runId]: _bPlus, ...bPlus } = state.bPlus;
  return { probes, bPlus };
}

/** One tile of the gallery: an image of B+ with the label trained on and, if noise replaced it, the true one. */
export interface PickTile {
  /** Index into the probe batch. */
  index: number;
  label: string;
  /** The class before label noise, when noise changed it. */
  trueLabel: string | null;
}

export function pickTiles(probe: ProbeBatch, bPlus: readonly number[]): PickTile[] {
  const name = (c: number) => probe.classNames[c] ?? `class ${c}`;
  return bPlus.map((index) => {
    const clean = probe.cleanLabels?.[index];
    const label = probe.labels[index];
    return { index, label: name(label), trueLabel: clean !== undefined && clean !== label ? name(clean) : null };
  });
}
