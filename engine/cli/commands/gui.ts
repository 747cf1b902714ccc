// `strata gui [--browser] [--port N] [--no-open] [--tour]`: the desktop app. In
// Electron when its binary is installed (machines that cannot download it
// still have the npm package, without the binary): the engine runs here, as
// root, and Electron as the desktop user who ran sudo (or, for a user's own
// rootless engine, as that user: host/desktop.ts). Otherwise, or with
// --browser, the browser host: the same renderer and API on 127.0.0.1,
// guarded by a per-run token printed as `Strata: http://127.0.0.1:PORT/#token=...`.
// It serves until Ctrl-C or SIGTERM, then closes every socket and stream.
// --tour opens the app at its tour (`/?tour`: the query survives the page
// taking its token out of the fragment).

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { CommandModule } from '../command';
import { OptionError, type Cli } from '../session';

/** The Electron executable `require('electron')` names, when that file exists. */
export function electronBinary(): string | undefined {
  try {
    const file = require('electron') as unknown;
    return typeof file === 'string' && fs.existsSync(file) ? file : undefined;
  } catch {
    // The package throws when its postinstall never fetched the binary.
    return undefined;
  }
}

/** The package root: dist/engine/cli/commands (compiled) or engine/cli/commands (sources) lie under it. */
function packageRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find the package root above ${__dirname}`);
    dir = parent;
  }
  return dir;
}

async function runElectron(cli: Cli, binary: string, tour: boolean): Promise<number> {
  const { sessionUser, runDesktopApp } = await import('../../host/desktop');
  // Chromium keeps its sandbox only when it is not root: the window runs as the user who asked for it.
  const user = sessionUser(process.env);
  if (!user) {
    throw new Error("the desktop app's window does not run as root: start it with sudo (or pkexec) from your desktop session, or use --browser");
  }
  cli.err(`Strata: starting the desktop app (Electron) as ${user.name}\n`);
  const { openLocalClient } = await import('../../rpc/local');
  const local = openLocalClient();
  try {
    return await runDesktopApp({ binary, appDir: packageRoot(), engine: local.engine, user, env: process.env, tour });
  } finally {
    local.close();
  }
}

/** The user's browser, as the user who ran sudo (never a browser running as root), when there is one. */
async function openInBrowser(url: string): Promise<void> {
  const { asUser, desktopEnv, sessionUser } = await import('../../host/desktop');
  const user = process.getuid?.() === 0 ? sessionUser(process.env) : undefined;
  const [command, ...args] = user ? asUser(user, ['xdg-open', url]) : ['xdg-open', url];
  try {
    const child = spawn(command, args, { stdio: 'ignore', detached: true, env: user ? desktopEnv(process.env, user) : process.env });
    child.on('error', () => {});
    child.unref();
  } catch {
    // No opener on this machine: the URL is printed above.
  }
}

/** The host's address, at the tour when asked: http://127.0.0.1:PORT/?tour#token=…. */
export function appUrl(hostUrl: string, tour: boolean): string {
  return tour ? hostUrl.replace(/\/#/, '/?tour#') : hostUrl;
}

async function serveInBrowser(cli: Cli, port: number, open: boolean, tour: boolean): Promise<number> {
  const { openLocalClient } = await import('../../rpc/local');
  const { startHost, defaultRendererDir } = await import('../../host/server');
  const local = openLocalClient();
  try {
    const host = await startHost({ engine: local.engine, rendererDir: defaultRendererDir(), port });
    const url = appUrl(host.url, tour);
    cli.out(`Strata: ${url}\n`);
    if (open) await openInBrowser(url);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await host.close();
    return 0;
  } finally {
    local.close();
  }
}

export const gui: CommandModule = {
  flags: [
    { name: 'browser', type: 'bool', help: 'Serve the app to a web browser on 127.0.0.1 instead of opening Electron' },
    { name: 'port', short: 'p', type: 'int', help: 'Port of the browser host (0 picks a free one)', default: '0' },
    { name: 'no-open', type: 'bool', help: 'Do not open a web browser' },
    { name: 'tour', type: 'bool', help: 'Open the app at its tour of how images become containers' },
  ],
  args: { max: 0 },
  async run(cli, flags) {
    const port = flags.int('port') ?? 0;
    if (port < 0 || port > 65535) throw new OptionError(`invalid port ${port}: expected 0 to 65535`);
    if (!flags.bool('browser')) {
      const binary = electronBinary();
      if (binary) return runElectron(cli, binary, flags.bool('tour'));
      cli.err("Strata: Electron's binary is not installed; serving the app to your browser instead\n");
    }
    return serveInBrowser(cli, port, !flags.bool('no-open'), flags.bool('tour'));
  },
};
