/**
 * Runs in and out of the page: saving them in this browser and reading them back on load,
 * and export and import as JSON files.
 */
import type { RunRecord } from '../../engine/run-record';
import { exportFileName, exportJson, ImportError, MAX_IMPORT_BYTES, parseImport } from '../import-export';
import { MAX_AUTO_SELECT, mergeImported } from '../import-merge';
import { emptyLandscapes, type LandscapesState } from '../landscapes';
import { addRun, restoreRuns, toStored, type RunsState, type StoredRun } from '../runs';
import { readableRuns } from '../stored-runs';
import type { SliceContext } from './context';
import type { AppState } from './state';

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** What was read back from storage, joined with what the page did before it was read. */
export function withHydrated(
  s: AppState,
  stored: readonly StoredRun[],
  read: LandscapesState,
): { state: Partial<AppState>; changed: string[] } {
  const { state: restored, changed } = restoreRuns(stored);
  // Runs started before the stored ones were read keep their place after them.
  let merged: RunsState = restored;
  for (const id of s.order) merged = addRun(merged, s.runs[id], s.stepLosses[id]);
  merged = { ...merged, progress: s.progress, memory: s.memory };
  const l = s.landscapes;
  const landscapes: LandscapesState = {
    ...read,
    weights: [...new Set([...read.weights, ...l.weights])],
    records: [...read.records, ...l.records],
    jobs: l.jobs,
    options: l.options,
  };
  const selected = s.selected.length ? s.selected : restored.order.slice(-5);
  const focusId = s.focusId ?? restored.order[restored.order.length - 1] ?? null;
  return { state: { ...merged, selected, landscapes, hydrated: true, focusId }, changed };
}

export interface RunIoActions {
  /** The JSON and a file name for the selected runs, all runs, or the given ones (one run: a run object). */
  exportRuns(scope: 'selected' | 'all' | { ids: readonly string[] }): { fileName: string; json: string; count: number } | null;
  /** Imports a picked or dropped file, refusing one too large to be an export before reading it. */
  importFile(file: { name: string; size: number; text(): Promise<string> }): Promise<number>;
  /**
   * Imports a file's text. A malformed file is refused with an alert naming the first bad key,
   * and nothing changes. Imported runs join the list beside live ones (selected, unless there
   * are many); a run whose id is taken comes in under a new id (see mergeImported).
   */
  importText(text: string, fileName?: string): number;
}

export interface RunIoLink {
  actions: RunIoActions;
  persist(ids: readonly string[]): void;
  /** Reads stored runs and landscapes back into the page. */
  hydrate(): Promise<void>;
}

export function runIo(ctx: SliceContext): RunIoLink {
  const persist = (ids: readonly string[]): void => ctx.storage.save(ids, (id) => toStored(ctx.get(), id));
  const actions: RunIoActions = {
    exportRuns(scope) {
      const s = ctx.get();
      const wanted = scope === 'all' ? s.order : scope === 'selected' ? s.selected : scope.ids;
      const ids = s.order.filter((id) => wanted.includes(id));
      if (ids.length === 0) return null;
      const records = ids.map((id) => s.runs[id].record);
      return { fileName: exportFileName(records), json: exportJson(records), count: records.length };
    },
    async importFile(file) {
      if (file.size > MAX_IMPORT_BYTES) {
        ctx.alert(
          `Import refused (${file.name}): the file is ${(file.size / (1024 * 1024)).toFixed(1)} MB, larger than ${MAX_IMPORT_BYTES / (1024 * 1024)} MB (exported runs are far smaller). Nothing was changed.`,
        );
        return 0;
      }
      return actions.importText(await file.text(), file.name);
    },
    importText(text, fileName = 'the file') {
      let records: RunRecord[];
      try {
        records = parseImport(text);
      } catch (e) {
        const detail = e instanceof ImportError ? e.message : errorText(e);
        ctx.alert(`Import refused (${fileName}): ${detail}. Nothing was changed.`);
        return 0;
      }
      if (records.length === 0) {
        ctx.alert(`Nothing imported from ${fileName}: it holds no runs.`);
        return 0;
      }
      const s = ctx.get();
      const { state, ids, renamed, skipped } = mergeImported(s, records, ctx.deps.newId);
      const select = ids.length <= MAX_AUTO_SELECT ? ids.filter((id) => !s.selected.includes(id)) : [];
      ctx.set({ ...state, selected: [...s.selected, ...select] });
      if (ids.length > MAX_AUTO_SELECT)
        ctx.alert(`${ids.length} runs imported from ${fileName}; none was selected for the charts: tick the ones to compare.`);
      if (renamed)
        ctx.alert(`${renamed} imported run${renamed === 1 ? '' : 's'} had the id of a run already here and came in under a new id.`);
      if (skipped)
        ctx.alert(
          `${skipped} run${skipped === 1 ? ' was' : 's were'} already here unchanged and ${skipped === 1 ? 'was' : 'were'} not imported again.`,
        );
      persist(ids);
      return ids.length;
    },
  };
  return {
    actions,
    persist,
    async hydrate() {
      let stored: StoredRun[] = [];
      let landscapes: LandscapesState = emptyLandscapes();
      let skipped: string | null = null;
      await ctx.storage.use(async (p) => {
        ({ runs: stored, notice: skipped } = readableRuns(await p.loadAll()));
        const records = (await p.loadLandscapes()).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
        landscapes = { ...landscapes, weights: await p.weightIds(), records, shown: records.slice(-2).map((r) => r.id) };
      });
      const { state, changed } = withHydrated(ctx.get(), stored, landscapes);
      ctx.set(state);
      if (skipped) ctx.alert(skipped);
      if (changed.length) persist(changed);
    },
  };
}
