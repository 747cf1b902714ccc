// The renderer's Content-Security-Policy and the headers that go with it,
// shared by the browser host and Electron's app protocol so both shells hold
// the renderer to the same rules: its own scripts only (no eval, no inline
// script), no plugins, no frames, no remote anything.

/**
 * style-src allows inline styles because xterm.js (the Terminal tab) writes
 * its cell metrics and theme into <style> elements it creates at run time;
 * React's and d3's style properties go through the CSSOM and need no such
 * allowance. Scripts stay 'self' only.
 */
export function contentSecurityPolicy(connectSrc: readonly string[]): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src ${["'self'", ...connectSrc].join(' ')}`,
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-src 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Headers on every response of the renderer's origin. No Access-Control-* header: no other origin may read. */
export function securityHeaders(connectSrc: readonly string[]): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(connectSrc),
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Cache-Control': 'no-store',
  };
}

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

/** The Content-Type for a file of the built renderer, by its extension. */
export function contentTypeFor(extension: string): string {
  return contentTypes[extension.toLowerCase()] ?? 'application/octet-stream';
}
