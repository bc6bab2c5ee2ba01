import type { StepRule } from '../config';
import type { StepMethod } from '../step-types';
import { sgdMethod } from './sgd';
import { sharpnessAwareMethod } from './sharpness-aware';

/** The step method for a rule; a new method is a new StepRule kind with its case here. */
export function stepMethodFor(rule: StepRule): StepMethod {
  switch (rule.kind) {
    case 'sgd':
      return sgdMethod;
    case 'sharpness':
      return sharpnessAwareMethod(rule);
  }
}
