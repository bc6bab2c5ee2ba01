import type { StepRule } from '../../src/engine/optimizer/config';

/** One rule of each family kind, with settings that exercise both paths of the switching rules. */
export const FAMILY_RULES: { label: string; rule: StepRule }[] = [
  { label: 'looksam k=2', rule: { kind: 'looksam', rho: 0.05, adaptive: false, k: 2, alpha: 0.7 } },
  { label: 'rst', rule: { kind: 'rst', rho: 0.05, adaptive: false, p: 0.5 } },
  { label: 'aesam', rule: { kind: 'aesam', rho: 0.05, adaptive: true, delta: 0.9, cStart: -1, cEnd: 1, totalSteps: 6, warmup: 1 } },
  { label: 'gsam', rule: { kind: 'gsam', rho: 0.1, adaptive: false, alpha: 0.3, rhoMin: 0.02, lrMax: 0.1, lrMin: 0.01 } },
  { label: 'samon', rule: { kind: 'samon', rho: 0.1, adaptive: false } },
  { label: 'ksam k=3', rule: { kind: 'ksam', rho: 0.05, adaptive: false, k: 3 } },
  { label: 'sam m=2', rule: { kind: 'sharpness', rho: 0.05, adaptive: false, beta: 1, gamma: 1, m: 2 } },
  { label: 'esam m=4 (SWP, SDS)', rule: { kind: 'sharpness', rho: 0.05, adaptive: false, beta: 0.6, gamma: 0.5, m: 4 } },
];

/** RST's draw for step s in these tests: SAM on even steps. */
export const rstDraw = (s: number): boolean => s % 2 === 0;
