/**
 * The range checks of the schema's rows and their words: the engine's ("epochs must be an
 * integer ≥ 1 and at most 10000, got 0") and the panel's ("Epochs must be a whole number from 1
 * to 10,000"), both from the row's one Range.
 */
import { SDS_FULL_BATCH_THRESHOLD } from '../optimizer/config';
import { CONFIG_BOUNDS } from './bounds';
import type { FieldSpec, Range } from './field-spec';
import { FIELDS, type FieldId, type FieldValues } from './schema';

export type Surface = 'engine' | 'panel';

function intervalWords(r: Range): string {
  if (r.max === undefined) return `${r.minOpen ? '>' : '≥'} ${r.min}`;
  return `in ${r.minOpen ? '(' : '['}${r.min}, ${r.max}${r.maxOpen ? ')' : ']'}`;
}

function intWords(r: Range, surface: Surface): string {
  if (surface === 'panel') {
    return r.max === undefined ? `a whole number ≥ ${r.min}` : `a whole number from ${r.min} to ${r.max.toLocaleString('en-US')}`;
  }
  const max = r.max === undefined ? '' : ` and at most ${r.max}${r.maxNote ?? ''}`;
  return `an integer ≥ ${r.min}${r.minNote ?? ''}${max}`;
}

/** What a number field must be, in the words of one surface ("in (0, 1]", "a whole number from 1 to 5"). */
export function rangeWords(spec: FieldSpec & { range: Range }, surface: Surface): string {
  return spec.kind === 'int' ? intWords(spec.range, surface) : intervalWords(spec.range);
}

function inRange(spec: FieldSpec & { range: Range }, v: unknown): boolean {
  if (typeof v !== 'number' || !(spec.kind === 'int' ? Number.isInteger(v) : Number.isFinite(v))) return false;
  const { min, minOpen, max, maxOpen } = spec.range;
  if (minOpen ? v <= min : v < min) return false;
  return max === undefined || (maxOpen ? v < max : v <= max);
}

/** Why `value` is not allowed for the field on its own (type and range), in the surface's words; null if it is. */
export function fieldProblem(id: FieldId, value: unknown, surface: Surface, allowed?: (v: string) => boolean): string | null {
  const spec: FieldSpec = FIELDS[id];
  switch (spec.kind) {
    case 'bool':
      return typeof value === 'boolean' ? null : `${spec.subject} must be true or false, got ${String(value)}`;
    case 'enum': {
      const known = allowed ?? ((v: string) => spec.values.includes(v));
      return typeof value === 'string' && known(value)
        ? null
        : `unknown ${spec.subject} "${String(value)}" (expected ${spec.values.join(', ')})`;
    }
    case 'int':
    case 'number':
      if (inRange(spec, value)) return null;
      return surface === 'engine'
        ? `${spec.subject} must be ${rangeWords(spec, 'engine')}, got ${String(value)}`
        : `${spec.label} must be ${rangeWords(spec, 'panel')}`;
  }
}

/** A check across fields, with the words of each surface. */
export interface FieldRule {
  field: FieldId;
  holds(v: Pick<FieldValues, 'gamma' | 'batchSize'>): boolean;
  message(v: Pick<FieldValues, 'gamma' | 'batchSize'>, surface: Surface): string;
}

const { maxImages } = CONFIG_BOUNDS;

/** Checked after every field is in range on its own; a panel field that does not apply skips its rules. */
export const FIELD_RULES: readonly FieldRule[] = [
  {
    field: 'batchSize',
    holds: (v) => v.batchSize <= maxImages,
    message: (v, surface) =>
      surface === 'engine'
        ? `batch size must be at most ${maxImages}, got ${v.batchSize}`
        : `Batch size must be at most ${maxImages.toLocaleString('en-US')}`,
  },
  {
    field: 'gamma',
    holds: (v) => v.gamma >= SDS_FULL_BATCH_THRESHOLD || Math.floor(v.gamma * v.batchSize) >= 1,
    message: (v, surface) =>
      surface === 'engine'
        ? `γ (SDS) = ${v.gamma} selects no sample of a batch of ${v.batchSize}: γ × batch size must be at least 1`
        : `γ × batch size (${v.batchSize}) selects no sample; raise γ or the batch size`,
  },
];
