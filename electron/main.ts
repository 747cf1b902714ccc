// The desktop shell: the engine lives here, in the main process, and one
// sandboxed window shows the renderer, which reaches the engine only through
// window.strata (electron/preload.ts → electron/ipc.ts). Thin on purpose:
// everything it does for the page is generated from engine/api.ts.

import path from 'node:path';
import { app, BrowserWindow, dialog } from 'electron';
import { openLocalClient, type LocalClient } from '../engine/rpc/local';
import { appOrigin, lockDown, registerAppScheme, serveRenderer } from './appProtocol';
import { serveBridge } from './ipc';

// dist/electron/main.js → dist/renderer
const rendererDir = path.join(__dirname, '..', 'renderer');

let engine: LocalClient | undefined;

function openWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 820,
    title: 'Strata',
    show: false,
    webPreferences: {
      preload: path.join(__dirname, 'preload.js'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  });
  window.once('ready-to-show', () => window.show());
  void window.loadURL(`${appOrigin}index.html`);
  return window;
}

registerAppScheme();
app.enableSandbox();

async function start(): Promise<void> {
  await app.whenReady();
  lockDown();
  // The engine's root: $STRATA_ROOT, else /var/lib/strata, as for the CLI.
  engine = openLocalClient();
  serveRenderer(rendererDir);
  serveBridge(engine.engine, appOrigin);
  openWindow();
}

start().catch((err: unknown) => {
  const message = err instanceof Error ? err.message : String(err);
  console.error(`Strata: ${message}`);
  dialog.showErrorBox('Strata cannot start', message);
  app.exit(1);
});

app.on('window-all-closed', () => app.quit());
app.on('will-quit', () => {
  engine?.close();
  engine = undefined;
});
