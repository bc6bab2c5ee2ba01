import { describe, expect, it } from 'vitest';
import {
  EPOCH_KEYS,
  LABEL_NOISE_EPOCH_KEYS,
  LINEARITY_EPOCH_KEYS,
  OPTIONAL_EPOCH_KEYS,
  RUNS_FORMAT,
  type RunRecord,
} from '../../src/engine/run-record';
import { exportDocument, exportFileName, exportJson, ImportError, parseImport, toContractRecord } from '../../src/store/import-export';
import { runRecord } from '../ui/helpers';

const RUN_KEYS = ['format', 'id', 'name', 'createdAt', 'status', 'error', 'config', 'environment', 'epochs', 'summary', 'warnings'];
const CONFIG_KEYS = ['dataset', 'model', 'optimizer', 'lr', 'momentum', 'weightDecay', 'schedule', 'batchSize', 'epochs', 'seed'];

function refused(text: string): string {
  try {
    parseImport(text);
  } catch (e) {
    expect(e).toBeInstanceOf(ImportError);
    return (e as Error).message;
  }
  throw new Error('the import was accepted');
}

/** A deep copy of a good file with one change at `path` (undefined deletes the key). */
function mutate(doc: unknown, path: (string | number)[], value: unknown): string {
  const copy = JSON.parse(JSON.stringify(doc));
  let at = copy;
  for (const key of path.slice(0, -1)) at = at[key];
  const last = path[path.length - 1];
  if (value === undefined) delete at[last];
  else at[last] = value;
  return JSON.stringify(copy);
}

describe('export', () => {
  it('writes exactly the contract keys, dropping anything the page added', () => {
    const withExtras = { ...runRecord(), color: '#ff0000', phase: 'finished' } as unknown as RunRecord;
    (withExtras.config as unknown as Record<string, unknown>).uiOnly = 1;
    (withExtras.epochs[0] as unknown as Record<string, unknown>).memory = 5;
    const out = toContractRecord(withExtras);
    expect(Object.keys(out)).toEqual(RUN_KEYS);
    expect(Object.keys(out.config)).toEqual(CONFIG_KEYS);
    expect(Object.keys(out.config.dataset)).toEqual(['name', 'trainSize', 'testSize', 'augment', 'labelNoise']);
    expect(Object.keys(out.config.optimizer)).toEqual(['name', 'rho', 'adaptive', 'swp', 'beta', 'sds', 'gamma']);
    expect(Object.keys(out.environment)).toEqual(['backend', 'adapter', 'tfjsVersion', 'agent']);
    expect(Object.keys(out.epochs[0])).toEqual([...EPOCH_KEYS]);
    expect(Object.keys(out.summary)).toEqual(['finalTestAcc', 'bestTestAcc', 'imagesPerSec', 'totalSeconds']);
  });

  it('writes one run as a run object and several in the runs@1 wrapper', () => {
    const a = runRecord({ id: 'a' });
    const b = runRecord({ id: 'b' });
    expect(exportDocument([a])).toMatchObject({ format: 'esam-playground/run@1', id: 'a' });
    const both = exportDocument([a, b]);
    expect(both).toMatchObject({ format: RUNS_FORMAT });
    expect(Object.keys(both)).toEqual(['format', 'runs']);
    expect(exportFileName([a])).toBe('esam-run-ESAM-0.6-0.5-linear.json');
    expect(exportFileName([a, b])).toBe('esam-runs-2.json');
  });

  it('import accepts what export writes', () => {
    const a = runRecord({ id: 'a' });
    const b = runRecord({ id: 'b', status: 'diverged', error: 'NaN' }, 0);
    expect(parseImport(exportJson([a]))).toEqual([a]);
    expect(parseImport(exportJson([a, b]))).toEqual([a, b]);
  });

  it('a non-finite measurement survives the round trip as NaN (JSON writes null)', () => {
    const r = runRecord();
    r.epochs[0].cosRandom = NaN;
    const back = parseImport(exportJson([r]))[0];
    expect(back.epochs[0].cosRandom).toBeNaN();
  });
});

