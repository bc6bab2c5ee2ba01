import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseGoldenFixture, relativeError, runGoldenFixture, unsupportedByEngine } from '../../src/engine/golden';
import { useBackend } from '../support/backend';

const golden = resolve(__dirname, '../fixtures/golden');
const jsonIn = (dir: string) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => join(dir, f));

/** A minimal valid fixture text with `extra` merged into it. */
function fixtureText(extra: Record<string, unknown>, step: Record<string, unknown> = {}): string {
  return JSON.stringify({
    format: 'esam-golden@1',
    model: { kind: 'mlp', dims: [2, 2] },
    params: { 'dense0/kernel': { shape: [2, 2], data: [1, 0, 0, 1] }, 'dense0/bias': { shape: [2], data: [0, 0] } },
    hyper: { rho: 0.05, beta: 1, gamma: 1, adaptive: false, lr: 0.1, momentum: 0.9, weightDecay: 0 },
    steps: [{ batch: { x: { shape: [1, 2], data: [1, 2] }, y: [0] }, swpMask: { 'dense0/kernel': true, 'dense0/bias': true }, ...step }],
    ...extra,
  });
}

describe('golden fixtures of the sharpness-aware family (tests/fixtures/golden/family)', () => {
  const files = jsonIn(join(golden, 'family'));

  it('every family fixture parses, names its rule, and has an expected entry per step', () => {
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const fixture = parseGoldenFixture(text, file);
      expect(fixture.optimizer, file).toBeDefined();
      const expected = (JSON.parse(text) as { expected: unknown[] }).expected;
      expect(expected.length, file).toBe(fixture.steps.length);
      expect(fixture.steps.length, file).toBeGreaterThanOrEqual(3);
    }
  });

  it('covers every rule on the mlp and a conv model, and m-sharpness', () => {
    const seen = new Set<string>();
    for (const file of files) {
      const f = parseGoldenFixture(readFileSync(file, 'utf8'), file);
      const rule =
        f.optimizer!.name === 'sam' || f.optimizer!.name === 'esam' ? ('m' in f.optimizer! ? 'msharp' : 'sam') : f.optimizer!.name;
      seen.add(`${rule}/${f.model.kind === 'mlp' ? 'mlp' : 'conv'}`);
    }
    for (const rule of ['looksam', 'rst', 'aesam', 'gsam', 'ksam', 'msharp']) {
      expect(seen, rule).toContain(`${rule}/mlp`);
      expect(seen, rule).toContain(`${rule}/conv`);
    }
    // SAM-ON perturbs normalization parameters, which only conv-bn has.
    expect(seen).toContain('samon/conv');
  });

  it('the existing fixtures still parse, have no block, and run on the engine as before', () => {
    for (const file of jsonIn(golden)) {
      const fixture = parseGoldenFixture(readFileSync(file, 'utf8'), file);
      expect(fixture.optimizer).toBeUndefined();
      expect(unsupportedByEngine(fixture)).toBeNull();
    }
  });

  it('refuses a malformed block or step extra with a message naming the file', () => {
    const bad: [string, string][] = [
      [fixtureText({ optimizer: { name: 'adam' } }), 'unknown optimizer "adam"'],
      [fixtureText({ optimizer: { name: 'looksam', k: 2 } }), 'optimizer looksam needs "alpha"'],
      [fixtureText({ optimizer: { name: 'ksam', k: 2, rho: 1 } }), 'optimizer ksam has no key "rho"'],
      [fixtureText({ optimizer: { name: 'gsam', alpha: '0.1', rhoMin: 0, lrMax: 1, lrMin: 0 } }), 'optimizer.alpha must be a number'],
      [fixtureText({ optimizer: { name: 'rst', p: 0.5 } }), 'rst needs steps[0].samStep'],
      [fixtureText({}, { lr: 0 }), 'steps[0].lr must be a number > 0'],
      [fixtureText({}, { samStep: 1 }), 'steps[0].samStep must be true or false'],
      [fixtureText({ model: { kind: 'resnet', dims: [] } }), 'unknown model kind "resnet"'],
    ];
    for (const [text, message] of bad) expect(() => parseGoldenFixture(text, 'f.json'), message).toThrow(`f.json: ${message}`);
  });

  it('runs every rule, and refuses SWP or SDS settings on a rule that has neither, instead of ignoring them', () => {
    const parse = (extra: Record<string, unknown>, step: Record<string, unknown> = {}) =>
      parseGoldenFixture(fixtureText(extra, step), 'f.json');
    expect(unsupportedByEngine(parse({}))).toBeNull();
    expect(unsupportedByEngine(parse({ optimizer: { name: 'esam' } }))).toBeNull();
    expect(unsupportedByEngine(parse({ optimizer: { name: 'sam', m: 1 } }))).toBeNull();
    expect(unsupportedByEngine(parse({ optimizer: { name: 'ksam', k: 1 } }))).toBeNull();
    expect(unsupportedByEngine(parse({ model: { kind: 'conv-bn', dims: [1, 1, 2] } }))).toBeNull();
    expect(unsupportedByEngine(parse({}, { lr: 0.05 }))).toBeNull();
    const hyper = { rho: 0.05, beta: 1, gamma: 1, adaptive: false, lr: 0.1, momentum: 0.9, weightDecay: 0 };
    expect(unsupportedByEngine(parse({ optimizer: { name: 'ksam', k: 1 }, hyper: { ...hyper, beta: 0.5 } }))).toMatch(
      /ksam takes no SWP or SDS/,
    );
    expect(
      unsupportedByEngine(
        parse({ optimizer: { name: 'gsam', alpha: 0.1, rhoMin: 0, lrMax: 1, lrMin: 0 }, hyper: { ...hyper, gamma: 0.5 } }),
      ),
    ).toMatch(/gsam/);
    expect(
      unsupportedByEngine(parse({ optimizer: { name: 'samon' } }, { swpMask: { 'dense0/kernel': false, 'dense0/bias': true } })),
    ).toMatch(/samon/);
    expect(unsupportedByEngine(parse({ optimizer: { name: 'esam' }, hyper: { ...hyper, beta: 0.5 } }))).toBeNull();
  });
});

