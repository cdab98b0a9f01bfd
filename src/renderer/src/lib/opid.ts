/**
 * Operation ids tie progress events to the call that started them. randomUUID needs a secure
 * context (file:// and 127.0.0.1 are), getRandomValues is the fallback that works everywhere.
 */
export function newOpId(prefix: string): string {
  const c = globalThis.crypto;
  if (typeof c.randomUUID === 'function') return `${prefix}-${c.randomUUID()}`;
  const bytes = c.getRandomValues(new Uint8Array(16));
  return `${prefix}-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}
