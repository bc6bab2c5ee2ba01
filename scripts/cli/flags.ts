/**
 * The flags of `npm run train`: one per row of the run config's schema (`--key VALUE`, or
 * `--key`/`--no-key` for a switch), plus the few that only the command has.
 */
import { FLAG_FIELD_IDS, flagOf } from '../../src/engine/config/argv';
import type { FieldSpec } from '../../src/engine/config/field-spec';
import { field, type FieldId } from '../../src/engine/config/schema';

/** Flags that are not settings: where the data is, where the JSON goes, the help. */
export const COMMAND_FLAGS = {
  '--data': { meta: 'PATH', text: true },
  '--out': { meta: 'FILE', text: true },
  '--help': { meta: '', text: false },
  '-h': { meta: '', text: false },
} as const;
export type CommandFlag = keyof typeof COMMAND_FLAGS;

/** What the CLI accepts for an enum (the backends that run in Node are fewer than the page's). */
export function cliValues(spec: FieldSpec & { kind: 'enum' }): readonly string[] {
  return spec.cliValues ?? spec.values;
}

type FlagMatch = { kind: 'value'; id: FieldId } | { kind: 'switch'; id: FieldId; on: boolean } | { kind: 'command'; flag: CommandFlag };

/** Which flag `flag` is, or null. */
export function matchFlag(flag: string): FlagMatch | null {
  if (Object.hasOwn(COMMAND_FLAGS, flag)) return { kind: 'command', flag: flag as CommandFlag };
  for (const id of FLAG_FIELD_IDS) {
    const own = flagOf(id);
    if (field(id).kind !== 'bool') {
      if (flag === own) return { kind: 'value', id };
    } else if (flag === own || flag === `--no-${field(id).key}`) {
      return { kind: 'switch', id, on: flag === own };
    }
  }
  return null;
}
