// The renderer's origin in Electron: strata://app/, served from the built
// renderer (dist/renderer) with the same Content-Security-Policy as the
// browser host. A real origin instead of file:// gives 'self' a meaning in
// the policy and keeps the page away from the rest of the file system.
// Nothing else loads: no remote content, no navigation away, no new windows,
// no webviews, no permissions.

import fs from 'node:fs';
import { app, protocol, session } from 'electron';
import { findAsset } from '../engine/host/assets';
import { contentTypeFor, securityHeaders } from '../engine/host/headers';

export const scheme = 'strata';
export const appOrigin = `${scheme}://app/`;

/** Must run before the app is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme, privileges: { standard: true, secure: true } }]);
}

/** Serves the renderer under appOrigin; call once the app is ready. */
export function serveRenderer(rendererDir: string): void {
  const headers = securityHeaders([]);
  protocol.handle(scheme, (request) => {
    const url = new URL(request.url);
    const asset = url.host === 'app' ? findAsset(rendererDir, url.pathname) : undefined;
    let body: Buffer | undefined;
    try {
      body = asset && fs.readFileSync(asset.file);
    } catch {
      // Gone since it was found: as if it never was.
    }
    if (!asset || !body) return new Response(null, { status: 404, headers });
    return new Response(body, { status: 200, headers: { ...headers, 'Content-Type': contentTypeFor(asset.extension) } });
  });
}

/** Blocks everything that is not the app's own page. */
export function lockDown(): void {
  const local = [`${scheme}:`, 'devtools:', 'data:', 'blob:'];
  session.defaultSession.webRequest.onBeforeRequest((details, callback) => {
    callback({ cancel: !local.some((prefix) => details.url.startsWith(prefix)) });
  });
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  app.on('web-contents-created', (_event, contents) => {
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    contents.on('will-navigate', (event, url) => {
      if (!url.startsWith(appOrigin)) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (!url.startsWith(appOrigin)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
}
