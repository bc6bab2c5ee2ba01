/**
 * Command-line flags of `npm run train` (see docs/cli.md) turned into a RunConfig: a loop over
 * the run config's schema (src/engine/config/schema.ts).
 *
 * Parsing only checks the shape of the input (known flag, value present, a number where a
 * number is expected, a known name); ranges are checked by the engine's own validation, so the
 * CLI, the URL and the config panel accept exactly the same values. Settings outside the run
 * config (--seeds, --backend) are checked here against their rows.
 */
import { rangeWords } from '../../src/engine/config/checks';
import { chosenOfRepeated, parseDecimal } from '../../src/engine/config/number-grammar';
import { configOf, defaultValues } from '../../src/engine/config/run-config';
import { applies, field, FIELD_IDS, IMPLIED_BY, OFF_VALUES, type FieldId, type FieldValues } from '../../src/engine/config/schema';
import { isModelName } from '../../src/engine/model-names';
import type { RunConfig } from '../../src/engine/run-record';
import type { NodeBackendChoice } from '../tfjs-node';
import { flagOf } from '../../src/engine/config/argv';
import { cliValues, COMMAND_FLAGS, matchFlag, type CommandFlag } from './flags';

/** Bad command-line input: one line on stderr, exit code 2. */
export class UsageError extends Error {}

export interface TrainArgs {
  config: RunConfig;
  /** --data PATH; null when not given. */
  data: string | null;
  /** --out FILE; null for stdout. */
  out: string | null;
  /** --backend: the tfjs backend to train on ('auto': the fastest that starts). */
  backend: NodeBackendChoice;
  /** --seeds N: runs differing only in the seed, written together as runs@1 (1 = one run@1). */
  seeds: number;
  help: boolean;
}

/** The value a flag's text stands for; throws a UsageError for an unknown name. */
function readValue(id: FieldId, text: string): string | number {
  const spec = field(id);
  if (spec.kind !== 'enum') return parseDecimal(text) as number;
  const allowed = cliValues(spec);
  if (!allowed.includes(text)) throw new UsageError(`${flagOf(id)}: unknown ${spec.key} "${text}" (expected ${allowed.join(', ')})`);
  return text;
}

/** A setting outside the run config (the engine never sees it) is checked against its row here. */
function checkOutsideConfig(id: FieldId, value: unknown): void {
  const spec = field(id);
  if (spec.path !== null || (spec.kind !== 'int' && spec.kind !== 'number')) return;
  const v = value as number;
  const ok = spec.kind === 'int' ? Number.isInteger(v) : Number.isFinite(v);
  const { min, max } = spec.range;
  if (!ok || v < min || (max !== undefined && v > max))
    throw new UsageError(`${flagOf(id)} must be ${rangeWords(spec, 'panel')}, got ${v}`);
}

/**
 * Reads argv into a RunConfig on top of the app's defaults for the chosen dataset and model.
 * Throws a UsageError for an unknown flag, a missing value, a value that is not a number, or
 * an unknown name (dataset, model, optimizer, schedule, backend). Ranges are left to the engine.
 */
export function parseTrainArgs(argv: readonly string[]): TrainArgs {
  const texts = new Map<FieldId, string[]>();
  const switches = new Map<FieldId, boolean>();
  const command = new Map<CommandFlag, string[]>();

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const inline = eq > 0 ? arg.slice(eq + 1) : null;
    const match = matchFlag(flag);
    if (match === null) {
      throw new UsageError(
        arg.startsWith('-') ? `unknown option ${flag} (see --help)` : `unexpected argument "${arg}" (flags only; see --help)`,
      );
    }
    const takesValue = match.kind === 'value' || (match.kind === 'command' && COMMAND_FLAGS[match.flag].text);
    if (!takesValue) {
      if (inline !== null) throw new UsageError(`${flag} takes no value (got "${arg}")`);
      if (match.kind === 'switch') switches.set(match.id, match.on);
      else if (match.kind === 'command') command.set(match.flag, []);
      continue;
    }
    let value = inline;
    if (value === null) {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) throw new UsageError(`${flag} needs a value`);
      value = next;
      i++;
    }
    if (value === '') throw new UsageError(`${flag} needs a value`);
    if (match.kind === 'command') {
      command.set(match.flag, [...(command.get(match.flag) ?? []), value]);
      continue;
    }
    const kind = field(match.id).kind;
    if ((kind === 'int' || kind === 'number') && (value.trim() !== value || parseDecimal(value) === null)) {
      throw new UsageError(`${flag} must be a number, got "${value}"`);
    }
    texts.set(match.id, [...(texts.get(match.id) ?? []), value]);
  }

  // A flag given more than once: the shared rule picks the value (the last).
  const given = new Map<FieldId, unknown>(switches);
  for (const [id, list] of texts) given.set(id, readValue(id, chosenOfRepeated(list)));
  // Defaults that depend on the dataset or the model (augmentation, lr, ρ) follow the given ones.
  const dataset = (given.get('dataset') as FieldValues['dataset'] | undefined) ?? 'synthetic';
  const model = given.get('model') as string | undefined;
  const values = defaultValues(dataset, model !== undefined && isModelName(model) ? model : undefined);
  const write = values as unknown as Record<FieldId, unknown>;
  for (const [id, value] of given) write[id] = value;
  // A ratio of 1 turns that half of ESAM off; SGD and SAM use neither.
  for (const [sw, ratio] of Object.entries(IMPLIED_BY) as [FieldId, FieldId][])
    write[sw] = applies(sw, values) && values[ratio] !== OFF_VALUES[ratio];
  for (const id of FIELD_IDS) checkOutsideConfig(id, values[id]);

  const lastCommand = (flag: CommandFlag) => {
    const list = command.get(flag);
    return list?.length ? chosenOfRepeated(list) : null;
  };
  return {
    config: configOf(values),
    seeds: values.seeds,
    data: lastCommand('--data'),
    out: lastCommand('--out'),
    backend: values.backend as NodeBackendChoice,
    help: command.has('--help') || command.has('-h'),
  };
}
