/** `text` as a regular expression that matches exactly it (a fingerprint's `+`, a path's dots). */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
