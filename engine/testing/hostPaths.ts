// Requests that name a host path or the engine's own standard input, each
// under several names of the same file, for the tests of every front end
// that is held to the app's policy (browser host, downloads, Electron): all
// must be refused, and none may leave a trace.

import fs from 'node:fs';
import path from 'node:path';

export interface HostPathRequest {
  kind: 'call' | 'open';
  name: string;
  arg: unknown;
  /** What the refusal says: the engine's standard input, or a host path. */
  refusal: RegExp;
}

const stdinRefusal = /the engine's standard input belongs to the command line, not the app$/;
const hostPathRefusal = /the app may not name a host path \(the engine (reads|writes|binds) it as root\)$/;

/** The engine's stdin and some host files under `dir` (which this makes), named every way the policy must see through. */
export function hostPathRequests(dir: string): HostPathRequest[] {
  fs.mkdirSync(dir, { recursive: true });
  const secret = path.join(dir, 'secret');
  fs.writeFileSync(secret, 'FROM first-line-of-a-host-file\n');
  fs.linkSync(secret, path.join(dir, 'secret-hard-link'));
  fs.symlinkSync(secret, path.join(dir, 'secret-symlink'));
  fs.symlinkSync('/proc/self/fd/0', path.join(dir, 'stdin-symlink'));
  const stdinNames = ['/dev/stdin', '/proc/self/fd/0', '/dev/fd/0', path.join(dir, 'stdin-symlink'), `/proc/${process.pid}/fd/0`];
  const requests: HostPathRequest[] = [];
  for (const name of stdinNames) {
    requests.push(
      { kind: 'call', name: 'image.load', arg: { path: name }, refusal: stdinRefusal },
      { kind: 'call', name: 'image.import', arg: { path: name }, refusal: stdinRefusal },
      { kind: 'open', name: 'image.build', arg: { context: '', dockerfile: name }, refusal: stdinRefusal },
    );
  }
  requests.push({ kind: 'open', name: 'image.build', arg: { context: '-' }, refusal: stdinRefusal });
  for (const name of [secret, path.join(dir, 'secret-hard-link'), path.join(dir, 'secret-symlink'), '/etc/shadow']) {
    requests.push(
      { kind: 'open', name: 'image.build', arg: { context: '', dockerfile: name }, refusal: hostPathRefusal },
      { kind: 'call', name: 'image.load', arg: { path: name }, refusal: hostPathRefusal },
    );
  }
  requests.push(
    { kind: 'open', name: 'image.build', arg: { context: dir, dockerfile: 'secret' }, refusal: hostPathRefusal },
    { kind: 'call', name: 'image.import', arg: { path: secret }, refusal: hostPathRefusal },
    { kind: 'call', name: 'image.saveFile', arg: { refs: ['starter'], path: path.join(dir, 'saved.tar') }, refusal: hostPathRefusal },
    { kind: 'call', name: 'container.exportFile', arg: { id: 'any', path: path.join(dir, 'exported.tar') }, refusal: hostPathRefusal },
    { kind: 'call', name: 'container.create', arg: { image: 'starter', binds: ['/:/host'] }, refusal: hostPathRefusal },
    { kind: 'call', name: 'container.create', arg: { image: 'starter', binds: [`${dir}:/data:ro`] }, refusal: hostPathRefusal },
    { kind: 'call', name: 'container.create', arg: { image: 'starter', devices: ['/dev/loop0'] }, refusal: hostPathRefusal },
    { kind: 'call', name: 'container.create', arg: { image: 'starter', privileged: true }, refusal: hostPathRefusal },
  );
  return requests;
}

/** What the refused requests would have left under `dir` had they run. */
export function tracesIn(dir: string): string[] {
  return fs.readdirSync(dir).filter((name) => !['secret', 'secret-hard-link', 'secret-symlink', 'stdin-symlink'].includes(name));
}
