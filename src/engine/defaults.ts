import type { DatasetName } from '../data/types';
import { CONFIG_BOUNDS } from './config/bounds';
import { configOf, defaultValues } from './config/run-config';
import { DEFAULT_MODEL, type ModelName } from './model-names';
import type { RunConfig } from './run-record';

export { defaultAugment, MODEL_TRAINING_DEFAULTS, modelTrainingDefaults, type ModelTrainingDefaults } from './config/model-defaults';

/** The most runs one start queues for a seed group (the page's "Seeds" setting, the CLI's --seeds). */
export const MAX_SEEDS = CONFIG_BOUNDS.maxSeeds;

/** The app's defaults (the schema's rows), used by the config panel, the URL and the CLI alike. */
export function defaultRunConfig(dataset: DatasetName = 'synthetic', model: ModelName = DEFAULT_MODEL): RunConfig {
  return configOf(defaultValues(dataset, model));
}
