/**
 * Export and import of runs (see docs/run-json.md). Export writes exactly the contract's keys;
 * import accepts exactly what export writes (one run, or the runs@1 wrapper) and refuses
 * anything else with a message naming the first offending key.
 */
import {
  EPOCH_KEYS,
  OPTIONAL_EPOCH_KEYS,
  RUN_FORMAT,
  RUN_STATUSES,
  RUNS_FORMAT,
  type EpochRecord,
  type RunConfig,
  type RunRecord,
  type RunsExport,
} from '../engine/run-record';
import { configValue, runConfigFrom } from '../engine/config/run-config';
import { CONFIG_FIELD_IDS, field, type FieldId } from '../engine/config/schema';
import { INSTABILITY_REASONS, type RunWarning } from '../engine/stability';
import { isModelName } from '../engine/model-names';
import { HyperparameterError, validateRunConfig } from '../engine/validation';

/** The largest file import reads (a 10,000-epoch run is about 6 MB); larger ones are refused unread. */
export const MAX_IMPORT_BYTES = 32 * 1024 * 1024;
/** The most runs one file may bring in. */
export const MAX_IMPORT_RUNS = 500;

// ---------------------------------------------------------------------------------------------
// Export

/** A copy of a run with exactly the contract's keys, in the contract's order. */
export function toContractRecord(r: RunRecord): RunRecord {
  // Every field of the schema at its path, in its order; an optional one only when present.
  const config = runConfigFrom(Object.fromEntries(CONFIG_FIELD_IDS.map((id) => [id, configValue(r.config, id)])));
  const epochs = r.epochs.map((e) => {
    const out = {} as Record<string, number>;
    for (const key of EPOCH_KEYS) out[key] = e[key];
    for (const key of OPTIONAL_EPOCH_KEYS) {
      const v = e[key];
      if (v !== undefined) out[key] = v;
    }
    return out as unknown as EpochRecord;
  });
  return {
    format: RUN_FORMAT,
    id: r.id,
    name: r.name,
    createdAt: r.createdAt,
    status: r.status,
    error: r.error,
    config,
    environment: {
      backend: r.environment.backend,
      adapter: r.environment.adapter,
      tfjsVersion: r.environment.tfjsVersion,
      agent: r.environment.agent,
    },
    epochs,
    summary: {
      finalTestAcc: r.summary.finalTestAcc,
      bestTestAcc: r.summary.bestTestAcc,
      imagesPerSec: r.summary.imagesPerSec,
      totalSeconds: r.summary.totalSeconds,
    },
    warnings: (r.warnings ?? []).map((w) => ({ kind: w.kind, reason: w.reason, epoch: w.epoch, message: w.message })),
    ...(r.group ? { group: { id: r.group.id, name: r.group.name } } : {}),
  };
}

/** One run as a run object; several (or none) in the runs@1 wrapper. */
export function exportDocument(records: readonly RunRecord[]): RunRecord | RunsExport {
  if (records.length === 1) return toContractRecord(records[0]);
  return { format: RUNS_FORMAT, runs: records.map(toContractRecord) };
}

export function exportJson(records: readonly RunRecord[]): string {
  return `${JSON.stringify(exportDocument(records), null, 2)}\n`;
}

/** Letters, digits, `.`, `_` and `-` only, no leading dots or dashes, at most 60 characters. */
function fileSlug(text: string): string {
  return text
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[-.]+|-+$/g, '')
    .slice(0, 60);
}

/** A file name for an export, e.g. "esam-run-ESAM-b0.6.json" or "esam-runs-3.json". */
export function exportFileName(records: readonly RunRecord[]): string {
  if (records.length === 1) {
    // Name and id may come from an imported file: neither is used unfiltered.
    const slug = fileSlug(records[0].name) || fileSlug(records[0].id) || 'run';
    return `esam-run-${slug}.json`;
  }
  return `esam-runs-${records.length}.json`;
}

// ---------------------------------------------------------------------------------------------
// Import

/** Thrown for a file that is not what export writes; `message` starts with the key's path. */
export class ImportError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
    this.name = 'ImportError';
  }
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing (the key is missing)';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'string') return `the text ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${String(v)}`;
}

function fail(path: string, expected: string, got: unknown): never {
  throw new ImportError(path, `${path || '(top level)'}: expected ${expected}, got ${describe(got)}`);
}

/** A reader over untrusted JSON that names the path of the first problem. */
class Reader {
  constructor(
    private readonly value: unknown,
    readonly path: string,
  ) {}

  get raw(): unknown {
    return this.value;
  }

  private child(key: string | number): Reader {
    const obj = this.value as Record<string, unknown>;
    const path = typeof key === 'number' ? `${this.path}[${key}]` : this.path ? `${this.path}.${key}` : key;
    return new Reader(obj[key as string], path);
  }

  object(): this {
    if (typeof this.value !== 'object' || this.value === null || Array.isArray(this.value)) fail(this.path, 'an object', this.value);
    return this;
  }