describe('import validation names the first bad key', () => {
  const single = JSON.parse(exportJson([runRecord()]));
  const wrapped = JSON.parse(exportJson([runRecord({ id: 'a' }), runRecord({ id: 'b' })]));

  it('not JSON', () => {
    expect(refused('{"format": ')).toMatch(/^the file is not JSON/);
  });

  it('not an object, or an unknown format', () => {
    expect(refused('[1, 2]')).toMatch(/^\(top level\): expected an object/);
    expect(refused('{"format":"esam-playground/run@2"}')).toMatch(
      /^format: expected one of "esam-playground\/run@1", "esam-playground\/runs@1"/,
    );
    expect(refused('{}')).toMatch(/^format: expected .*the key is missing/);
  });

  it('a wrong type deep inside a wrapped run', () => {
    expect(refused(mutate(wrapped, ['runs', 0, 'config', 'optimizer', 'beta'], '0.6'))).toMatch(
      /^runs\[0\]\.config\.optimizer\.beta: expected a number/,
    );
    expect(refused(mutate(wrapped, ['runs', 1, 'epochs', 1, 'testAcc'], 'high'))).toMatch(
      /^runs\[1\]\.epochs\[1\]\.testAcc: expected a number/,
    );
  });

  it('a missing required key', () => {
    expect(refused(mutate(single, ['summary', 'totalSeconds'], undefined))).toMatch(
      /^summary\.totalSeconds: expected a number, got nothing/,
    );
    expect(refused(mutate(single, ['environment'], undefined))).toMatch(/^environment: expected an object/);
    expect(refused(mutate(single, ['epochs', 0, 'cosBPlus'], undefined))).toMatch(/^epochs\[0\]\.cosBPlus: expected a number/);
    expect(refused(mutate(single, ['error'], undefined))).toMatch(/^error: expected a string or null/);
  });

  it('enumerations, integers, fractions and dates', () => {
    expect(refused(mutate(single, ['status'], 'paused'))).toMatch(/^status: expected one of "running", "completed"/);
    expect(refused(mutate(single, ['config', 'dataset', 'name'], 'mnist'))).toMatch(/^config\.dataset\.name: expected one of/);
    expect(refused(mutate(single, ['config', 'optimizer', 'name'], 'adam'))).toMatch(/^config\.optimizer\.name/);
    expect(refused(mutate(single, ['config', 'schedule'], 'step'))).toMatch(/^config\.schedule/);
    expect(refused(mutate(single, ['config', 'batchSize'], 16.5))).toMatch(/^config\.batchSize: expected a whole number/);
    expect(refused(mutate(single, ['epochs', 0, 'epoch'], 0))).toMatch(/^epochs\[0\]\.epoch: expected a whole number ≥ 1/);
    expect(refused(mutate(single, ['config', 'dataset', 'labelNoise'], 2))).toMatch(
      /^config\.dataset\.labelNoise: expected a number in \[0, 1\]/,
    );
    expect(refused(mutate(single, ['config', 'dataset', 'augment'], 1))).toMatch(/^config\.dataset\.augment: expected true or false/);
    expect(refused(mutate(single, ['createdAt'], 'yesterday'))).toMatch(/^createdAt: expected an ISO-8601 date/);
    expect(refused(mutate(single, ['summary', 'finalTestAcc'], 'x'))).toMatch(/^summary\.finalTestAcc: expected a number or null/);
  });

  it('the wrapper itself', () => {
    expect(refused('{"format":"esam-playground/runs@1"}')).toMatch(/^runs: expected a list/);
    expect(refused('{"format":"esam-playground/runs@1","runs":[3]}')).toMatch(/^runs\[0\]: expected an object/);
    expect(refused(mutate(wrapped, ['runs', 1, 'id'], 'a'))).toMatch(/^runs\[1\]\.id: .*twice/);
    expect(refused(mutate(wrapped, ['runs', 0, 'format'], 'esam-playground/runs@1'))).toMatch(
      /^runs\[0\]\.format: expected "esam-playground\/run@1"/,
    );
  });

  it('names are kept as text', () => {
    const r = parseImport(mutate(single, ['name'], '<img src=x onerror=alert(1)>'))[0];
    expect(r.name).toBe('<img src=x onerror=alert(1)>');
  });
});

