import { describe, expect, it } from 'vitest';
import {
  applyPreset,
  defaultSettings,
  parseQuery,
  presetOf,
  serializeQuery,
  settingErrors,
  settingsFromRunConfig,
  SETTING_DEFS,
  toRunConfig,
  withModel,
} from '../../src/store/settings';
import { MODEL_TRAINING_DEFAULTS } from '../../src/engine/defaults';

const E2E_QUERY =
  '?dataset=synthetic&model=linear&optimizer=esam&beta=0.6&gamma=0.5&epochs=2&batch-size=16&train-size=64&test-size=32&seed=1';

describe('settings table', () => {
  it('uses the CLI flag names without dashes as URL keys, one per setting', () => {
    const params = SETTING_DEFS.map((d) => d.param);
    expect(new Set(params).size).toBe(params.length);
    for (const key of [
      'dataset',
      'model',
      'optimizer',
      'beta',
      'gamma',
      'rho',
      'adaptive',
      'epochs',
      'batch-size',
      'lr',
      'momentum',
      'weight-decay',
      'seed',
      'train-size',
      'test-size',
      'augment',
      'label-noise',
      'backend',
      'linearity',
    ]) {
      expect(params).toContain(key);
    }
  });

  it('every setting has a visible label and an explanation', () => {
    for (const d of SETTING_DEFS) {
      expect(d.label.length).toBeGreaterThan(0);
      expect(d.help.length).toBeGreaterThan(20);
    }
  });
});

describe('URL parse and serialise', () => {
  it('reads the e2e address exactly', () => {
    const { settings, notices } = parseQuery(E2E_QUERY);
    expect(notices).toEqual([]);
    expect(settings).toMatchObject({
      dataset: 'synthetic',
      model: 'linear',
      optimizer: 'esam',
      beta: 0.6,
      gamma: 0.5,
      swp: true,
      sds: true,
      epochs: 2,
      batchSize: 16,
      trainSize: 64,
      testSize: 32,
      seed: 1,
      backend: 'auto',
    });
    expect(settingErrors(settings)).toEqual({});
  });

  it('round-trips every setting through the query string', () => {
    const s = {
      ...defaultSettings('cifar100'),
      model: 'resnet8',
      optimizer: 'sam' as const,
      swp: false,
      beta: 0.35,
      sds: true,
      gamma: 0.7,
      rho: 0.1,
      adaptive: true,
      lr: 0.0125,
      momentum: 0.85,
      weightDecay: 1e-4,
      schedule: 'constant' as const,
      batchSize: 48,
      epochs: 7,
      seed: 42,
      trainSize: 1000,
      testSize: 500,
      augment: false,
      labelNoise: 0.2,
      backend: 'webgl' as const,
      linearity: true,
    };
    const q = serializeQuery(s);
    expect(parseQuery(q)).toEqual({ settings: s, notices: [] });
  });

  it('writes booleans as 1/0 and leaves the automatic backend out', () => {
    const q = new URLSearchParams(serializeQuery({ ...defaultSettings(), adaptive: true, augment: false }));
    expect(q.get('adaptive')).toBe('1');
    expect(q.get('augment')).toBe('0');
    expect(q.has('backend')).toBe(false);
    expect(q.get('batch-size')).toBe('64');
    expect(q.get('weight-decay')).toBe('0.0005');
  });

  it('implies swp/sds from β/γ ≠ 1 as the CLI does, unless given', () => {
    expect(parseQuery('?optimizer=esam&beta=1&gamma=0.5').settings).toMatchObject({ swp: false, sds: true });
    expect(parseQuery('?optimizer=esam&beta=0.5&gamma=1').settings).toMatchObject({ swp: true, sds: false });
    expect(parseQuery('?optimizer=esam&beta=0.5&swp=0').settings).toMatchObject({ swp: false, beta: 0.5 });
    const c = toRunConfig(parseQuery('?optimizer=esam&beta=0.5&swp=0').settings);
    expect(c.optimizer).toMatchObject({ swp: false, beta: 1 });
  });

  it('reads and writes the linearity diagnostic as 1/0, off by default', () => {
    expect(defaultSettings().linearity).toBe(false);
    expect(parseQuery('?linearity=1')).toMatchObject({ settings: { linearity: true }, notices: [] });
    expect(parseQuery('?linearity=0').settings.linearity).toBe(false);
    expect(parseQuery('?linearity=yes').notices[0]).toMatch(/^linearity=yes was ignored: .* expects 1 or 0/);
    expect(new URLSearchParams(serializeQuery({ ...defaultSettings(), linearity: true })).get('linearity')).toBe('1');
    expect(new URLSearchParams(serializeQuery(defaultSettings())).get('linearity')).toBe('0');
  });

  it('defaults augmentation by dataset unless given', () => {
    expect(parseQuery('?dataset=cifar10').settings.augment).toBe(true);
    expect(parseQuery('?dataset=synthetic').settings.augment).toBe(false);
    expect(parseQuery('?dataset=cifar10&augment=0').settings.augment).toBe(false);
  });

  it('ignores unknown keys and values of the wrong type with a notice, never throwing', () => {
    const { settings, notices } = parseQuery(
      '?color=red&epochs=two&optimizer=adam&adaptive=yes&batch-size=2.5&model=vgg&backend=metal&dataset=mnist&lr=',
    );
    expect(settings).toEqual(defaultSettings());
    expect(notices).toHaveLength(9);
    expect(notices[0]).toMatch(/Unknown setting “color”/);
    expect(notices.join('\n')).toMatch(/epochs=two was ignored: Epochs expects a whole number/);
    expect(notices.join('\n')).toMatch(/optimizer=adam was ignored/);
  });

  it('ignores an out-of-range number with a notice saying why, and uses the default', () => {
    const { settings, notices } = parseQuery('?optimizer=esam&beta=0&gamma=0.5');
    expect(settings.beta).toBe(0.6);
    expect(settings.swp).toBe(true);
    expect(notices).toEqual([expect.stringMatching(/^beta=0 was ignored: β \(SWP\) must be in \(0, 1\]\. The default 0\.6 is used\./)]);
    expect(settingErrors(settings)).toEqual({});
    expect(parseQuery('?beta=1.5').settings.beta).toBe(0.6);
    expect(parseQuery('?epochs=0').notices[0]).toMatch(/^epochs=0 was ignored: .*Epochs/);
    expect(settingErrors(parseQuery('?gamma=0.01&batch-size=8').settings)).toEqual({});
  });

  it('survives garbage', () => {
    for (const q of ['?%%%', '?=&=&', '?beta=NaN', '?beta=Infinity', '?seed=-1', '?&&&dataset']) {
      expect(() => parseQuery(q)).not.toThrow();
    }
  });
});

