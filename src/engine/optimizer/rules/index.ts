import type { StepRule } from '../config';
import type { StepMethod } from '../step-types';
import { aeSamMethod } from './aesam';
import { gsamMethod } from './gsam';
import { kSamMethod } from './ksam';
import { lookSamMethod } from './looksam';
import { rstMethod } from './rst';
import { samOnMethod } from './samon';
import { sgdMethod } from './sgd';
import { sharpnessAwareMethod } from './sharpness-aware';

/**
 * The step method for a rule; a new method is a new StepRule kind with its case here. Methods
 * that carry state between steps are made afresh for each call, so each optimizer owns its own.
 */
export function stepMethodFor(rule: StepRule): StepMethod {
  switch (rule.kind) {
    case 'sgd':
      return sgdMethod;
    case 'sharpness':
      return sharpnessAwareMethod(rule);
    case 'looksam':
      return lookSamMethod(rule);
    case 'rst':
      return rstMethod(rule);
    case 'aesam':
      return aeSamMethod(rule);
    case 'gsam':
      return gsamMethod(rule);
    case 'samon':
      return samOnMethod(rule);
    case 'ksam':
      return kSamMethod(rule);
  }
}
