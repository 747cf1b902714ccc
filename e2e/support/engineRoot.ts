// An engine root a spec (or the whole run) made, taken away afterwards:
// every container removed through the engine itself, so its overlay, its
// network namespace and its monitor go too; then the directory. A mount the
// engine left behind is detached (deleting through it would reach into it)
// and reported as the failure it is.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { LocalClient } from '../../engine/rpc/local';
import { repo } from './paths';

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

/** Call once the root's engine (a browser host, a desktop engine) has stopped. */
export async function removeEngineRoot(root: string): Promise<void> {
  await removeContainers(root);
  const left = mountsUnder(root);
  for (const mountPoint of [...left].reverse()) spawnSync('umount', ['-l', mountPoint]);
  fs.rmSync(root, { recursive: true, force: true });
  if (left.length > 0) throw new Error(`the engine left mounts under ${root}: ${left.join(', ')}`);
}
