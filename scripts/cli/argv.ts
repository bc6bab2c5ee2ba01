/**
 * The flags that reproduce a run config: the inverse of `parseTrainArgs` for every config the
 * CLI can express (SWP and SDS on exactly when ESAM's β and γ are below 1).
 */
import { formatNumber } from '../../src/engine/config/number-grammar';
import type { RunConfig } from '../../src/engine/run-record';

export function toTrainArgv(c: RunConfig): string[] {
  const o = c.optimizer;
  const n = formatNumber;
  return [
    '--dataset', c.dataset.name,
    '--train-size', n(c.dataset.trainSize),
    '--test-size', n(c.dataset.testSize),
    c.dataset.augment ? '--augment' : '--no-augment',
    '--label-noise', n(c.dataset.labelNoise),
    '--model', c.model,
    '--optimizer', o.name,
    '--rho', n(o.rho),
    o.adaptive ? '--adaptive' : '--no-adaptive',
    '--beta', n(o.beta),
    '--gamma', n(o.gamma),
    '--lr', n(c.lr),
    '--momentum', n(c.momentum),
    '--weight-decay', n(c.weightDecay),
    '--schedule', c.schedule,
    '--batch-size', n(c.batchSize),
    '--epochs', n(c.epochs),
    '--seed', n(c.seed),
    ...(c.linearity ? ['--linearity'] : []),
  ];
}
