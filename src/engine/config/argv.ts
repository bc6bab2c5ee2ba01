/**
 * The command-line form of a run config: one `--key` flag per schema row that is a flag, the
 * inverse of `npm run train`'s parsing (scripts/cli/args.ts). The CLI and the page's "PyTorch"
 * commands (the twin reads the same flags) both write it from here.
 */
import type { RunConfig } from '../run-record';
import { formatNumber } from './number-grammar';
import { configValue } from './run-config';
import { applies, CONFIG_FIELD_IDS, field, FIELD_IDS, IMPLIED_BY, OFF_VALUES, type FieldId, type FieldValues } from './schema';

/** The settings that are CLI flags (the ESAM switches are implied by β and γ). */
export const FLAG_FIELD_IDS: readonly FieldId[] = FIELD_IDS.filter((id) => !field(id).noFlag);

export function flagOf(id: FieldId): string {
  return `--${field(id).key}`;
}

/**
 * A ratio whose switch applies but is off is written at its off value (β = 1 is how the CLI
 * turns SWP off); elsewhere the ratio is read back as given.
 */
function flagValue(config: RunConfig, values: FieldValues, id: FieldId): unknown {
  for (const [switchId, ratioId] of Object.entries(IMPLIED_BY) as [FieldId, FieldId][]) {
    if (ratioId === id && applies(switchId, values) && values[switchId] === false) return OFF_VALUES[id];
  }
  return configValue(config, id);
}

/** The flags that reproduce `config`; an optional switch that is off is left out. */
export function toTrainArgv(config: RunConfig): string[] {
  const argv: string[] = [];
  const values = Object.fromEntries(CONFIG_FIELD_IDS.map((id) => [id, configValue(config, id)])) as FieldValues;
  for (const id of FLAG_FIELD_IDS) {
    const spec = field(id);
    if (spec.path === null) continue;
    const value = flagValue(config, values, id);
    if (spec.kind === 'bool') {
      if (value) argv.push(flagOf(id));
      else if (!spec.optional) argv.push(`--no-${spec.key}`);
    } else {
      argv.push(flagOf(id), typeof value === 'number' ? formatNumber(value) : String(value));
    }
  }
  return argv;
}
