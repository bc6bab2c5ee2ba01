/**
 * Hostile and broken run files: an import never mixes with a run already here, is bounded in
 * size and in what it selects, and refuses by name what export would never write. The property
 * test mutates a valid export at random: each mutant is accepted or refused with a message
 * naming where, and a refused one changes nothing stored.
 */
import 'fake-indexeddb/auto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mergeRows, metricPoints } from '../../src/store/compare';
import { exportFileName, exportJson, ImportError, MAX_IMPORT_BYTES, parseImport } from '../../src/store/import-export';
import { MAX_AUTO_SELECT } from '../../src/store/import-merge';
import { settle, setup } from '../ui/app-harness';
import { runRecord } from '../ui/helpers';

function refusal(text: string): string {
  try {
    parseImport(text);
  } catch (e) {
    expect(e).toBeInstanceOf(ImportError);
    return (e as Error).message;
  }
  throw new Error('accepted');
}

const doc = (over: Record<string, unknown> = {}) => ({ ...JSON.parse(exportJson([runRecord({ id: 'a' })])), ...over });

describe('an imported run never takes over a run already here', () => {
  it('same id, other contents: imported under a new id; the local run keeps its losses and weights', async () => {
    const t = setup();
    const local = runRecord({ id: 'a', name: 'local' });
    t.app.importText(exportJson([local]));
    await settle();
    // Step losses and stored weights belong to the local run.
    t.app.store.setState({ stepLosses: { ...t.state.stepLosses, a: [2.3, 2.1] } });
    t.worker.emit({ type: 'weights', runId: 'a', weights: { modelName: 'linear', tensors: [] } as never });
    t.app.flush();
    await settle();
    const other = runRecord({ id: 'a', name: 'theirs', config: { ...local.config, model: 'resnet8' } });
    expect(t.app.importText(exportJson([other]), 'theirs.json')).toBe(1);
    const newId = t.state.order[1];
    expect(newId).toMatch(/^a-imported-/);
    expect(t.state.runs.a.record.name).toBe('local');
    expect(t.state.runs.a.record.config.model).toBe('linear');
    expect(t.state.runs[newId].record.config.model).toBe('resnet8');
    expect(t.state.stepLosses.a).toEqual([2.3, 2.1]);
    expect(t.state.stepLosses[newId]).toEqual([]);
    expect(t.state.landscapes.weights).not.toContain(newId);
    expect(t.state.alerts.at(-1)?.message).toBe('1 imported run had the id of a run already here and came in under a new id.');
  });

  it('the same file twice: the second time nothing is added', () => {
    const t = setup();
    const json = exportJson([runRecord({ id: 'a' })]);
    expect(t.app.importText(json)).toBe(1);
    expect(t.app.importText(json)).toBe(0);
    expect(t.state.order).toEqual(['a']);
  });
});

describe('size and selection', () => {
  it('a file above the size limit is refused without being read', async () => {
    const t = setup();
    let read = false;
    const n = await t.app.importFile({ name: 'huge.json', size: MAX_IMPORT_BYTES + 1, text: async () => ((read = true), '{}') });
    expect(n).toBe(0);
    expect(read).toBe(false);
    expect(t.state.alerts.at(-1)?.message).toMatch(/^Import refused \(huge\.json\): the file is 32\.0 MB, larger than 32 MB/);
    expect(refusal(' '.repeat(MAX_IMPORT_BYTES + 1))).toMatch(/larger than 32 MB/);
  });

  it(`more than ${MAX_AUTO_SELECT} runs are listed but not selected; a few are`, () => {
    const t = setup();
    const many = Array.from({ length: MAX_AUTO_SELECT + 1 }, (_, i) => runRecord({ id: `m${i}` }));
    expect(t.app.importText(exportJson(many), 'many.json')).toBe(many.length);
    expect(t.state.selected).toEqual([]);
    expect(t.state.alerts.at(-1)?.message).toBe(
      `${many.length} runs imported from many.json; none was selected for the charts: tick the ones to compare.`,
    );
    t.app.importText(exportJson([runRecord({ id: 'f1' }), runRecord({ id: 'f2' })]));
    expect(t.state.selected).toEqual(['f1', 'f2']);
  });

  it('an empty runs file says so', () => {
    const t = setup();
    expect(t.app.importText(JSON.stringify({ format: 'esam-playground/runs@1', runs: [] }), 'empty.json')).toBe(0);
    expect(t.state.alerts.at(-1)?.message).toBe('Nothing imported from empty.json: it holds no runs.');
  });
});

