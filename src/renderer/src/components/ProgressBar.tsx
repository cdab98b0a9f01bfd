interface Props {
  /** 0..1, or null while the total is unknown (an animated indeterminate bar). */
  value: number | null;
  label: string;
}

/** A determinate or indeterminate bar with an accessible value; its height never changes. */
export function ProgressBar({ value, label }: Props) {
  const percent = value === null ? undefined : Math.round(value * 100);
  return (
    <div
      className={`progress ${value === null ? 'indeterminate' : ''}`}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent}
    >
      <div className="progress-fill" style={{ width: value === null ? '30%' : `${(value * 100).toFixed(1)}%` }} />
    </div>
  );
}
