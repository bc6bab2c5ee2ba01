/** The settings as text: one value (the URL, or what a person typed) and the page's query string (docs/url.md). */
import { chosenOfRepeated, formatNumber, parseDecimal, parseWhole, REPEATED_KEY_RULE } from '../engine/config/number-grammar';
import { field, IMPLIED_BY, OFF_VALUES } from '../engine/config/schema';
import type { DatasetName } from '../data/types';
import { DEFAULT_MODEL } from '../engine/model-names';
import { defaultSettings, settingErrors } from './settings-config';
import { defByParam, SETTING_DEFS, type EnumOption, type SettingDef, type SettingId, type Settings } from './settings-panel';

export type ParsedValue = { ok: true; value: Settings[SettingId] } | { ok: false; expected: string };

/** Parses text for a setting's type (not its range: a number out of range is still a number). */
export function parseValue(def: SettingDef, text: string): ParsedValue {
  const t = text.trim();
  switch (def.kind) {
    case 'bool':
      if (t === '1' || t === 'true') return { ok: true, value: true };
      if (t === '0' || t === 'false') return { ok: true, value: false };
      return { ok: false, expected: '1 or 0' };
    case 'int': {
      const n = parseWhole(t);
      return n === null ? { ok: false, expected: 'a whole number' } : { ok: true, value: n };
    }
    case 'number': {
      const n = parseDecimal(t);
      return n === null ? { ok: false, expected: 'a number' } : { ok: true, value: n };
    }
    case 'enum': {
      const option = (def.options as readonly EnumOption<string>[]).find((o) => o.value === t);
      if (option) return { ok: true, value: option.value as Settings[SettingId] };
      return { ok: false, expected: `one of ${def.options.map((o) => o.value).join(', ')}` };
    }
  }
}

/** The text a control or the URL shows for a value. */
export function formatValue(def: SettingDef, value: Settings[SettingId]): string {
  if (def.kind === 'bool') return value ? '1' : '0';
  if (typeof value === 'number') return Number.isFinite(value) ? formatNumber(value) : String(value);
  return String(value);
}

export interface ParsedQuery {
  settings: Settings;
  /** One sentence per ignored or doubtful key, for the visible notice. */
  notices: string[];
}

/**
 * Reads settings from a query string. Unknown keys, values of the wrong type and values out of
 * range are ignored with a notice (see docs/url.md), so a link never opens a page that
 * cannot start; the defaults stand in. swp/sds default to "β/γ ≠ 1", as in the CLI.
 */
export function parseQuery(search: string): ParsedQuery {
  const params = new URLSearchParams(search);
  const notices: string[] = [];
  const given = new Map<SettingId, Settings[SettingId]>();
  const texts = new Map<string, string[]>();
  const unknown = new Set<string>();
  for (const [key, text] of params) {
    if (!defByParam(key)) {
      unknown.add(key);
      continue;
    }
    const list = texts.get(key);
    if (list) list.push(text);
    else texts.set(key, [text]);
  }
  if (unknown.size) notices.push(unknownKeysNotice([...unknown]));
  for (const [key, values] of texts) {
    const def = defByParam(key) as SettingDef;
    if (values.length > 1) notices.push(`“${key}” appears ${values.length} times in the address; ${REPEATED_KEY_RULE}.`);
    const text = chosenOfRepeated(values);
    const parsed = parseValue(def, text);
    if (!parsed.ok) {
      notices.push(`${key}=${text} was ignored: ${def.label} expects ${parsed.expected}.`);
      continue;
    }
    given.set(def.id, parsed.value);
  }

  // Defaults that depend on the dataset or the model (augmentation, lr, ρ) follow the given ones.
  const dataset = (given.get('dataset') as DatasetName | undefined) ?? 'synthetic';
  const defaults = defaultSettings(dataset, (given.get('model') as string | undefined) ?? DEFAULT_MODEL);
  const build = (): Settings => {
    const settings: Settings = { ...defaults };
    const write = settings as unknown as Record<SettingId, Settings[SettingId]>;
    for (const [id, value] of given) write[id] = value;
    for (const [sw, ratio] of Object.entries(IMPLIED_BY) as [SettingId, SettingId][]) {
      if (!given.has(sw)) write[sw] = settings[ratio] !== OFF_VALUES[ratio];
    }
    return settings;
  };

  // Drop given values that are out of range (alone or together, e.g. γ × batch size < 1).
  let settings = build();
  for (let errors = settingErrors(settings); ; errors = settingErrors(settings)) {
    const bad = SETTING_DEFS.find((def) => errors[def.id] && given.has(def.id));
    if (!bad) break;
    const fallback = formatValue(bad, defaults[bad.id]);
    notices.push(`${bad.param}=${formatValue(bad, given.get(bad.id)!)} was ignored: ${errors[bad.id]}. The default ${fallback} is used.`);
    given.delete(bad.id);
    settings = build();
  }
  return { settings, notices };
}

/** At most this many unknown keys are named in the one notice about them. */
const UNKNOWN_KEYS_NAMED = 5;

function unknownKeysNotice(keys: readonly string[]): string {
  const shown = keys.slice(0, UNKNOWN_KEYS_NAMED).map((k) => `“${k.length > 40 ? `${k.slice(0, 40)}…` : k}”`);
  const more = keys.length > UNKNOWN_KEYS_NAMED ? ` and ${keys.length - UNKNOWN_KEYS_NAMED} more` : '';
  return keys.length === 1
    ? `Unknown setting ${shown[0]} in the address was ignored.`
    : `${keys.length} unknown settings in the address were ignored: ${shown.join(', ')}${more}.`;
}

/** The settings outside the run config (seeds, backend) do not depend on the dataset or model. */
const OUTSIDE_CONFIG_DEFAULTS = defaultSettings();

/** The query string (with its leading "?") for these settings, in the schema's order; a setting outside the run config is left out at its default. */
export function serializeQuery(s: Settings): string {
  const params = new URLSearchParams();
  for (const def of SETTING_DEFS) {
    const value = s[def.id];
    if (field(def.id).path === null && value === OUTSIDE_CONFIG_DEFAULTS[def.id]) continue;
    params.set(def.param, formatValue(def, value));
  }
  return `?${params.toString()}`;
}
