/** Binary gigabytes with one decimal, as hostRequirements' "16gb" means 16 GiB. */
export function gib(bytes: number): string {
  const value = bytes / 2 ** 30;
  return `${value >= 100 || Number.isInteger(value) ? value.toFixed(0) : value.toFixed(1)} GiB`;
}

/** Hides the password in a proxy URL, so the copied report never leaks it. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^/@:]+):[^/@]*@/, '//$1:***@');
}

export const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;
