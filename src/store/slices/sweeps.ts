/** Sweeps (the paper's Fig. 3): the grid the panel would queue, and the sweeps queued. */
import { isLive } from '../runs';
import { sweepBlockers } from '../selectors';
import { DEFAULT_SWEEP, planSweep, sweepExport, sweepGroups, type SweepSpec } from '../sweep';
import type { SliceContext } from './context';
import { takenNames, uniqueName, type RunActions, type RunQueue } from './runs';

export interface SweepsSliceState {
  /** The sweep (Fig. 3) the panel would queue. */
  sweepSpec: SweepSpec;
}

export function initialSweeps(): SweepsSliceState {
  return { sweepSpec: DEFAULT_SWEEP };
}

export interface SweepActions {
  setSweepSpec(change: Partial<SweepSpec>): void;
  /** Why the sweep cannot be queued (empty when it can). */
  sweepBlockers(): string[];
  /**
   * Queues Fig. 3 for the panel's setup: one run per grid value (each an ordinary run, tagged
   * with its sweep), plus SGD, SAM and ESAM when asked. Returns the run ids.
   */
  startSweep(): string[];
  /** Stops the sweep's running run and takes its queued ones off the queue. */
  stopSweep(sweepId: string): void;
  exportSweep(sweepId: string): { fileName: string; json: string } | null;
}

export function sweepActions(ctx: SliceContext, queue: RunQueue, runs: Pick<RunActions, 'stop'>): SweepActions {
  return {
    setSweepSpec(change) {
      ctx.set({ sweepSpec: { ...ctx.get().sweepSpec, ...change } });
    },
    sweepBlockers: () => sweepBlockers(ctx.get()),
    startSweep() {
      const s = ctx.get();
      if (sweepBlockers(s).length > 0) return [];
      const sweepId = `sweep-${ctx.deps.newId()}`;
      const groups = sweepGroups(s.order, s.runs);
      const sweepName = uniqueName(
        `Sweep ${groups.length + 1}`,
        groups.map((g) => g.name),
      );
      const ids: string[] = [];
      for (const planned of planSweep(s.settings, s.sweepSpec, sweepId, sweepName)) {
        const id = queue.queueRun(planned.settings, uniqueName(planned.name, takenNames(ctx.get())), planned.tag);
        if (id) ids.push(id);
      }
      ctx.set({ selected: [...new Set([...ctx.get().selected, ...ids])] });
      return ids;
    },
    stopSweep(sweepId) {
      const s = ctx.get();
      for (const id of s.order) if (s.runs[id].sweep?.sweepId === sweepId && isLive(s.runs[id])) runs.stop(id);
    },
    exportSweep(sweepId) {
      const s = ctx.get();
      const group = sweepGroups(s.order, s.runs).find((g) => g.id === sweepId);
      if (!group) return null;
      const slug = group.name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
      return { fileName: `esam-playground-${slug}.json`, json: JSON.stringify(sweepExport(group), null, 1) };
    },
  };
}
