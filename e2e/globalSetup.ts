// Before the specs: a fresh engine root and, for the browser shell, the
// browser host serving the built app on it (`strata gui --browser --no-open
// --port 0`, its URL read from the line it prints). After them: every
// container removed (so no overlay stays mounted and no monitor runs), the
// host stopped, the root deleted. The specs find both in the environment:
// STRATA_ROOT, and STRATA_E2E_URL (browser shell).

import { spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LocalClient } from '../engine/rpc/local';
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

/** Stops the root's Docker API service and removes every container through the engine itself, so their mounts and monitors go too. */
async function removeContainers(root: string): Promise<void> {
  const { openLocalClient } = require(path.join(repo, 'dist/engine/rpc/local.js')) as { openLocalClient(o: { root: string }): LocalClient };
  const client = openLocalClient({ root });
  try {
    // A Docker API service a spec started from Settings outlives the app: it goes first.
    await client.call('dockerApi.stop', {});
    for (const c of await client.call('container.list', { all: true })) {
      await client.call('container.remove', { id: c.id, force: true });
    }
  } finally {
    client.close();
  }
}

function mountsUnder(root: string): string[] {
  return fs
    .readFileSync('/proc/mounts', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[1] ?? '')
    .filter((mountPoint) => mountPoint === root || mountPoint.startsWith(root + '/'));
}

export default async function globalSetup(): Promise<() => Promise<void>> {
  requireBuilt();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-e2e-'));
  process.env.STRATA_ROOT = root;
  // Settings of this run only: the Docker API service the app starts listens in the root, not on /run.
  const configRoot = path.join(root, 'etc');
  fs.mkdirSync(path.join(configRoot, 'strata'), { recursive: true });
  fs.writeFileSync(path.join(configRoot, 'strata', 'config.json'), JSON.stringify({ hosts: [`unix://${path.join(root, 'docker.sock')}`] }));
  process.env.STRATA_CONFIG_ROOT = configRoot;
  let host: ChildProcess | undefined;
  if (process.env.STRATA_E2E_SHELL !== 'electron') {
    const started = await startHost(root);
    host = started.child;
    process.env.STRATA_E2E_URL = started.url;
  }
  return async () => {
    if (host) await stopHost(host);
    await removeContainers(root);
    const left = mountsUnder(root);
    // Deleting through a mount would reach into it: detach what the engine left (deepest first), then fail.
    for (const mountPoint of [...left].reverse()) spawnSync('umount', ['-l', mountPoint]);
    fs.rmSync(root, { recursive: true, force: true });
    if (left.length > 0) throw new Error(`e2e teardown: the engine left mounts under ${root}: ${left.join(', ')}`);
  };
}