describe('what export never writes is refused by name', () => {
  it('Infinity (1e999) in a measurement', () => {
    const text = exportJson([runRecord({ id: 'a' })]).replace('"testLoss": 2.2,', '"testLoss": 1e999,');
    expect(text).toContain('1e999');
    expect(refusal(text)).toBe('epochs[0].testLoss: expected a number, got number Infinity');
  });

  it('config.epochs of 0 or 1e6, and more epochs than config.epochs', () => {
    const d = doc();
    expect(refusal(JSON.stringify({ ...d, config: { ...d.config, epochs: 0 } }))).toBe(
      'config: epochs must be an integer ≥ 1 and at most 10000, got 0',
    );
    expect(refusal(JSON.stringify({ ...d, config: { ...d.config, epochs: 1e6 } }))).toMatch(
      /^config: epochs must be an integer ≥ 1 and at most 10000/,
    );
    expect(refusal(JSON.stringify({ ...d, config: { ...d.config, epochs: 1 } }))).toBe(
      'epochs: expected at most config.epochs = 1 epochs, got a list of 2',
    );
    expect(refusal(JSON.stringify({ ...d, config: { ...d.config, seed: 2 ** 32 } }))).toMatch(
      /^config: seed must be an integer ≥ 0 and at most 4294967295/,
    );
  });

  it('a summary that the epochs do not give', () => {
    const d = doc();
    expect(refusal(JSON.stringify({ ...d, summary: { ...d.summary, finalTestAcc: 0.99 } }))).toMatch(
      /^summary\.finalTestAcc: expected the last epoch's testAcc \(0\.24\), got number 0\.99$/,
    );
    expect(refusal(JSON.stringify({ ...d, summary: { ...d.summary, totalSeconds: 1 } }))).toMatch(/^summary\.totalSeconds: /);
    expect(refusal(JSON.stringify({ ...d, epochs: [d.epochs[1], d.epochs[0]], summary: d.summary }))).toMatch(
      /^epochs\[0\]\.epoch: expected 1/,
    );
  });

  it('a UTF-8 byte-order mark is accepted', () => {
    expect(parseImport(`\uFEFF${exportJson([runRecord({ id: 'a' })])}`)).toHaveLength(1);
  });
});

describe('ids from files are kept out of chart keys and file names', () => {
  it('a run with id "x" does not overwrite the x of the comparison rows', () => {
    const r = runRecord({ id: 'x' });
    const rows = mergeRows(metricPoints(r, 'testAcc', 'epoch', r.id));
    expect(rows.map((row) => row.x)).toEqual([1, 2]);
  });

  it('the export file name never carries the raw id', () => {
    expect(exportFileName([runRecord({ id: '../../etc/passwd', name: '' })])).toBe('esam-run-etc-passwd.json');
    expect(exportFileName([runRecord({ id: '///', name: '...' })])).toBe('esam-run-run.json');
  });
});

/** Mutations of a JSON value: replace, delete or retype a value at a random path. */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return [prefix];
  const keys: (string | number)[] = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
  return [prefix, ...keys.flatMap((k) => paths((value as Record<string | number, unknown>)[k], [...prefix, k]))];
}

const replacement = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double(),
  fc.constantFrom('__inf__', 0, -1, 2 ** 32, 1e6), // '__inf__' is written as the number 1e999
  fc.string({ maxLength: 8 }),
  fc.constant([]),
  fc.constant({}),
);

describe('property: random mutations of a valid export', () => {
  const base = JSON.parse(exportJson([runRecord({ id: 'p1' }), runRecord({ id: 'p2', status: 'stopped' }, 1)]));
  const allPaths = paths(base).filter((p) => p.length > 0);

  it('are accepted or refused with a message naming where; a refused one changes nothing stored', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.constantFrom(...allPaths), replacement), { minLength: 1, maxLength: 3 }), async (changes) => {
        const copy = JSON.parse(JSON.stringify(base));
        for (const [path, value] of changes) {
          let at = copy;
          for (const key of path.slice(0, -1)) {
            if (at === null || typeof at !== 'object') break;
            at = at[key];
          }
          if (at === null || typeof at !== 'object') continue;
          const last = path[path.length - 1];
          if (value === undefined) delete at[last];
          else at[last] = value;
        }
        const text = JSON.stringify(copy).replace(/"__inf__"/g, '1e999');
        let accepted: number | null = null;
        try {
          accepted = parseImport(text).length;
        } catch (e) {
          expect(e).toBeInstanceOf(ImportError);
          const { path, message } = e as ImportError;
          expect(message.startsWith(path ? `${path}:` : '')).toBe(true);
          expect(message).not.toMatch(/undefined|\[object/);
        }
        const t = setup();
        t.app.importText(exportJson([runRecord({ id: 'kept' })]));
        await settle();
        const before = JSON.stringify([...t.persistence.data.entries()]);
        const n = t.app.importText(text, 'mutant.json');
        await settle();
        if (accepted === null) {
          expect(n).toBe(0);
          expect(JSON.stringify([...t.persistence.data.entries()])).toBe(before);
          expect(t.state.order).toEqual(['kept']);
        } else {
          expect(n).toBe(accepted);
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe('run count', () => {
  it('the most runs one import takes come in at once', async () => {
    const { MAX_IMPORT_RUNS } = await import('../../src/store/import-export');
    const t = setup();
    const runs = Array.from({ length: MAX_IMPORT_RUNS }, (_, i) => runRecord({ id: `r${i}` }));
    expect(t.app.importText(exportJson(runs))).toBe(MAX_IMPORT_RUNS);
    expect(t.state.order).toHaveLength(MAX_IMPORT_RUNS);
    expect(new Set(t.state.order.map((id) => t.state.runs[id].color)).size).toBeGreaterThan(1);
  });

  it('a file of more runs than one import takes is refused before any is read', async () => {
    const { MAX_IMPORT_RUNS } = await import('../../src/store/import-export');
    const runs = Array.from({ length: MAX_IMPORT_RUNS + 1 }, () => ({}));
    expect(refusal(JSON.stringify({ format: 'esam-playground/runs@1', runs }))).toBe(
      `runs: the file holds ${MAX_IMPORT_RUNS + 1} runs; at most ${MAX_IMPORT_RUNS} are imported at once`,
    );
  });
});
