/**
 * The renderer's Content-Security-Policy: only the app's own scripts, styles and images; no inline
 * script, no eval, no remote connections (the renderer talks to main through the preload only).
 * Sent as a header by main and repeated in index.html's meta tag (a test keeps the two equal).
 */
export const RENDERER_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-src 'none'",
  "object-src 'none'",
].join('; ');
