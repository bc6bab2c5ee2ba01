import type { OptimizerConfig } from '../engine/optimizer/config';

/** The five configurations the benchmark compares (issue: SGD, SAM, ESAM-SWP, ESAM-SDS, ESAM). */
export const BENCH_CONFIG_NAMES = ['sgd', 'sam', 'esam-swp', 'esam-sds', 'esam'] as const;
export type BenchConfigName = (typeof BENCH_CONFIG_NAMES)[number];

export const BENCH_CONFIG_LABELS: Record<BenchConfigName, string> = {
  sgd: 'SGD',
  sam: 'SAM',
  'esam-swp': 'ESAM-SWP β=0.6',
  'esam-sds': 'ESAM-SDS γ=0.5',
  esam: 'ESAM β=0.6 γ=0.5',
};

const BASE: OptimizerConfig = { name: 'esam', rho: 0.05, adaptive: false, swp: true, beta: 0.6, sds: true, gamma: 0.5 };

export function benchOptimizer(name: BenchConfigName): OptimizerConfig {
  switch (name) {
    case 'sgd':
      return { ...BASE, name: 'sgd' };
    case 'sam':
      return { ...BASE, name: 'sam' };
    case 'esam-swp':
      return { ...BASE, sds: false };
    case 'esam-sds':
      return { ...BASE, swp: false };
    case 'esam':
      return BASE;
  }
}
