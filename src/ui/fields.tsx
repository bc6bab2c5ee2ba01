/** Controls generated from the settings table: a visible label, help on hover or focus, the error beside it. */
import { useId, useState, type ReactNode } from 'react';
import type { RunEntry } from '../store/runs';
import { fieldErrors } from '../store/selectors';
import { formatValue, isActive, SETTINGS, type EnumOption, type SettingDef, type SettingId } from '../store/settings';
import { useApp, useAppState } from './context';

interface ShellProps {
  id: string;
  label: ReactNode;
  help: string;
  error?: string;
  disabled?: boolean;
  children: ReactNode;
  hint?: ReactNode;
  /** For checkboxes: the label wraps the control. */
  wrap?: boolean;
}

export function FieldShell({ id, label, help, error, disabled, children, hint, wrap }: ShellProps) {
  return (
    <div className={`field${error ? ' invalid' : ''}${disabled ? ' inactive' : ''}${wrap ? ' field-check' : ''}`}>
      {wrap ? (
        <label htmlFor={id} className="check-label">
          {children}
          <span className="label-text">{label}</span>
        </label>
      ) : (
        <>
          <label htmlFor={id} className="label-text">
            {label}
          </label>
          {children}
        </>
      )}
      <span className="help" role="tooltip" id={`${id}-help`}>
        {help}
      </span>
      {hint && <span className="hint">{hint}</span>}
      {error && (
        <span className="field-error" id={`${id}-error`}>
          {error}
        </span>
      )}
    </div>
  );
}

function describedBy(id: string, error?: string): string {
  return error ? `${id}-help ${id}-error` : `${id}-help`;
}

function decimals(step: number): number {
  const s = String(step);
  return s.includes('.') ? s.length - s.indexOf('.') - 1 : 0;
}

/** A control for one setting of the table, chosen by its kind. */
export function SettingField({
  id,
  hint,
  disabled: forceDisabled,
  label,
}: {
  id: SettingId;
  hint?: ReactNode;
  disabled?: boolean;
  label?: string;
}) {
  const def = SETTINGS[id] as SettingDef;
  const app = useApp();
  const value = useAppState((s) => s.settings[id]);
  const active = useAppState((s) => isActive(def, s.settings));
  const error = useAppState((s) => (isActive(def, s.settings) ? fieldErrors(s)[id] : undefined));
  const draft = useAppState((s) => s.drafts[id]);
  const domId = `setting-${def.param}`;
  const disabled = forceDisabled || !active;
  const shown = label ?? def.label;

  switch (def.kind) {
    case 'bool':
      return (
        <FieldShell id={domId} label={shown} help={def.help} error={error} disabled={disabled} hint={hint} wrap>
          <input
            id={domId}
            type="checkbox"
            checked={value as boolean}
            disabled={disabled}
            aria-describedby={describedBy(domId, error)}
            onChange={(e) => app.setSetting(id, e.target.checked as never)}
          />
        </FieldShell>
      );
    case 'enum': {
      const options = def.options as readonly EnumOption<string>[];
      const current = options.find((o) => o.value === value);
      return (
        <FieldShell
          id={domId}
          label={shown}
          help={def.help}
          error={error}
          disabled={disabled}
          hint={hint ?? (current?.help && <>{current.help}</>)}
        >
          <select
            id={domId}
            value={value as string}
            disabled={disabled}
            aria-describedby={describedBy(domId, error)}
            onChange={(e) => app.setText(id, e.target.value)}
          >
            {options.map((o) => (
              <option key={o.value} value={o.value} title={o.help}>
                {o.label}
              </option>
            ))}
          </select>
        </FieldShell>
      );
    }
    case 'number':
    case 'int':
      return (
        <NumberField
          def={def}
          domId={domId}
          label={shown}
          value={value as number}
          draft={draft}
          error={error}
          disabled={disabled}
          hint={hint ?? (def.unit && <>{def.unit}</>)}
          onText={(t) => app.setText(id, t)}
          onValue={(v) => app.setSetting(id, v as never)}
        />
      );
  }
}

interface NumberFieldProps {
  def: SettingDef & { kind: 'number' | 'int' };
  domId: string;
  label: string;
  value: number;
  draft: string | undefined;
  error?: string;
  disabled: boolean;
  hint?: ReactNode;
  onText(text: string): void;
  onValue(value: number): void;
}

function NumberField({ def, domId, label, value, draft, error, disabled, hint, onText, onValue }: NumberFieldProps) {
  // While typing, the field shows exactly what was typed ("0." stays "0."); otherwise the value.
  const [editing, setEditing] = useState<string | null>(null);
  const text = editing ?? draft ?? formatValue(def, value);
  const sliderId = useId();
  const slider = def.slider;
  return (
    <FieldShell id={domId} label={label} help={def.help} error={error} disabled={disabled} hint={hint}>
      <div className={slider ? 'number-with-slider' : 'number-only'}>
        <input
          id={domId}
          type="text"
          inputMode={def.kind === 'int' ? 'numeric' : 'decimal'}
          autoComplete="off"
          spellCheck={false}
          value={text}
          disabled={disabled}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy(domId, error)}
          onFocus={() => setEditing(text)}
          onBlur={() => setEditing(null)}
          onChange={(e) => {
            setEditing(e.target.value);
            onText(e.target.value);
          }}
        />
        {slider && (
          <input
            id={sliderId}
            type="range"
            min={slider.min}
            max={slider.max}
            step={slider.step}
            value={Number.isFinite(value) ? Math.min(slider.max, Math.max(slider.min, value)) : slider.min}
            disabled={disabled}
            aria-label={`${def.param} slider`}
            aria-describedby={`${domId}-help`}
            onChange={(e) => {
              setEditing(null);
              onValue(Number(Number(e.target.value).toFixed(decimals(slider.step))));
            }}
          />
        )}
      </div>
    </FieldShell>
  );
}

/** A labelled drop-down of runs by name (the run whose diagnostics to show, the speed baseline). */
export function RunPicker({
  label,
  entries,
  value,
  onChange,
}: {
  label: string;
  entries: RunEntry[];
  value: string;
  onChange: (id: string) => void;
}) {
  return (
    <label className="inline-select">
      <span className="label-text">{label}</span>
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        {entries.map((e) => (
          <option key={e.record.id} value={e.record.id}>
            {e.record.name}
          </option>
        ))}
      </select>
    </label>
  );
}
