/**
 * The page's side of run storage: every write goes through `use`, which reports the first
 * failure after a success (so a later failure is never silent), and `save` writes runs again
 * whose earlier save failed, saying so once they are all stored.
 */
import type { RunPersistence } from './persistence';
import type { StoredRun } from './runs';

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export class RunStorage {
  private persistence: RunPersistence | null = null;
  /** Whether the last write failed. */
  private failing = false;
  /** A save failed since every run was last stored: say so when they all are again. */
  private recoveryDue = false;
  /** Runs whose latest state is not stored. */
  private readonly unsaved = new Set<string>();

  constructor(
    private readonly opened: Promise<RunPersistence>,
    private readonly alert: (message: string) => void,
  ) {}

  /** Runs `fn` on the store; false when it failed. */
  async use(fn: (p: RunPersistence) => Promise<void>): Promise<boolean> {
    try {
      this.persistence ??= await this.opened;
      await fn(this.persistence);
    } catch (e) {
      if (!this.failing) {
        this.failing = true;
        this.alert(
          `Runs cannot be saved in this browser (${errorText(e)}); they will be lost on reload unless a later save succeeds. Export them to keep them.`,
        );
      }
      return false;
    }
    this.failing = false;
    return true;
  }

  /** Saves these runs and any whose earlier save failed; `snapshot` gives a run's stored form (null: it is gone). */
  save(ids: readonly string[], snapshot: (id: string) => StoredRun | null): void {
    const all = [...new Set([...this.unsaved, ...ids])];
    const stored: StoredRun[] = [];
    for (const id of all) {
      const s = snapshot(id);
      if (s) stored.push(s);
      else this.unsaved.delete(id);
    }
    if (!stored.length) return;
    void this.use((p) => p.putMany(stored)).then((ok) => {
      for (const r of stored) {
        if (ok) this.unsaved.delete(r.record.id);
        else this.unsaved.add(r.record.id);
      }
      if (!ok) this.recoveryDue = true;
      else if (this.recoveryDue && this.unsaved.size === 0) {
        this.recoveryDue = false;
        this.alert('Runs are being saved in this browser again; the ones that failed to save are now stored.');
      }
    });
  }
}