  key(name: string): Reader {
    return this.object().child(name);
  }

  list(): Reader[] {
    if (!Array.isArray(this.value)) fail(this.path, 'a list', this.value);
    return this.value.map((_, i) => this.child(i));
  }

  string(): string {
    if (typeof this.value !== 'string') fail(this.path, 'a string', this.value);
    return this.value;
  }

  nullableString(): string | null {
    if (this.value === null) return null;
    if (typeof this.value !== 'string') fail(this.path, 'a string or null', this.value);
    return this.value;
  }

  literal<T extends string>(options: readonly T[]): T {
    if (typeof this.value !== 'string' || !options.includes(this.value as T)) {
      fail(
        this.path,
        options.length === 1 ? JSON.stringify(options[0]) : `one of ${options.map((o) => JSON.stringify(o)).join(', ')}`,
        this.value,
      );
    }
    return this.value as T;
  }

  boolean(): boolean {
    if (typeof this.value !== 'boolean') fail(this.path, 'true or false', this.value);
    return this.value;
  }

  number(): number {
    if (typeof this.value !== 'number' || !Number.isFinite(this.value)) fail(this.path, 'a number', this.value);
    return this.value;
  }

  /** A finite number, or null where JSON had to write a non-finite value (it becomes NaN). */
  measurement(): number {
    if (this.value === null) return NaN;
    if (typeof this.value !== 'number' || !Number.isFinite(this.value)) fail(this.path, 'a number', this.value);
    return this.value;
  }

  nullableNumber(): number | null {
    if (this.value === null) return null;
    if (typeof this.value !== 'number' || !Number.isFinite(this.value)) fail(this.path, 'a number or null', this.value);
    return this.value;
  }

  int(min: number): number {
    const v = this.value;
    if (typeof v !== 'number' || !Number.isInteger(v)) fail(this.path, 'a whole number', v);
    if (v < min) fail(this.path, `a whole number ≥ ${min}`, v);
    return v;
  }

  numberIn(min: number, max: number): number {
    const v = this.number();
    if (v < min || v > max) fail(this.path, `a number in [${min}, ${max}]`, v);
    return v;
  }

  isoDate(): string {
    const s = this.string();
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(s) || Number.isNaN(Date.parse(s))) fail(this.path, 'an ISO-8601 date', s);
    return s;
  }
}

/** A field's JSON shape: its kind, and for a fraction (a closed [min, max]) its interval, which even stored runs keep. */
function readField(r: Reader, id: FieldId): unknown {
  const spec = field(id);
  switch (spec.kind) {
    case 'bool':
      return r.boolean();
    case 'enum':
      return spec.open ? r.string() : r.literal(spec.values);
    case 'int':
      return r.int(-Infinity);
    case 'number': {
      const { min, minOpen, max, maxOpen } = spec.range;
      return max === undefined || minOpen || maxOpen ? r.number() : r.numberIn(min, max);
    }
  }
}

function readConfig(r: Reader, strict: boolean): RunConfig {
  const values: Partial<Record<FieldId, unknown>> = {};
  for (const id of CONFIG_FIELD_IDS) {
    const at = (field(id).path as string).split('.').reduce((reader, key) => reader.key(key), r);
    if (field(id).optional && at.raw === undefined) continue;
    values[id] = readField(at, id);
  }
  const config = runConfigFrom(values);
  // The ranges every surface applies (epochs, seed, sizes, ratios): an import is no back door.
  if (!strict) return config;
  try {
    validateRunConfig(config, isModelName);
  } catch (e) {
    if (e instanceof HyperparameterError) throw new ImportError(r.path, `${r.path}: ${e.message}`);
    throw e;
  }
  return config;
}

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));

/** The summary must say what the epochs say (it is derived from them). */
function checkSummary(path: string, record: RunRecord): void {
  const { epochs, summary, config } = record;
  const at = path ? `${path}.` : '';
  if (epochs.length > config.epochs) {
    const where = `${at}epochs`;
    throw new ImportError(where, `${where}: expected at most config.epochs = ${config.epochs} epochs, got a list of ${epochs.length}`);
  }
  epochs.forEach((e, i) => {
    if (e.epoch !== i + 1) fail(`${at}epochs[${i}].epoch`, `${i + 1} (epochs are numbered 1, 2, … in order)`, e.epoch);
  });
  const accs = epochs.map((e) => e.testAcc).filter((a) => Number.isFinite(a));
  const final = epochs.length ? epochs[epochs.length - 1].testAcc : null;
  const expectFinal = final !== null && Number.isFinite(final) ? final : null;
  const sameOrNull = (got: number | null, want: number | null) => (got === null ? want === null : want !== null && close(got, want));
  if (!sameOrNull(summary.finalTestAcc, expectFinal)) {
    fail(`${at}summary.finalTestAcc`, `the last epoch's testAcc (${expectFinal})`, summary.finalTestAcc);
  }
  if (summary.bestTestAcc !== null && (accs.length === 0 || !close(summary.bestTestAcc, Math.max(...accs)))) {
    fail(`${at}summary.bestTestAcc`, `the best epoch's testAcc (${accs.length ? Math.max(...accs) : null})`, summary.bestTestAcc);
  }
  const seconds = epochs.reduce((sum, e) => sum + (Number.isFinite(e.seconds) ? e.seconds : 0), 0);
  if (!close(summary.totalSeconds, seconds))
    fail(`${at}summary.totalSeconds`, `the epochs' seconds added up (${seconds})`, summary.totalSeconds);
  if (summary.imagesPerSec !== null && summary.imagesPerSec < 0)
    fail(`${at}summary.imagesPerSec`, 'a number ≥ 0 or null', summary.imagesPerSec);
}

