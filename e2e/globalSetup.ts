// Before the specs: a fresh engine root and, for the browser shell, the
// browser host serving the built app on it (`strata gui --browser --no-open
// --port 0`, its URL read from the line it prints). After them: every
// container removed (so no overlay stays mounted and no monitor runs), the
// host stopped, the root deleted. The specs find both in the environment:
// STRATA_ROOT, and STRATA_E2E_URL (browser shell); containers' networks use
// a bridge and subnets claimed for the run ($STRATA_CONFIG_ROOT).

import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { removeEngineRoot } from './support/engineRoot';
import { startHost, stopHost } from './support/host';
import { repo } from './support/paths';

function requireBuilt(): void {
  for (const [file, how] of [
    ['dist/engine/cli/main.js', 'npm run build'],
    ['dist/renderer/index.html', 'npm run build'],
  ]) {
    if (!fs.existsSync(path.join(repo, file))) throw new Error(`e2e: ${file} is missing: run \`${how}\` first`);
  }
}

interface DesktopEngine {
  close(): Promise<void>;
}

/**
 * For the Electron shell: the engine, here (root), behind the socket `strata
 * gui` would give Electron; each test launches Electron as the desktop user
 * (e2e/support/fixtures.ts), which finds the link in STRATA_E2E_LINK.
 */
async function startDesktopEngine(root: string): Promise<DesktopEngine> {
  const { openLocalClient } = require(path.join(repo, 'dist/engine/rpc/local.js')) as typeof import('../engine/rpc/local');
  const { startEngineSocket } = require(path.join(repo, 'dist/engine/host/engineSocket.js')) as typeof import('../engine/host/engineSocket');
  const { desktopUser, lookupUser } = require(path.join(repo, 'dist/engine/host/desktop.js')) as typeof import('../engine/host/desktop');
  const user = desktopUser(process.env) ?? lookupUser(Number(process.env.STRATA_E2E_DESKTOP_UID));
  if (!user) throw new Error('e2e: Electron runs as a desktop user: run with sudo from one, or set STRATA_E2E_DESKTOP_UID');
  const local = openLocalClient({ root });
  const socket = await startEngineSocket({ engine: local.engine, owner: user });
  process.env.STRATA_E2E_LINK = JSON.stringify({ socket: socket.path, token: socket.token, uid: user.uid });
  return {
    async close() {
      await socket.close();
      local.close();
    },
  };
}

export default async function globalSetup(): Promise<() => Promise<void>> {
  requireBuilt();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-e2e-'));
  process.env.STRATA_ROOT = root;
  // A bridge and subnets of the run's own ($STRATA_CONFIG_ROOT), inherited by the host and the specs' CLI.
  const { claimTestNetwork } = require(path.join(repo, 'dist/engine/testing/testNetwork.js')) as { claimTestNetwork(): unknown };
  claimTestNetwork();
  // The Docker API service the app starts listens in the root, not on /run: this run's settings say so.
  const settings = path.join(process.env.STRATA_CONFIG_ROOT!, 'strata', 'config.json');
  fs.writeFileSync(settings, JSON.stringify({ ...JSON.parse(fs.readFileSync(settings, 'utf8')), hosts: [`unix://${path.join(root, 'docker.sock')}`] }, null, 2));
  let host: ChildProcess | undefined;
  let desktop: DesktopEngine | undefined;
  if (process.env.STRATA_E2E_SHELL !== 'electron') {
    const started = await startHost(root);
    host = started.child;
    process.env.STRATA_E2E_URL = started.url;
  } else {
    desktop = await startDesktopEngine(root);
  }
  return async () => {
    if (host) await stopHost(host);
    await desktop?.close();
    await removeEngineRoot(root);
  };
}
