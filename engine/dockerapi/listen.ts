// Binding the service's address. A unix socket is the permission boundary
// (whoever can open it runs containers as root): it is created 0600, then
// made 0660 with the group `strata` when that group exists, else root's
// group, as docker.sock is root:docker. A stale socket of a service that died is replaced; a live
// one, or anything that is not a socket, is left alone.

import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { Server } from 'node:http';
import { alreadyExists, invalidArgument } from '../errors';
import type { ListenAddress } from '../service/address';

/** The gid of the group `strata`, from /etc/group, if there is one. */
export function strataGroup(groupFile = '/etc/group'): number | undefined {
  try {
    for (const line of fs.readFileSync(groupFile, 'utf8').split('\n')) {
      const [name, , gid] = line.split(':');
      if (name === 'strata' && /^\d+$/.test(gid ?? '')) return Number(gid);
    }
  } catch {
    // no group file: root only
  }
  return undefined;
}

function answers(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createConnection(socketPath);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
}

async function clearStaleSocket(socketPath: string): Promise<void> {
  const stat = fs.lstatSync(socketPath, { throwIfNoEntry: false });
  if (!stat) return;
  if (!stat.isSocket()) throw invalidArgument(`${socketPath} exists and is not a socket: refusing to replace it`);
  if (await answers(socketPath)) throw alreadyExists(`another service is listening on unix://${socketPath}`);
  fs.rmSync(socketPath);
}

/** Listens; resolves to who may connect ("root and group strata", "root only", "local processes"). */
export async function listenOn(server: Server, address: ListenAddress): Promise<string> {
  if (address.kind === 'tcp') {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(address.port, address.host, () => resolve());
    });
    return 'every local process (TCP on 127.0.0.1)';
  }
  fs.mkdirSync(path.dirname(address.path), { recursive: true, mode: 0o755 });
  await clearStaleSocket(address.path);
  // Nobody else may connect in the moment between bind and chmod: the bind
  // happens inside listen(), so the umask is narrowed around that call only.
  const listening = new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    const umask = process.umask(0o177);
    try {
      server.listen(address.path, () => resolve());
    } finally {
      process.umask(umask);
    }
  });
  await listening;
  const gid = strataGroup();
  fs.chownSync(address.path, 0, gid ?? 0);
  fs.chmodSync(address.path, 0o660);
  return gid === undefined ? 'root only' : 'root and group strata';
}
