import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseGoldenFixture, relativeError, runGoldenFixture } from '../../src/engine/golden';
import { useBackend } from '../support/backend';

interface Expected {
  lossBefore: number[];
  lossAfter: number[];
  selected: number[];
  perturbation: Record<string, number[]>;
  params: Record<string, number[]>;
}

/** The project's fixtures, plus the shared ones beside the repository when present. */
function fixtureFiles(): string[] {
  const dirs = [resolve(__dirname, '../fixtures/golden'), resolve(__dirname, '../../../shared/golden')];
  const byName = new Map<string, string>();
  for (const dir of dirs) {
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir).filter((f) => f.endsWith('.json'))) byName.set(f, join(dir, f));
  }
  return [...byName.values()];
}

const TOLERANCE = 1e-4;

describe('golden vectors (the authors’ ESAM code, float64)', () => {
  beforeAll(async () => {
    await useBackend();
  });

  it('has fixtures to check', () => {
    expect(fixtureFiles().length).toBeGreaterThan(0);
  });

  for (const file of fixtureFiles()) {
    it(`reproduces ${file.split('/').pop()}`, async () => {
      const text = readFileSync(file, 'utf8');
      const fixture = parseGoldenFixture(text, file);
      const expected = (JSON.parse(text) as { expected: Expected[] }).expected;
      const ours = await runGoldenFixture(fixture);
      expect(ours.length).toBe(expected.length);
      ours.forEach((step, i) => {
        const where = `step ${i}`;
        expect(step.selected, `${where} selected`).toEqual(expected[i].selected);
        expect(relativeError(step.lossBefore, expected[i].lossBefore), `${where} lossBefore`).toBeLessThan(TOLERANCE);
        expect(relativeError(step.lossAfter!, expected[i].lossAfter), `${where} lossAfter`).toBeLessThan(TOLERANCE);
        for (const name of Object.keys(expected[i].params)) {
          expect(relativeError(step.params[name], expected[i].params[name]), `${where} params ${name}`).toBeLessThan(TOLERANCE);
          expect(relativeError(step.perturbation![name], expected[i].perturbation[name]), `${where} ε ${name}`).toBeLessThan(TOLERANCE);
        }
      });
    });
  }
});