function readEpoch(r: Reader): EpochRecord {
  const out = {} as Record<string, number>;
  for (const key of EPOCH_KEYS) {
    const field = r.key(key);
    out[key] = key === 'epoch' ? field.int(1) : field.measurement();
  }
  // Present only in runs that measured them; then finite, as the runner keeps no other.
  for (const key of OPTIONAL_EPOCH_KEYS) {
    const field = r.key(key);
    if (field.raw !== undefined) out[key] = field.number();
  }
  return out as unknown as EpochRecord;
}

function readWarning(r: Reader): RunWarning {
  return {
    kind: r.key('kind').literal(['unstable']),
    reason: r.key('reason').literal(INSTABILITY_REASONS),
    epoch: r.key('epoch').int(1),
    message: r.key('message').string(),
  };
}

/**
 * Validates one run object; throws an ImportError naming the first bad key under `path`.
 * `strict` (for files) also applies the config's ranges and checks the summary against the
 * epochs; without it (runs this page stored itself) only the shape is checked.
 */
export function readRun(value: unknown, path = '', strict = true): RunRecord {
  const r = new Reader(value, path).object();
  r.key('format').literal([RUN_FORMAT]);
  const id = r.key('id').string();
  if (id === '') fail(r.key('id').path, 'a non-empty string', id);
  const record: RunRecord = {
    format: RUN_FORMAT,
    id,
    name: r.key('name').string(),
    createdAt: r.key('createdAt').isoDate(),
    status: r.key('status').literal(RUN_STATUSES),
    error: r.key('error').nullableString(),
    config: readConfig(r.key('config'), strict),
    environment: (() => {
      const e = r.key('environment');
      return {
        backend: e.key('backend').string(),
        adapter: e.key('adapter').nullableString(),
        tfjsVersion: e.key('tfjsVersion').string(),
        agent: e.key('agent').string(),
      };
    })(),
    epochs: r.key('epochs').list().map(readEpoch),
    summary: (() => {
      const s = r.key('summary');
      return {
        finalTestAcc: s.key('finalTestAcc').nullableNumber(),
        bestTestAcc: s.key('bestTestAcc').nullableNumber(),
        imagesPerSec: s.key('imagesPerSec').nullableNumber(),
        totalSeconds: s.key('totalSeconds').number(),
      };
    })(),
  };
  // Optional: files written before warnings and seed groups existed have neither.
  const warnings = r.key('warnings');
  if (warnings.raw !== undefined) record.warnings = warnings.list().map(readWarning);
  const group = r.key('group');
  if (group.raw !== undefined) {
    record.group = { id: group.key('id').string(), name: group.key('name').string() };
    if (record.group.id === '') fail(group.key('id').path, 'a non-empty string', '');
  }
  if (strict) checkSummary(path, record);
  return record;
}

/**
 * Parses an imported file's text: one run object or the runs@1 wrapper. Throws an ImportError
 * whose message names the first offending key (e.g. `runs[0].config.optimizer.beta: expected a
 * number, got the text "0.6"`).
 */
export function parseImport(text: string): RunRecord[] {
  if (text.length > MAX_IMPORT_BYTES) {
    throw new ImportError('', `the file is larger than ${MAX_IMPORT_BYTES / (1024 * 1024)} MB (exported runs are far smaller)`);
  }
  let json: unknown;
  try {
    // Editors on some systems start UTF-8 files with a byte-order mark; it is not part of the JSON.
    json = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    throw new ImportError('', `the file is not JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  const top = new Reader(json, '').object();
  const format = top.key('format').literal([RUN_FORMAT, RUNS_FORMAT]);
  if (format === RUN_FORMAT) return [readRun(json)];
  const list = top.key('runs').list();
  if (list.length > MAX_IMPORT_RUNS) {
    throw new ImportError('runs', `runs: the file holds ${list.length} runs; at most ${MAX_IMPORT_RUNS} are imported at once`);
  }
  const runs = list.map((r) => readRun(r.raw, r.path));
  const seen = new Set<string>();
  runs.forEach((run, i) => {
    if (seen.has(run.id))
      throw new ImportError(`runs[${i}].id`, `runs[${i}].id: the id ${JSON.stringify(run.id)} appears twice in the file`);
    seen.add(run.id);
  });
  return runs;
}
