/** RunConfig to and from the schema's flat values: loops over the rows' paths. */
import type { DatasetName } from '../../data/types';
import { DEFAULT_MODEL, type ModelName } from '../model-names';
import type { RunConfig } from '../run-record';
import { applies, CONFIG_FIELD_IDS, field, FIELD_IDS, OFF_VALUES, type FIELDS, type FieldId, type FieldValues } from './schema';

type Loose = Record<string, unknown>;

/** The value at a field's path in a config (undefined where absent). */
export function configValue(config: RunConfig, id: FieldId): unknown {
  const path = field(id).path;
  if (path === null) return undefined;
  let at: unknown = config;
  for (const part of path.split('.')) at = at === null || typeof at !== 'object' ? undefined : (at as Loose)[part];
  return at;
}

/**
 * A RunConfig with the values of the config's fields, in the contract's key order. An optional
 * field (linearity) is written only when its value is not undefined.
 */
export function runConfigFrom(values: { readonly [K in FieldId]?: unknown }): RunConfig {
  const out: Loose = {};
  for (const id of CONFIG_FIELD_IDS) {
    const value = values[id];
    if (field(id).optional && value === undefined) continue;
    const parts = (field(id).path as string).split('.');
    let at = out;
    for (const part of parts.slice(0, -1)) at = (at[part] ??= {}) as Loose;
    at[parts[parts.length - 1]] = value;
  }
  return out as unknown as RunConfig;
}

/** The run config for flat values: an optional field that is off is left out, as configs without it were. */
export function configOf(values: FieldValues): RunConfig {
  const out = { ...values } as Loose;
  for (const id of CONFIG_FIELD_IDS) if (field(id).optional && !values[id]) out[id] = undefined;
  return runConfigFrom(out);
}

/** Every field's default for a dataset and model. */
export function defaultValues(dataset: DatasetName = 'synthetic', model: ModelName = DEFAULT_MODEL): FieldValues {
  const out: Loose = {};
  for (const id of FIELD_IDS) {
    const d: unknown = field(id).default;
    out[id] = typeof d === 'function' ? (d as (c: { dataset: DatasetName; model: ModelName }) => unknown)({ dataset, model }) : d;
  }
  return out as FieldValues;
}

/** The values with every field that does not apply at its OFF value (what a run config holds). */
export function withOffValues(v: FieldValues): FieldValues {
  const out = { ...v } as Loose;
  for (const [id, off] of Object.entries(OFF_VALUES)) if (!applies(id as FieldId, v)) out[id] = off;
  return out as FieldValues;
}

/** The type at a dotted path of T (optional keys read as their value). */
type At<T, P extends string> = P extends `${infer H}.${infer R}`
  ? H extends keyof T
    ? At<NonNullable<T[H]>, R>
    : false
  : P extends keyof T
    ? NonNullable<T[P]>
    : false;

/** Per row: its path is a RunConfig key that holds the row's value type (true), or not (false). */
type RowMatches = {
  [K in FieldId]: (typeof FIELDS)[K]['path'] extends infer P extends string
    ? [FieldValues[K]] extends [At<RunConfig, P>]
      ? true
      : false
    : true;
};
type Assert<T extends true> = T;
/** Fails to compile when a row's path or kind disagrees with the RunConfig interface. */
export type SchemaMatchesRunConfig = Assert<RowMatches[FieldId]>;