describe('validation', () => {
  it('only checks settings that apply', () => {
    const s = { ...defaultSettings(), optimizer: 'sam' as const, beta: 7 };
    expect(settingErrors(s)).toEqual({});
    expect(settingErrors({ ...s, optimizer: 'esam' }).beta).toBeDefined();
    expect(settingErrors({ ...s, optimizer: 'esam', swp: false })).toEqual({});
  });

  it('catches cross-field problems: γ × batch and a subset smaller than a batch', () => {
    expect(settingErrors({ ...defaultSettings(), gamma: 0.01, batchSize: 16 }).gamma).toMatch(/selects no sample/);
    expect(settingErrors({ ...defaultSettings(), trainSize: 10, batchSize: 16 }).trainSize).toMatch(/one batch/);
  });
});

describe('linearity in the run config', () => {
  it('is carried into the run config only when on, and back into the settings', () => {
    const on = toRunConfig({ ...defaultSettings(), linearity: true });
    expect(on.linearity).toBe(true);
    expect(toRunConfig(defaultSettings())).not.toHaveProperty('linearity');
    const previous = defaultSettings();
    expect(settingsFromRunConfig(on, 'auto', previous).linearity).toBe(true);
    expect(settingsFromRunConfig(toRunConfig(previous), 'auto', { ...previous, linearity: true }).linearity).toBe(false);
    expect(settingErrors({ ...defaultSettings(), linearity: true })).toEqual({});
  });
});

describe('presets (rows of Table 3)', () => {
  it('maps each preset onto optimizer and switches and back', () => {
    const base = defaultSettings();
    for (const id of ['sgd', 'sam', 'esam-swp', 'esam-sds', 'esam'] as const) {
      expect(presetOf(applyPreset(base, id))).toBe(id);
    }
    expect(toRunConfig(applyPreset(base, 'esam-swp')).optimizer).toMatchObject({
      name: 'esam',
      swp: true,
      beta: 0.6,
      sds: false,
      gamma: 1,
    });
    expect(toRunConfig(applyPreset(base, 'sam')).optimizer).toMatchObject({ name: 'sam', swp: false, beta: 1, sds: false, gamma: 1 });
  });

  it('gives a switched-on half the paper’s ratio when its own is 1', () => {
    const s = applyPreset({ ...defaultSettings(), beta: 1, gamma: 1 }, 'esam');
    expect(s).toMatchObject({ beta: 0.6, gamma: 0.5 });
  });
});

describe('per-model learning rate and ρ', () => {
  const mlp = MODEL_TRAINING_DEFAULTS.mlp;
  it('the URL takes the model’s own defaults unless lr or rho is given', () => {
    expect(parseQuery('?model=mlp').settings).toMatchObject({ lr: mlp.lr, rho: mlp.rho });
    expect(parseQuery('?model=mlp&lr=0.3&rho=0.2').settings).toMatchObject({ lr: 0.3, rho: 0.2 });
    expect(defaultSettings()).toMatchObject(MODEL_TRAINING_DEFAULTS['cnn-bn']);
  });

  it('changing the model moves lr and ρ to its defaults, unless the person had changed them', () => {
    const start = defaultSettings();
    expect(withModel(start, 'mlp')).toMatchObject({ model: 'mlp', lr: mlp.lr, rho: mlp.rho });
    expect(withModel({ ...start, lr: 0.123 }, 'mlp')).toMatchObject({ model: 'mlp', lr: 0.123, rho: mlp.rho });
    expect(withModel(withModel(start, 'mlp'), 'cnn-bn')).toMatchObject(MODEL_TRAINING_DEFAULTS['cnn-bn']);
  });
});
