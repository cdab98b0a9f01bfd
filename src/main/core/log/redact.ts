/**
 * Masks secrets in anything Benchtop writes to a log: Jupyter tokens in URLs, command lines and
 * environment variables, registry passwords and tokens, Authorization headers, passwords in URLs.
 * The patterns are deliberately broad: a masked word too many costs nothing, a token in a log
 * attached to a bug report gives away a running notebook.
 */
const MASK = '***';

const PATTERNS: readonly [RegExp, string][] = [
  // http://127.0.0.1:8888/lab?token=abc, &access_token=…, ?sig=…
  [/([?&#](?:token|access_token|refresh_token|id_token|auth|password|passwd|secret|sig|signature|key)=)[^&\s"'<>]+/gi, `$1${MASK}`],
  // Jupyter's own flags: --IdentityProvider.token=abc, --NotebookApp.token abc, --ServerApp.password=…
  [/(\.(?:token|password)[= ]["']?)[^\s"',]+/gi, `$1${MASK}`],
  // Environment: JUPYTER_TOKEN=abc, REGISTRY_PASSWORD=abc, GITHUB_TOKEN=…, AWS_SECRET_ACCESS_KEY=…
  [/\b([A-Z0-9_]*(?:TOKEN|PASSWORD|PASSWD|SECRET|PASSPHRASE|API_KEY|ACCESS_KEY|CREDENTIALS?)[A-Z0-9_]*=)[^\s"',]+/g, `$1${MASK}`],
  // Authorization / Proxy-Authorization headers, as text or as JSON.
  [/((?:proxy-)?authorization["']?\s*[:=]\s*["']?)(?:(?:Bearer|Basic|Token|Digest)\s+)?[^\s"',}]+/gi, `$1${MASK}`],
  // JSON or object dumps: "password":"…", 'token': '…', identitytoken, registrytoken, auth (docker config),
  // also when that JSON is itself quoted inside a JSON string (an error message holding a file's text).
  [/(\\?["']?(?:password|passwd|passphrase|secret|token|access_token|refresh_token|identitytoken|registrytoken|auth|client_secret|private_key)\\?["']?\s*:\s*\\?["'])[^"'\\]*(\\?["'])/gi, `$1${MASK}$2`],
  // user:password@host in URLs.
  [/(\b[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:)[^@\s/]+@/gi, `$1${MASK}@`],
  // A token printed on its own, as Jupyter logs it: "token: abc" / "token abc…".
  [/(\btoken[:\s]\s*)[0-9a-f]{16,}\b/gi, `$1${MASK}`],
];

export function redact(text: string, secrets: Iterable<string> = []): string {
  let out = text;
  for (const secret of secrets) if (secret) out = out.split(secret).join(MASK);
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
  return out;
}
