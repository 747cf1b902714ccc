// /containers/{id}/archive: `docker cp` both ways. HEAD and GET say what is
// at the path in X-Docker-Container-Path-Stat (base64 of JSON, its mode in
// Go's os.FileMode bits); GET sends it as a tar; PUT extracts the request's
// tar into the directory at the path.

import type { ContainerPathStat } from '../api';
import type { ApiContext } from './context';
import { pipeBytes } from './containers';
import { badRequest, notFoundError } from './errors';
import type { Exchange } from './exchange';
import { boolParam } from './query';
import type { Route } from './router';

/** st_mode as Go's os.FileMode: permission bits, then Go's own bits for the type and the special bits. */
export function goFileMode(mode: number): number {
  const type = mode & 0o170000;
  let go = mode & 0o777;
  if (type === 0o040000) go |= 2 ** 31; // ModeDir
  else if (type === 0o120000) go |= 2 ** 27; // ModeSymlink
  else if (type === 0o020000) go |= 2 ** 26 + 2 ** 21; // ModeDevice | ModeCharDevice
  else if (type === 0o060000) go |= 2 ** 26; // ModeDevice
  else if (type === 0o010000) go |= 2 ** 25; // ModeNamedPipe
  else if (type === 0o140000) go |= 2 ** 24; // ModeSocket
  if (mode & 0o4000) go |= 2 ** 23; // ModeSetuid
  if (mode & 0o2000) go |= 2 ** 22; // ModeSetgid
  if (mode & 0o1000) go |= 2 ** 20; // ModeSticky
  return go >>> 0;
}

function statHeader(s: ContainerPathStat): string {
  return Buffer.from(JSON.stringify({ name: s.name, size: s.size, mode: goFileMode(s.mode), mtime: s.mtime, linkTarget: s.linkTarget })).toString('base64');
}

async function stat(ex: Exchange, ctx: ApiContext): Promise<{ path: string; stat: ContainerPathStat }> {
  const path = ex.query.get('path');
  if (!path) throw badRequest('Bad parameters: path cannot be empty');
  const found = await ctx.client.call('container.pathStat', { id: ex.params.id, path });
  if (!found) throw notFoundError(`Could not find the file ${path} in container ${ex.params.id}`);
  return { path, stat: found };
}

async function head(ex: Exchange, ctx: ApiContext): Promise<void> {
  const { stat: s } = await stat(ex, ctx);
  ex.send(200, undefined, { 'X-Docker-Container-Path-Stat': statHeader(s), 'Content-Type': 'application/x-tar' });
}

async function get(ex: Exchange, ctx: ApiContext): Promise<void> {
  const { path, stat: s } = await stat(ex, ctx);
  await pipeBytes(ex, ctx, 'container.archive', { id: ex.params.id, path }, 'application/x-tar', { 'X-Docker-Container-Path-Stat': statHeader(s) });
}

async function put(ex: Exchange, ctx: ApiContext): Promise<void> {
  const path = ex.query.get('path');
  if (!path) throw badRequest('Bad parameters: path cannot be empty');
  const arg = { id: ex.params.id, path, noOverwriteDirNonDir: boolParam(ex.query, 'noOverwriteDirNonDir'), copyUIDGID: boolParam(ex.query, 'copyUIDGID') };
  await new Promise<void>((resolve) => {
    const handle = ctx.client.open('container.extract', arg, {
      onMessage: () => undefined,
      onEnd: (err) => {
        if (err) ex.fail(err);
        else ex.send(200);
        resolve();
      },
    });
    ex.body.on('data', (chunk: Buffer) => handle.send({ data: chunk }));
    ex.body.on('end', () => handle.send({ end: true }));
    ex.onClose(() => handle.close());
  });
}

export const archiveRoutes: Route[] = [
  { method: 'HEAD', pattern: '/containers/{id}/archive', handler: head },
  { method: 'GET', pattern: '/containers/{id}/archive', handler: get },
  { method: 'PUT', pattern: '/containers/{id}/archive', handler: put },
];
