/** "Export as PyTorch": the twin's command line reproduces the run's config. */
import { describe, expect, it } from 'vitest';
import { parseTrainArgs } from '../../scripts/cli/args';
import { defaultRunConfig } from '../../src/engine/defaults';
import type { RunConfig } from '../../src/engine/run-record';
import { exportCommands, pytorchCommand, runFlags, shellWord, torchrunCommand } from '../../src/store/pytorch-command';

function config(patch: (c: RunConfig) => void): RunConfig {
  const c = defaultRunConfig();
  patch(c);
  return c;
}

describe('pytorch command', () => {
  const cases: [string, RunConfig][] = [
    ['the defaults (ESAM)', defaultRunConfig()],
    [
      'SGD on CIFAR-10 with augmentation',
      config((c) => Object.assign(c, defaultRunConfig('cifar10'), { optimizer: { ...c.optimizer, name: 'sgd', swp: false, sds: false } })),
    ],
    [
      'SAM, adaptive, constant lr, label noise',
      config((c) => {
        c.optimizer = { ...c.optimizer, name: 'sam', adaptive: true, rho: 0.1, swp: false, sds: false };
        c.schedule = 'constant';
        c.dataset.labelNoise = 0.3;
        c.dataset.trainSize = 1000;
        c.linearity = true;
      }),
    ],
    [
      'ESAM with SDS only',
      config((c) => {
        c.optimizer = { ...c.optimizer, swp: false, beta: 1, gamma: 0.7 };
        c.seed = 42;
        c.lr = 0.02;
        c.momentum = 0;
        c.weightDecay = 0;
      }),
    ],
  ];

  it.each(cases)('%s: npm run train reads its flags back to the same config', (_, c) => {
    expect(parseTrainArgs(runFlags(c)).config).toEqual(c);
  });

  it('an ESAM half that is off is passed as a ratio of 1, whatever ratio the config still holds', () => {
    const c = config((x) => {
      x.optimizer = { ...x.optimizer, swp: false, beta: 0.6 };
    });
    const flags = runFlags(c);
    expect(flags[flags.indexOf('--beta') + 1]).toBe('1');
    expect(parseTrainArgs(flags).config.optimizer).toMatchObject({ swp: false, sds: true, gamma: 0.5 });
  });

  it('writes the twin command, its seeds and device, and the torchrun form', () => {
    const c = defaultRunConfig();
    const one = pytorchCommand(c);
    expect(
      one.startsWith('python3 scripts/reference/twin/train.py --data exports/synthetic-seed1 --dataset synthetic --model cnn-bn '),
    ).toBe(true);
    expect(one).not.toContain('--device');
    expect(pytorchCommand(c, { seeds: 3, device: 'cuda', out: 'my runs.json' })).toContain('--data exports/synthetic-seed{seed} ');
    expect(
      pytorchCommand(c, { seeds: 3, device: 'cuda', out: 'my runs.json' }).endsWith("--seeds 3 --device cuda --out 'my runs.json'"),
    ).toBe(true);
    expect(torchrunCommand(c, 4)).toMatch(/^torchrun --nproc-per-node 4 scripts\/reference\/twin\/train.py .* --device cuda$/);
    expect(torchrunCommand(c, 2, { device: 'cpu' })).not.toContain('--device');
    expect(() => torchrunCommand(c, 0)).toThrow(RangeError);
  });

  it('exports the data each run needs: one synthetic set per seed, or the loaded files', () => {
    expect(exportCommands(defaultRunConfig(), { seeds: 2 })).toEqual([
      'npm run export:dataset -- --seed 1 --out exports/synthetic-seed1',
      'npm run export:dataset -- --seed 2 --out exports/synthetic-seed2',
    ]);
    expect(exportCommands(defaultRunConfig('cifar10'))).toEqual([
      'npm run export:dataset -- --dataset cifar10 --data PATH/TO/cifar10 --out exports/cifar10',
    ]);
  });

  it('quotes only words that need it', () => {
    expect(shellWord('exports/a-b_1.json')).toBe('exports/a-b_1.json');
    expect(shellWord("it's here")).toBe(`'it'\\''s here'`);
  });
});