interface FamilyExpected {
  lossBefore: number[];
  lossAfter: number[] | null;
  selected: number[];
  samStep: boolean;
  perturbation?: Record<string, number[]>;
  microPerturbation?: Record<string, number[]>[];
  params: Record<string, number[]>;
}

/** The float64 reference's tolerance in tests/engine/golden.test.ts. */
const TOLERANCE = 1e-4;

describe('the engine reproduces every family fixture (scripts/reference/family_reference.py, float64)', () => {
  beforeAll(async () => {
    await useBackend();
  });

  for (const file of jsonIn(join(golden, 'family'))) {
    it(`reproduces ${file.split('/').pop()}`, async () => {
      const text = readFileSync(file, 'utf8');
      const fixture = parseGoldenFixture(text, file);
      const expected = (JSON.parse(text) as { expected: FamilyExpected[] }).expected;
      const ours = await runGoldenFixture(fixture);
      expect(ours.length).toBe(expected.length);
      ours.forEach((step, i) => {
        const want = expected[i];
        const where = `step ${i}`;
        expect(step.samStep, `${where} samStep`).toBe(want.samStep);
        expect(step.selected, `${where} selected`).toEqual(want.selected);
        expect(relativeError(step.lossBefore, want.lossBefore), `${where} lossBefore`).toBeLessThan(TOLERANCE);
        if (want.lossAfter === null) expect(step.lossAfter, `${where} lossAfter`).toBeNull();
        else expect(relativeError(step.lossAfter ?? [], want.lossAfter), `${where} lossAfter`).toBeLessThan(TOLERANCE);
        for (const name of Object.keys(want.params)) {
          expect(relativeError(step.params[name], want.params[name]), `${where} params ${name}`).toBeLessThan(TOLERANCE);
        }
        if (want.perturbation) {
          for (const [name, eps] of Object.entries(want.perturbation)) {
            expect(relativeError(step.perturbation?.[name] ?? [], eps), `${where} ε ${name}`).toBeLessThan(TOLERANCE);
          }
        }
        if (want.microPerturbation) {
          expect(step.microPerturbation?.length, `${where} micro-batches`).toBe(want.microPerturbation.length);
          want.microPerturbation.forEach((micro, j) => {
            for (const [name, eps] of Object.entries(micro)) {
              expect(relativeError(step.microPerturbation![j][name], eps), `${where} ε_${j} ${name}`).toBeLessThan(TOLERANCE);
            }
          });
        }
      });
    });
  }
});
