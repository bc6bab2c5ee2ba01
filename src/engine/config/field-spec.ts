/** The shape of one row of the run config's schema (schema.ts): its kinds, ranges and defaults. */
import type { DatasetName } from '../../data/types';
import type { ModelName } from '../model-names';

/** The section of `npm run train --help` that lists a field. */
export type FieldGroup = 'data' | 'model' | 'training' | 'compute';

/** Allowed numbers: min ..= max, either end open, max optional. */
export interface Range {
  min: number;
  minOpen?: boolean;
  max?: number;
  maxOpen?: boolean;
  /** Words after a bound in the engine's message, e.g. "(0 = all)". */
  minNote?: string;
  maxNote?: string;
}

/** What a default may depend on: the dataset and the model. */
export interface DefaultContext {
  dataset: DatasetName;
  model: ModelName;
}

export interface Base {
  /** Where the value lives in a RunConfig (`optimizer.beta`); null: a run setting outside it. */
  path: string | null;
  /** The URL key; the CLI's flag is `--key` (`--key`/`--no-key` for a switch). */
  key: string;
  /** The panel's label. */
  label: string;
  /** The engine's name for it in messages (`epochs must be …`). */
  subject: string;
  /** One or two sentences: the panel's hover help. */
  help: string;
  /** One line of `npm run train --help`. */
  summary: string;
  group: FieldGroup;
  /** Written into the run config only when true; absent means false. */
  optional?: boolean;
  /** Not a CLI flag (the CLI implies it, see IMPLIED_BY). */
  noFlag?: boolean;
}

export interface IntSpec extends Base {
  kind: 'int';
  range: Range;
  default: number | ((c: DefaultContext) => number);
}
export interface NumberSpec extends Base {
  kind: 'number';
  range: Range;
  default: number | ((c: DefaultContext) => number);
}
export interface BoolSpec extends Base {
  kind: 'bool';
  default: boolean | ((c: DefaultContext) => boolean);
}
export interface EnumSpec extends Base {
  kind: 'enum';
  values: readonly string[];
  /** What the CLI accepts, where it is fewer (the backends that run in Node). */
  cliValues?: readonly string[];
  /** The value type is any string (a model name read from a file), checked against `values`. */
  open?: boolean;
  default: string | ((c: DefaultContext) => string);
}
export type FieldSpec = IntSpec | NumberSpec | BoolSpec | EnumSpec;
