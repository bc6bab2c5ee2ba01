/**
 * The run config's schema drives every surface: each row, set to a value other than its
 * default, survives the URL, the panel's run config, run JSON export and import and the CLI's
 * flags; `--help` lists every flag; a value out of a row's range is refused by the engine, the
 * panel and the CLI alike, each naming the row's key.
 */
import { describe, expect, it } from 'vitest';
import { toTrainArgv } from '../../src/engine/config/argv';
import { parseTrainArgs } from '../../scripts/cli/args';
import { helpText } from '../../scripts/train';
import { DATASET_NAMES } from '../../src/data/types';
import { BACKEND_NAMES } from '../../src/engine/backend-names';
import type { FieldSpec } from '../../src/engine/config/field-spec';
import { applies, FIELD_IDS, FIELDS, field, OFF_VALUES, type FieldId } from '../../src/engine/config/schema';
import { MODEL_NAMES } from '../../src/engine/model-names';
import { OPTIMIZER_NAMES } from '../../src/engine/optimizer/config';
import { SCHEDULE_NAMES } from '../../src/engine/schedule';
import { HyperparameterError, validateRunConfig } from '../../src/engine/validation';
import { isModelName } from '../../src/engine/model-names';
import { exportJson, parseImport } from '../../src/store/import-export';
import {
  defaultSettings,
  parseQuery,
  serializeQuery,
  settingErrors,
  settingsFromRunConfig,
  SETTING_DEFS,
  SETTINGS,
  toRunConfig,
  type Settings,
} from '../../src/store/settings';
import { runRecord } from '../ui/helpers';

const DEFAULTS = defaultSettings();

/** A valid value for the row other than its default, derived from the row alone. */
function otherValue(id: FieldId): Settings[FieldId] {
  const spec: FieldSpec = field(id);
  const d = DEFAULTS[id];
  switch (spec.kind) {
    case 'bool':
      return !d;
    case 'enum':
      return (spec.cliValues ?? spec.values).find((v) => v !== d) as string;
    case 'int': {
      const { min, max } = spec.range;
      const v = max === undefined ? min * 8 : Math.floor((min + max) / 2);
      return v === d ? v + 1 : v;
    }
    case 'number': {
      const { min, max } = spec.range;
      const v = max === undefined ? (d as number) * 2 + 0.25 : (min + max) / 2;
      return v === d ? (min + max!) / 4 : v;
    }
  }
}

/** A value just outside the row's range, or null for a row without one. */
function outOfRange(spec: FieldSpec): number | null {
  if (spec.kind !== 'int' && spec.kind !== 'number') return null;
  const { min, minOpen } = spec.range;
  return minOpen ? min : min - 1;
}

const changed = FIELD_IDS.map((id) => [id, { ...DEFAULTS, [id]: otherValue(id) } as Settings] as const);

describe('the schema', () => {
  it('declares each name list once: the enum rows hold the modules’ own lists', () => {
    expect(FIELDS.dataset.values).toBe(DATASET_NAMES);
    expect(FIELDS.model.values).toBe(MODEL_NAMES);
    expect(FIELDS.optimizer.values).toBe(OPTIMIZER_NAMES);
    expect(FIELDS.schedule.values).toBe(SCHEDULE_NAMES);
    expect(FIELDS.backend.values).toEqual(['auto', ...BACKEND_NAMES]);
  });

  it('is the panel’s table: one setting per row, with its key, label and help', () => {
    expect(SETTING_DEFS.map((d) => d.id)).toEqual(FIELD_IDS);
    for (const id of FIELD_IDS) {
      expect(SETTINGS[id]).toMatchObject({ param: field(id).key, label: field(id).label, help: field(id).help, kind: field(id).kind });
    }
  });
});

describe.each(changed)('the row %s', (id, s) => {
  it('has a valid other value', () => {
    expect(s[id]).not.toEqual(DEFAULTS[id]);
    expect(settingErrors(s)).toEqual({});
  });

  it('round-trips through the URL', () => {
    expect(parseQuery(serializeQuery(s))).toEqual({ settings: s, notices: [] });
  });

  it('round-trips through the panel’s run config', () => {
    const config = toRunConfig(s);
    const back = settingsFromRunConfig(config, s.backend, DEFAULTS);
    expect(toRunConfig(back)).toEqual(config);
    // A switch that does not apply (SWP for SGD) is carried as off; every other value comes back as set.
    if (applies(id, s) || OFF_VALUES[id] === undefined) expect(back[id]).toEqual(id === 'seeds' ? DEFAULTS.seeds : s[id]);
  });

  it('round-trips through run JSON export and import', () => {
    const record = runRecord({ config: toRunConfig(s) });
    expect(parseImport(exportJson([record]))[0].config).toEqual(record.config);
  });

  it('round-trips through the CLI’s flags', () => {
    const spec = field(id);
    if (spec.noFlag) {
      // Implied by its ratio: the config the CLI writes for the ratio at 1 has the switch off.
      expect(
        parseTrainArgs(['--optimizer', 'esam', `--${id === 'swp' ? 'beta' : 'gamma'}`, '1']).config.optimizer[id as 'swp' | 'sds'],
      ).toBe(false);
      return;
    }
    if (spec.path === null) {
      const args = parseTrainArgs([`--${spec.key}`, String(s[id])]) as unknown as Record<string, unknown>;
      expect(args[id]).toBe(s[id]);
      return;
    }
    const config = toRunConfig(s);
    expect(parseTrainArgs(toTrainArgv(config)).config).toEqual(config);
  });

  it('is refused out of its range by the engine, the panel and the CLI, naming its key', () => {
    const spec = field(id);
    const bad = outOfRange(spec);
    if (bad === null) return;
    expect(settingErrors({ ...s, [id]: bad })[id]).toBeDefined();
    if (spec.path === null) {
      expect(() => parseTrainArgs([`--${spec.key}`, String(bad)])).toThrow(`--${spec.key} must be`);
      return;
    }
    const config = toRunConfig({ ...s, [id]: bad });
    expect(() => validateRunConfig(config, isModelName)).toThrow(HyperparameterError);
    try {
      validateRunConfig(config, isModelName);
    } catch (e) {
      expect((e as HyperparameterError).param).toBe(spec.key);
    }
  });
});

describe('npm run train --help', () => {
  it('lists every flag of the schema (both forms of a switch) and every name the CLI accepts', () => {
    const help = helpText();
    for (const id of FIELD_IDS) {
      const spec = field(id);
      if (spec.noFlag) continue;
      expect(help).toContain(`--${spec.key}`);
      if (spec.kind === 'bool') expect(help).toContain(`--no-${spec.key}`);
      if (spec.kind === 'enum') for (const v of spec.cliValues ?? spec.values) expect(help).toContain(v);
    }
  });
});
