import { describe, expect, it } from 'vitest';
import { applyExperiment, EXPERIMENTS, experimentOf } from '../../src/store/experiments';
import { applyPreset, defaultSettings, parseQuery, settingErrors } from '../../src/store/settings';
import { QUERY, setup } from '../ui/app-harness';

describe('experiment presets', () => {
  it('the defaults are the quick look', () => {
    expect(experimentOf(defaultSettings())).toBe('default');
  });

  it('each sets its data and training settings, keeps the method and backend, and is valid', () => {
    const start = { ...applyPreset(defaultSettings(), 'sam'), backend: 'webgl' as const };
    for (const e of EXPERIMENTS) {
      const s = applyExperiment(start, e.id);
      expect(experimentOf(s)).toBe(e.id);
      expect(s).toMatchObject({ optimizer: 'sam', backend: 'webgl' });
      expect(settingErrors(s)).toEqual({});
    }
    expect(applyExperiment(start, 'label-noise')).toMatchObject({ labelNoise: 0.3, epochs: 10, trainSize: 0, lr: 0.1 });
    expect(applyExperiment(start, 'small-data')).toMatchObject({ labelNoise: 0, epochs: 30, trainSize: 1000 });
    expect(applyExperiment(start, 'cifar10')).toMatchObject({ dataset: 'cifar10', augment: true });
  });

  it('presets do not leak into each other', () => {
    const small = applyExperiment(defaultSettings(), 'small-data');
    expect(applyExperiment(small, 'label-noise').trainSize).toBe(0);
    expect(applyExperiment(applyExperiment(small, 'label-noise'), 'default')).toEqual(defaultSettings());
  });

  it('the page applies one and writes it to the address', () => {
    const t = setup(QUERY);
    t.app.applyExperiment('label-noise');
    expect(t.state.settings.labelNoise).toBe(0.3);
    expect(parseQuery(t.urls.at(-1)!).settings).toEqual(t.state.settings);
  });
});
