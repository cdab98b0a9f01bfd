import { useState } from 'react';

/**
 * Copies a text (an error's details, the machine check report, a whole digest) and says so. `name`
 * is the accessible name where the visible label alone is too short ("Copy" beside a hash).
 */
export function CopyButton({ text, label, name, className = 'btn ghost' }: { text: string; label: string; name?: string; className?: string }) {
  const [copied, setCopied] = useState(false);
  const copy = () => {
    void navigator.clipboard?.writeText(text).then(() => setCopied(true), () => setCopied(false));
  };
  return (
    <button type="button" className={className} onClick={copy} aria-label={name ?? label}>
      {copied ? 'Copied' : label}
    </button>
  );
}
