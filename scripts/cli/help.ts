/** The flag lines of `npm run train --help`: a loop over the schema's rows, in its groups, plus the CLI's own notes. */
import { DATASET_NAMES } from '../../src/data/types';
import { rangeWords } from '../../src/engine/config/checks';
import { formatNumber } from '../../src/engine/config/number-grammar';
import { defaultValues } from '../../src/engine/config/run-config';
import type { FieldGroup } from '../../src/engine/config/field-spec';
import { field, type FieldId } from '../../src/engine/config/schema';
import { MODEL_NAMES } from '../../src/engine/model-names';
import { SWIFTSHADER_PREFIX } from '../node-webgpu';
import { SYNTHETIC_TEST, SYNTHETIC_TRAIN } from './data';
import { FLAG_FIELD_IDS, flagOf } from '../../src/engine/config/argv';
import { cliValues } from './flags';

const GROUP_TITLES: Record<FieldGroup, string> = { data: 'Data', model: 'Model and optimizer', training: 'Training', compute: 'Compute' };

/** What only the command line needs said about a setting. */
const CLI_NOTES: Partial<Record<FieldId, string>> = {
  trainSize: `synthetic: ${SYNTHETIC_TRAIN} images generated from --seed, more if N is larger`,
  testSize: `synthetic: ${SYNTHETIC_TEST}`,
  seeds: 'the output is then one runs@1 file',
  backend:
    'auto: wasm, else cpu. wasm: tfjs’s WebAssembly backend with SIMD, the fastest on a CPU; cpu: plain JavaScript; ' +
    'webgpu: the GPU through Dawn (the npm package webgpu). Without a GPU, webgpu runs on SwiftShader when started as ' +
    `${SWIFTSHADER_PREFIX} npm run train -- --backend webgpu ... The run JSON’s environment.backend names the one that ran.`,
};

/** The command's own flags, listed after the settings of their group. */
const COMMAND_LINES: Partial<Record<FieldGroup | 'output', [string, string][]>> = {
  data: [
    [
      '--data PATH',
      'CIFAR: the official cifar-10-binary.tar.gz / cifar-100-binary.tar.gz (read as it streams), or a folder with its .bin files ' +
        '(or with the .tar.gz); Fashion-MNIST: a folder with the four IDX files, gzipped or not. Required except for synthetic.',
    ],
  ],
  output: [
    ['--out FILE', 'write the run JSON there instead of stdout'],
    ['--help, -h', 'this text'],
  ],
};

const FLAG_COLUMN = 26;
const WIDTH = 100;

function shown(value: unknown): string {
  if (typeof value === 'boolean') return value ? 'on' : 'off';
  return typeof value === 'number' ? formatNumber(value) : String(value);
}

/** The default in words: one value, or one per model or dataset where it depends on them. */
function defaultWords(id: FieldId): string {
  const byModel = MODEL_NAMES.map((m) => defaultValues('synthetic', m)[id]);
  if (id !== 'model' && new Set(byModel).size > 1)
    return `the model’s: ${MODEL_NAMES.map((m, i) => `${m} ${shown(byModel[i])}`).join(', ')}`;
  const byDataset = DATASET_NAMES.map((d) => defaultValues(d)[id]);
  if (id !== 'dataset' && new Set(byDataset).size > 1)
    return `by dataset: ${DATASET_NAMES.map((d, i) => `${d} ${shown(byDataset[i])}`).join(', ')}`;
  return shown(defaultValues()[id]);
}

function flagLine(id: FieldId): [string, string] {
  const spec = field(id);
  const flag = flagOf(id);
  const words = [spec.summary];
  if (spec.kind === 'enum') words.push(`: ${cliValues(spec).join(', ')}`);
  if (spec.kind === 'int' || spec.kind === 'number') words.push(`, ${rangeWords(spec, 'panel')}`);
  words.push(` (default ${defaultWords(id)})`);
  const note = CLI_NOTES[id];
  const text = `${words.join('')}${note ? `; ${note}` : ''}`;
  switch (spec.kind) {
    case 'bool':
      return [`${flag}, --no-${spec.key}`, text];
    case 'enum':
      return [`${flag} NAME`, text];
    case 'int':
      return [`${flag} N`, text];
    case 'number':
      return [`${flag} X`, text];
  }
}

/** One flag: its name, then its text wrapped in the second column. */
function format([flag, text]: [string, string]): string {
  const lines: string[] = [];
  let line = `  ${flag}`.padEnd(FLAG_COLUMN);
  if (flag.length + 2 >= FLAG_COLUMN) {
    lines.push(`  ${flag}`);
    line = ''.padEnd(FLAG_COLUMN);
  }
  for (const word of text.split(' ')) {
    if (line.trim().length > 0 && line.length > FLAG_COLUMN && line.length + 1 + word.length > WIDTH) {
      lines.push(line);
      line = ''.padEnd(FLAG_COLUMN);
    }
    line += line.length > FLAG_COLUMN ? ` ${word}` : word;
  }
  lines.push(line);
  return lines.join('\n');
}

/** Every flag of `npm run train`, by section. */
export function flagsHelp(): string {
  const sections: string[] = [];
  for (const group of Object.keys(GROUP_TITLES) as FieldGroup[]) {
    const lines = FLAG_FIELD_IDS.filter((id) => field(id).group === group).map(flagLine);
    lines.push(...(COMMAND_LINES[group] ?? []));
    sections.push(`${GROUP_TITLES[group]}\n${lines.map(format).join('\n')}`);
  }
  sections.push(`Output\n${(COMMAND_LINES.output ?? []).map(format).join('\n')}`);
  return sections.join('\n\n');
}
