/** A row of presets as one radio group (the panel's experiments and Table 3's methods). */
export interface PresetOption<Id extends string> {
  id: Id;
  label: string;
  /** Shown on hover. */
  help: string;
}

export function PresetChoice<Id extends string>({
  name,
  label,
  options,
  current,
  onChoose,
}: {
  /** The radio inputs' name. */
  name: string;
  /** The group's accessible name. */
  label: string;
  options: readonly PresetOption<Id>[];
  current: Id | null;
  onChoose: (id: Id) => void;
}) {
  return (
    <div className="segmented" role="radiogroup" aria-label={label}>
      {options.map((o) => (
        <label key={o.id} className={current === o.id ? 'on' : ''} title={o.help}>
          <input type="radio" name={name} value={o.id} checked={current === o.id} onChange={() => onChoose(o.id)} />
          <span>{o.label}</span>
        </label>
      ))}
    </div>
  );
}
