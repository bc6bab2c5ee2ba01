/** Flag parsing and naming of `npm run train`, without training anything. */
import { describe, expect, it } from 'vitest';
import { parseTrainArgs, UsageError } from '../../scripts/cli/args';
import { duration, runName } from '../../scripts/cli/report';
import { defaultRunConfig, MODEL_TRAINING_DEFAULTS } from '../../src/engine/defaults';

describe('train CLI flags', () => {
  it('no flags: the app defaults for the synthetic set', () => {
    expect(parseTrainArgs([])).toEqual({
      config: defaultRunConfig('synthetic'),
      seeds: 1,
      data: null,
      out: null,
      backend: 'auto',
      help: false,
    });
  });

  it('--backend names one of the Node backends', () => {
    for (const backend of ['auto', 'wasm', 'cpu', 'webgpu'] as const) expect(parseTrainArgs(['--backend', backend]).backend).toBe(backend);
    expect(() => parseTrainArgs(['--backend', 'webgl'])).toThrow(
      new UsageError('--backend: unknown backend "webgl" (expected auto, wasm, cpu, webgpu)'),
    );
    expect(() => parseTrainArgs(['--backend'])).toThrow(new UsageError('--backend needs a value'));
  });

  it('the defaults follow the dataset (augmentation on for CIFAR), and flags override them', () => {
    const c10 = parseTrainArgs(['--dataset', 'cifar10', '--data', 'x.tar.gz']);
    expect(c10.config).toEqual(defaultRunConfig('cifar10'));
    expect(c10.config.dataset.augment).toBe(true);
    expect(parseTrainArgs(['--dataset', 'cifar10', '--no-augment']).config.dataset.augment).toBe(false);
    expect(parseTrainArgs(['--augment']).config.dataset.augment).toBe(true);
    expect(parseTrainArgs(['--adaptive', '--no-adaptive']).config.optimizer.adaptive).toBe(false);
  });

  it('--linearity turns the ζ diagnostic on; without it the config has no linearity key', () => {
    expect(parseTrainArgs(['--linearity']).config.linearity).toBe(true);
    expect(parseTrainArgs([]).config).not.toHaveProperty('linearity');
    expect(parseTrainArgs(['--linearity', '--no-linearity']).config).not.toHaveProperty('linearity');
    expect(() => parseTrainArgs(['--linearity=1'])).toThrow('--linearity takes no value');
  });

  it('accepts --flag=value, negative and scientific numbers; the last occurrence wins', () => {
    const { config, out } = parseTrainArgs(['--lr=1e-3', '--seed', '-4', '--epochs', '2', '--epochs=3', '--out=r.json']);
    expect(config.lr).toBe(0.001);
    expect(config.seed).toBe(-4);
    expect(config.epochs).toBe(3);
    expect(out).toBe('r.json');
  });

  it('defaults lr and ρ to the chosen model’s own values unless given', () => {
    const mlp = MODEL_TRAINING_DEFAULTS.mlp;
    expect(parseTrainArgs(['--model', 'mlp']).config).toMatchObject({ lr: mlp.lr, optimizer: { rho: mlp.rho } });
    expect(parseTrainArgs(['--model', 'mlp', '--lr', '0.3', '--rho', '0.2']).config).toMatchObject({ lr: 0.3, optimizer: { rho: 0.2 } });
    expect(parseTrainArgs([]).config).toMatchObject({ model: 'cnn-bn', lr: MODEL_TRAINING_DEFAULTS['cnn-bn'].lr });
  });

  it('records SWP and SDS as on for ESAM only, and only below 1', () => {
    const opt = (argv: string[]) => parseTrainArgs(argv).config.optimizer;
    expect(opt([])).toMatchObject({ name: 'esam', swp: true, sds: true, beta: 0.6, gamma: 0.5 });
    expect(opt(['--beta', '1'])).toMatchObject({ swp: false, sds: true });
    expect(opt(['--gamma', '1'])).toMatchObject({ swp: true, sds: false });
    expect(opt(['--optimizer', 'sam'])).toMatchObject({ name: 'sam', swp: false, sds: false });
    expect(opt(['--optimizer', 'sgd', '--beta', '0.3'])).toMatchObject({ name: 'sgd', swp: false, sds: false, beta: 0.3 });
  });

  it('rejects what is not a flag, a value or a number; ranges are left to the engine', () => {
    const bad = (argv: string[]) => () => parseTrainArgs(argv);
    expect(bad(['--nope'])).toThrow(new UsageError('unknown option --nope (see --help)'));
    expect(bad(['--beta'])).toThrow('--beta needs a value');
    expect(bad(['--beta='])).toThrow('--beta needs a value');
    expect(bad(['--beta', '0x1'])).toThrow('--beta must be a number, got "0x1"');
    expect(bad(['--rho', 'Infinity'])).toThrow('--rho must be a number');
    expect(bad(['--adaptive=1'])).toThrow('--adaptive takes no value');
    expect(bad(['--schedule', 'step'])).toThrow('--schedule: unknown schedule "step" (expected cosine, constant)');
    expect(parseTrainArgs(['--beta', '7']).config.optimizer.beta).toBe(7);
  });
});

describe('train CLI names', () => {
  it('names a run by method, dataset and model', () => {
    const c = defaultRunConfig('synthetic');
    expect(runName(c)).toBe('ESAM β=0.6 γ=0.5 · synthetic · cnn-bn');
    expect(
      runName({
        ...c,
        model: 'resnet8',
        dataset: { ...c.dataset, name: 'cifar10' },
        optimizer: { ...c.optimizer, name: 'sam', adaptive: true },
      }),
    ).toBe('SAM adaptive ρ=0.05 · cifar10 · resnet8');
    expect(runName({ ...c, optimizer: { ...c.optimizer, name: 'sgd' } })).toBe('SGD · synthetic · cnn-bn');
  });

  it('formats durations', () => {
    expect(duration(4.25)).toBe('4.3 s');
    expect(duration(185)).toBe('3m05s');
    expect(duration(3720)).toBe('1h02m');
  });
});