describe('the optional linearity diagnostic ζ', () => {
  /** A run that measured ζ: config.linearity on and the three keys in every epoch. */
  function withLinearity(): RunRecord {
    const r = runRecord({ id: 'lin' });
    r.config = { ...r.config, linearity: true };
    r.epochs = r.epochs.map((e, i) => ({ ...e, linearity: 0.01 * (i + 1), linearityBPlus: 0.02 * (i + 1), linearityBMinus: 0.005 }));
    return r;
  }

  it('export writes the keys after the required ones, and import reads them back', () => {
    const r = withLinearity();
    const out = toContractRecord(r);
    expect(Object.keys(out.config)).toEqual([...CONFIG_KEYS, 'linearity']);
    expect(Object.keys(out.epochs[0])).toEqual([...EPOCH_KEYS, ...LINEARITY_EPOCH_KEYS]);
    expect(parseImport(exportJson([r]))).toEqual([r]);
    const off = runRecord({ id: 'off' });
    off.config = { ...off.config, linearity: false };
    expect(parseImport(exportJson([off]))[0].config.linearity).toBe(false);
  });

  it('a file without them imports with the keys absent', () => {
    const [back] = parseImport(exportJson([runRecord()]));
    expect(back.config).not.toHaveProperty('linearity');
    for (const key of OPTIONAL_EPOCH_KEYS) expect(back.epochs[0]).not.toHaveProperty(key);
  });

  it('refuses values that are not numbers or booleans, naming the key', () => {
    const doc = JSON.parse(exportJson([withLinearity()]));
    expect(refused(mutate(doc, ['epochs', 0, 'linearity'], '0.1'))).toMatch(
      /^epochs\[0\]\.linearity: expected a number, got the text "0\.1"/,
    );
    expect(refused(mutate(doc, ['epochs', 1, 'linearityBMinus'], null))).toMatch(
      /^epochs\[1\]\.linearityBMinus: expected a number, got null/,
    );
    expect(refused(mutate(doc, ['config', 'linearity'], 1))).toMatch(/^config\.linearity: expected true or false/);
  });
});

describe('the replaced-label shares of label-noise runs', () => {
  it('export writes them after the required keys, and import reads them back', () => {
    const r = runRecord({ id: 'noisy' });
    r.config = { ...r.config, dataset: { ...r.config.dataset, labelNoise: 0.3 } };
    r.epochs = r.epochs.map((e) => ({ ...e, flippedBatch: 0.25, flippedBPlus: 0.5 }));
    expect(Object.keys(toContractRecord(r).epochs[0])).toEqual([...EPOCH_KEYS, ...LABEL_NOISE_EPOCH_KEYS]);
    expect(parseImport(exportJson([r]))).toEqual([r]);
    const doc = JSON.parse(exportJson([r]));
    expect(refused(mutate(doc, ['epochs', 0, 'flippedBPlus'], 'half'))).toMatch(/^epochs\[0\]\.flippedBPlus: expected a number/);
  });
});

describe('warnings and seed groups', () => {
  const warning = { kind: 'unstable' as const, reason: 'stuck-high' as const, epoch: 2, message: 'Unstable: …' };

  it('round-trip through export and import', () => {
    const a = runRecord({ id: 'a', warnings: [warning], group: { id: 'g1', name: 'ESAM · 3 seeds' } });
    const b = runRecord({ id: 'b', group: { id: 'g1', name: 'ESAM · 3 seeds' } });
    expect(parseImport(exportJson([a, b]))).toEqual([a, b]);
    expect(Object.keys(toContractRecord(a))).toEqual([...RUN_KEYS, 'group']);
  });

  it('files written before them import with neither', () => {
    const old = JSON.parse(exportJson([runRecord()]));
    delete old.warnings;
    const [run] = parseImport(JSON.stringify(old));
    expect(run).not.toHaveProperty('warnings');
    expect(run).not.toHaveProperty('group');
  });

  it('a bad warning or group is refused by its path', () => {
    const doc = JSON.parse(exportJson([runRecord({ warnings: [warning], group: { id: 'g', name: 'n' } })]));
    expect(refused(mutate(doc, ['warnings', 0, 'reason'], 'bored'))).toMatch(
      /^warnings\[0\]\.reason: expected one of "stuck-high", "rising"/,
    );
    expect(refused(mutate(doc, ['warnings', 0, 'epoch'], 0))).toMatch(/^warnings\[0\]\.epoch: expected a whole number ≥ 1/);
    expect(refused(mutate(doc, ['warnings'], {}))).toMatch(/^warnings: expected a list/);
    expect(refused(mutate(doc, ['group', 'id'], ''))).toMatch(/^group\.id: expected a non-empty string/);
    expect(refused(mutate(doc, ['group', 'name'], 3))).toMatch(/^group\.name: expected a string/);
  });
});
