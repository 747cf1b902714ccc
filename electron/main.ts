// The desktop shell. `sudo strata gui` runs the engine as root and starts
// this process as the desktop user (engine/host/desktop.ts), so Chromium
// keeps its sandbox; this process reaches the engine over the private socket
// it was given (./engineLink.ts), and one sandboxed window shows the
// renderer, which reaches the engine only through window.strata
// (electron/preload.ts → electron/ipc.ts). Thin on purpose: it relays the
// wire messages of engine/api.ts and saves files, nothing more.

import path from 'node:path';
import { app, BrowserWindow, dialog } from 'electron';
import { appOrigin, lockDown, registerAppScheme, serveRenderer } from './appProtocol';
import { connectEngine, takeEngineLink } from './engineLink';
import { serveBridge } from './ipc';

// dist/electron/main.js → dist/renderer
const rendererDir = path.join(__dirname, '..', 'renderer');

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
  // `strata gui --tour` (engine/host/desktop.ts's tourArg): the renderer opens its tour for `?tour`.
  void window.loadURL(`${appOrigin}index.html${process.argv.includes('--strata-tour') ? '?tour' : ''}`);
  return window;
}

// Read before anything else runs, and out of the environment for good.
const link = takeEngineLink(process.env);

registerAppScheme();
app.enableSandbox();

async function start(): Promise<void> {
  await app.whenReady();
  if (process.getuid?.() === 0) throw new Error('the window does not run as root: start the app with `sudo strata gui` from your desktop session');
  if (!link) throw new Error('the engine runs in `strata gui`, which starts this window: run `sudo strata gui`');
  lockDown();
  serveRenderer(rendererDir);
  serveBridge(() => connectEngine(link), appOrigin);
  openWindow();
}

start().catch((err: unknown) => {
  const message = err instanceof Error ? err.message : String(err);
  console.error(`Strata: ${message}`);
  dialog.showErrorBox('Strata cannot start', message);
  app.exit(1);
});

app.on('window-all-closed', () => app.quit());
