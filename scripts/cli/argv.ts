/**
 * The flags that reproduce a run config: the inverse of `parseTrainArgs` for every config the
 * CLI can express (SWP and SDS on exactly when ESAM's β and γ are below 1). A loop over the
 * schema's flags; an optional switch that is off is left out.
 */
import { formatNumber } from '../../src/engine/config/number-grammar';
import { configValue } from '../../src/engine/config/run-config';
import { field } from '../../src/engine/config/schema';
import type { RunConfig } from '../../src/engine/run-record';
import { FLAG_FIELD_IDS, flagOf } from './flags';

export function toTrainArgv(c: RunConfig): string[] {
  const argv: string[] = [];
  for (const id of FLAG_FIELD_IDS) {
    const spec = field(id);
    if (spec.path === null) continue;
    const value = configValue(c, id);
    if (spec.kind === 'bool') {
      if (value) argv.push(flagOf(id));
      else if (!spec.optional) argv.push(`--no-${spec.key}`);
    } else {
      argv.push(flagOf(id), typeof value === 'number' ? formatNumber(value) : String(value));
    }
  }
  return argv;
}
