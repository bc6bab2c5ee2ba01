import { fieldProblem, FIELD_RULES } from './config/checks';
import { configValue } from './config/run-config';
import { CONFIG_FIELD_IDS, field, type FieldId, type FieldValues } from './config/schema';
import type { RunConfig } from './run-record';

/** A hyperparameter outside its allowed range; `param` names it as the CLI and URL do. */
export class HyperparameterError extends Error {
  constructor(
    readonly param: string,
    message: string,
  ) {
    super(message);
    this.name = 'HyperparameterError';
  }
}

export interface TrainingHyper {
  rho: number;
  beta: number;
  gamma: number;
  lr: number;
  momentum: number;
  weightDecay: number;
  batchSize: number;
}

const TRAINING_HYPER_IDS = [
  'rho',
  'beta',
  'gamma',
  'lr',
  'momentum',
  'weightDecay',
  'batchSize',
] as const satisfies readonly (keyof TrainingHyper & FieldId)[];

/** Throws a HyperparameterError naming the first value out of range, then the first broken rule. */
function check(ids: readonly FieldId[], value: (id: FieldId) => unknown, isKnownModel?: (name: string) => boolean): void {
  for (const id of ids) {
    const v = value(id);
    if (field(id).optional && v === undefined) continue;
    const problem = fieldProblem(id, v, 'engine', id === 'model' ? isKnownModel : undefined);
    if (problem) throw new HyperparameterError(field(id).key, problem);
  }
  const values = { gamma: value('gamma'), batchSize: value('batchSize') } as Pick<FieldValues, 'gamma' | 'batchSize'>;
  for (const rule of FIELD_RULES) {
    if (!rule.holds(values)) throw new HyperparameterError(field(rule.field).key, rule.message(values, 'engine'));
  }
}

/** Throws a HyperparameterError naming the first parameter out of range. */
export function validateTrainingHyper(h: TrainingHyper): void {
  check(TRAINING_HYPER_IDS, (id) => h[id as keyof TrainingHyper]);
}

/** Everything a run needs to be in range before it starts; throws naming the first bad parameter. */
export function validateRunConfig(config: RunConfig, isKnownModel: (name: string) => boolean): void {
  check(CONFIG_FIELD_IDS, (id) => configValue(config, id), isKnownModel);
}
