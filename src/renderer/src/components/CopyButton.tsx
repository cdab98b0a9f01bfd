import { useState } from 'react';

/** Copies a text (an error's details, the machine check report) for a help request, and says so. */
export function CopyButton({ text, label, className = 'btn ghost' }: { text: string; label: string; className?: string }) {
  const [copied, setCopied] = useState(false);
  const copy = () => {
    void navigator.clipboard?.writeText(text).then(() => setCopied(true), () => setCopied(false));
  };
  return (
    <button type="button" className={className} onClick={copy} aria-label={label}>
      {copied ? 'Copied' : label}
    </button>
  );
}
