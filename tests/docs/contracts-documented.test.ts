/**
 * The pages in docs/ name every key, flag, setting, script and fixture the code has: a new
 * run-JSON key, CLI flag, URL key or npm script fails here until its page describes it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { helpText } from '../../scripts/train';
import { LANDSCAPE_FORMAT } from '../../src/engine/landscape/record';
import { MODEL_NAMES } from '../../src/engine/model-names';
import { EPOCH_KEYS, OPTIONAL_EPOCH_KEYS, RUN_FORMAT, RUN_STATUSES, RUNS_FORMAT } from '../../src/engine/run-record';
import { INSTABILITY_REASONS } from '../../src/engine/stability';
import { LANDSCAPES_FORMAT } from '../../src/store/landscapes';
import { SETTING_DEFS } from '../../src/store/settings';
import { SWEEP_FORMAT } from '../../src/store/sweep';

const root = resolve(__dirname, '../..');
const doc = (name: string): string => readFileSync(join(root, 'docs', name), 'utf8');

/** The names that `text` does not mention as inline code (`name`). */
function unmentioned(text: string, names: readonly string[]): string[] {
  return names.filter((n) => !text.includes(`\`${n}\``));
}

describe('docs/ describes the contracts the code has', () => {
  it('run-json.md names every epoch key, optional key, status and warning reason', () => {
    const text = doc('run-json.md');
    expect(unmentioned(text, [...EPOCH_KEYS, ...OPTIONAL_EPOCH_KEYS, ...RUN_STATUSES, ...INSTABILITY_REASONS])).toEqual([]);
  });

  it('run-json.md names every export format', () => {
    const text = doc('run-json.md');
    for (const format of [RUN_FORMAT, RUNS_FORMAT, SWEEP_FORMAT, LANDSCAPE_FORMAT, LANDSCAPES_FORMAT]) expect(text).toContain(format);
  });

  it('cli.md names every flag that npm run train --help lists, and every model', () => {
    const flags = [...new Set(helpText().match(/--[a-z][a-z-]*/g) ?? [])].filter((f) => f !== '--help');
    expect(flags.length).toBeGreaterThan(20);
    const text = doc('cli.md');
    expect(flags.filter((f) => !text.includes(`\`${f}`))).toEqual([]);
    expect(unmentioned(text, MODEL_NAMES)).toEqual([]);
  });

  it('cli.md names every npm script', () => {
    const scripts = Object.keys(
      (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts,
    );
    const text = doc('cli.md');
    expect(
      scripts.filter(
        (s) => !text.includes(`npm run ${s}`) && !text.includes(`npm run -s ${s}`) && !(s === 'test' && text.includes('`npm test`')),
      ),
    ).toEqual([]);
  });

  it('url.md names every URL key', () => {
    expect(
      unmentioned(
        doc('url.md'),
        SETTING_DEFS.map((d) => d.param),
      ),
    ).toEqual([]);
  });

  it('golden-format.md lists every fixture in tests/fixtures/golden', () => {
    const fixtures = readdirSync(join(root, 'tests/fixtures/golden')).filter((f) => f.endsWith('.json'));
    expect(fixtures.length).toBeGreaterThan(0);
    expect(unmentioned(doc('golden-format.md'), fixtures)).toEqual([]);
  });

  it('docs/README.md links every page in docs/', () => {
    const index = doc('README.md');
    const pages = readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md') && f !== 'README.md');
    expect(pages.filter((p) => !index.includes(`](${p})`))).toEqual([]);
  });
});
