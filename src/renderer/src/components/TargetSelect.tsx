/**
 * A labelled choice of session target: `local` reads as this computer, a host by its id.
 * `placeholder` adds an empty first option for "nothing chosen yet".
 */
export function TargetSelect({
  label,
  targets,
  value,
  onChange,
  placeholder,
  disabled,
}: {
  label: string;
  targets: readonly string[];
  value: string;
  onChange(target: string): void;
  placeholder?: string;
  disabled?: boolean;
}) {
  return (
    <label className="field">
      <span>{label}</span>
      <select value={value} onChange={(e) => onChange(e.target.value)} disabled={disabled}>
        {placeholder !== undefined && <option value="">{placeholder}</option>}
        {targets.map((t) => (
          <option key={t} value={t}>
            {t === 'local' ? 'This computer (local)' : t}
          </option>
        ))}
      </select>
    </label>
  );
}
