/**
 * The URL and the CLI read numbers and repeated keys by one grammar and one rule, and every
 * valid setting survives a round trip through each: parse(serialize(s)) = s.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toTrainArgv } from '../../src/engine/config/argv';
import { parseTrainArgs, UsageError } from '../../scripts/cli/args';
import { MAX_SEEDS } from '../../src/engine/defaults';
import { CONFIG_BOUNDS } from '../../src/engine/config/bounds';
import { formatNumber, parseDecimal } from '../../src/engine/config/number-grammar';
import { MODEL_NAMES } from '../../src/engine/model-names';
import { defaultSettings, parseQuery, serializeQuery, settingErrors, toRunConfig, type Settings } from '../../src/store/settings';

const notMinusZero = (x: number) => (Object.is(x, -0) ? 0 : x);
const real = (min: number, max: number) => fc.double({ min, max, noNaN: true, noDefaultInfinity: true }).map(notMinusZero);
const ratio = fc.oneof(real(0.01, 1), fc.constantFrom(0.5, 0.6, 1));

/** Any settings object; `valid` keeps those the panel would let start. */
const anySettings: fc.Arbitrary<Settings> = fc.record({
  dataset: fc.constantFrom('synthetic', 'cifar10', 'cifar100', 'fashion-mnist'),
  trainSize: fc.oneof(fc.constant(0), fc.integer({ min: 1024, max: CONFIG_BOUNDS.maxImages })),
  testSize: fc.integer({ min: 0, max: CONFIG_BOUNDS.maxImages }),
  augment: fc.boolean(),
  labelNoise: real(0, 1),
  model: fc.constantFrom(...MODEL_NAMES),
  optimizer: fc.constantFrom('sgd', 'sam', 'esam'),
  swp: fc.boolean(),
  beta: ratio,
  sds: fc.boolean(),
  gamma: ratio,
  rho: fc.oneof(real(0, 5), fc.constantFrom(0, 0.05, 1e-7)),
  adaptive: fc.boolean(),
  linearity: fc.boolean(),
  hessian: fc.boolean(),
  lr: fc.oneof(real(1e-6, 10), fc.constantFrom(0.1, 1e-9, 3e21)),
  momentum: fc.oneof(real(0, 0.999), fc.constant(0.9)),
  weightDecay: real(0, 1),
  schedule: fc.constantFrom('cosine', 'constant'),
  batchSize: fc.integer({ min: 2, max: 1024 }),
  epochs: fc.integer({ min: 1, max: CONFIG_BOUNDS.maxEpochs }),
  seed: fc.oneof(fc.integer({ min: 0, max: CONFIG_BOUNDS.maxSeed }), fc.constantFrom(0, CONFIG_BOUNDS.maxSeed)),
  seeds: fc.integer({ min: 1, max: MAX_SEEDS }),
  backend: fc.constantFrom('auto', 'webgpu', 'webgl', 'wasm', 'cpu'),
}) as fc.Arbitrary<Settings>;

const valid = anySettings.filter((s) => Object.keys(settingErrors(s)).length === 0);

describe('one number grammar', () => {
  it('the URL refuses hex, binary, octal and Infinity, as the CLI does', () => {
    for (const text of ['0x10', '0b1', '0o7', 'Infinity', '-Infinity', 'NaN', '1_000', '', ' ', '1e', '.']) {
      expect(parseDecimal(text)).toBeNull();
      const { settings, notices } = parseQuery(`?lr=${encodeURIComponent(text)}`);
      expect(settings.lr).toBe(defaultSettings().lr);
      expect(notices).toHaveLength(1);
      expect(() => parseTrainArgs(['--lr', text])).toThrow(UsageError);
    }
  });

  it('whole numbers may be written in scientific notation on both surfaces', () => {
    expect(parseQuery('?epochs=1e2').settings.epochs).toBe(100);
    expect(parseTrainArgs(['--epochs', '1e2']).config.epochs).toBe(100);
  });

  it('every finite number is written as text that reads back to it', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }).map(notMinusZero), (x) => {
        expect(parseDecimal(formatNumber(x))).toBe(x);
      }),
    );
  });
});

describe('one rule for repeated and unknown keys', () => {
  it('a repeated key: the last value counts, in the URL (with a notice) and the CLI', () => {
    const { settings, notices } = parseQuery('?epochs=2&epochs=3');
    expect(settings.epochs).toBe(3);
    expect(notices).toEqual(['“epochs” appears 2 times in the address; the last value was used.']);
    expect(parseTrainArgs(['--epochs', '2', '--epochs', '3']).config.epochs).toBe(3);
  });

  it('20,000 unknown keys give one notice naming a few of them', () => {
    const query = `?${Array.from({ length: 20_000 }, (_, i) => `k${i}=1`).join('&')}&epochs=4`;
    const { settings, notices } = parseQuery(query);
    expect(settings.epochs).toBe(4);
    expect(notices).toEqual(['20000 unknown settings in the address were ignored: “k0”, “k1”, “k2”, “k3”, “k4” and 19995 more.']);
  });
});

describe('parse(serialize(s)) = s', () => {
  it('in the URL, for every valid setting object', () => {
    fc.assert(
      fc.property(valid, (s) => {
        expect(parseQuery(serializeQuery(s))).toEqual({ settings: s, notices: [] });
      }),
      { numRuns: 300 },
    );
  });

  it('in the CLI, for every valid run config it can express (it turns SWP/SDS on exactly when β/γ < 1)', () => {
    const expressible = valid.filter((s) => !(s.optimizer === 'esam' && ((s.swp && s.beta === 1) || (s.sds && s.gamma === 1))));
    fc.assert(
      fc.property(expressible, (s) => {
        const config = toRunConfig(s);
        expect(parseTrainArgs(toTrainArgv(config)).config).toEqual(config);
      }),
      { numRuns: 300 },
    );
  });
});
