// The one policy every front end but the command line passes: which
// requests name host paths or the engine's standard input, decided on the
// file a path resolves to, and what a download may carry.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requests, streams } from '../api';
import { mknod } from '../native';
import { admit, admitDownload, appGrants, dockerApiGrants, isEngineStdin, type Grants } from './policy';

let dir: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-policy-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const refusal = (fn: () => void): string => {
  try {
    fn();
  } catch (err) {
    expect(err).toMatchObject({ name: 'EngineError', code: 'InvalidArgument' });
    return (err as Error).message;
  }
  return 'admitted';
};

describe('the engine’s standard input, under any name', () => {
  it('is the file its descriptor is open on: through links, /proc and /dev/fd', () => {
    const file = path.join(dir, 'input');
    fs.writeFileSync(file, 'secret first line\n');
    const fd = fs.openSync(file, 'r');
    try {
      fs.linkSync(file, path.join(dir, 'hard-link'));
      fs.symlinkSync(file, path.join(dir, 'symlink'));
      fs.symlinkSync(`/proc/self/fd/${fd}`, path.join(dir, 'link-to-proc'));
      for (const name of [file, path.join(dir, 'hard-link'), path.join(dir, 'symlink'), path.join(dir, 'link-to-proc'), `/proc/self/fd/${fd}`, `/dev/fd/${fd}`, `${dir}/../${path.basename(dir)}/input`]) {
        expect(isEngineStdin(name, fd), name).toBe(true);
      }
      fs.writeFileSync(path.join(dir, 'other'), 'secret first line\n');
      expect(isEngineStdin(path.join(dir, 'other'), fd)).toBe(false);
      expect(isEngineStdin(path.join(dir, 'missing'), fd)).toBe(false);
      expect(isEngineStdin('-', fd)).toBe(true);
    } finally {
      fs.closeSync(fd);
    }
  });

  it('is its device under another node, and the controlling terminal', () => {
    const fd = fs.openSync('/dev/null', 'r');
    try {
      const again = path.join(dir, 'null-again');
      mknod(again, fs.constants.S_IFCHR | 0o600, 1, 3);
      expect(isEngineStdin(again, fd)).toBe(true);
      expect(isEngineStdin('/dev/zero', fd)).toBe(false);
      if (fs.existsSync('/dev/tty')) expect(isEngineStdin('/dev/tty', fd)).toBe(true);
    } finally {
      fs.closeSync(fd);
    }
  });

  it('is what /dev/stdin and /proc/self/fd/0 name in this very process', () => {
    for (const name of ['/dev/stdin', '/proc/self/fd/0', '/dev/fd/0']) expect(isEngineStdin(name), name).toBe(true);
  });
});

describe('the app’s grants', () => {
  const hostRequests: Array<[kind: 'request' | 'stream', name: string, arg: unknown]> = [
    ['request', 'image.import', { path: '/etc/passwd' }],
    ['request', 'image.load', { path: '/tmp/archive.tar' }],
    ['request', 'image.saveFile', { refs: ['x'], path: '/etc/cron.d/x' }],
    ['request', 'container.exportFile', { id: 'x', path: '/root/x.tar' }],
    ['request', 'container.create', { image: 'x', binds: ['/:/host'] }],
    ['request', 'container.create', { image: 'x', binds: ['/etc:/etc:ro', 'relative:/data'] }],
    // A capability beyond the defaults (here CAP_SYS_ADMIN) is the host's, as a bind of / is.
    ['request', 'container.create', { image: 'x', capAdd: ['SYS_ADMIN'] }],
    ['request', 'container.create', { image: 'x', mounts: [{ type: 'bind', source: '/etc', target: '/host-etc' }] }],
    ['request', 'volume.create', { name: 'v', options: { type: 'none', o: 'bind', device: '/etc' } }],
    ['stream', 'image.build', { context: '/etc' }],
    ['stream', 'image.build', { context: '', dockerfile: '/etc/shadow' }],
    ['stream', 'image.build', { context: '/tmp', dockerfileText: 'FROM x' }],
  ];

  it.each(hostRequests)('refuses %s %s naming a host path, without quoting it', (kind, name, arg) => {
    const message = refusal(() => admit(appGrants, kind, name, arg));
    expect(message).toMatch(/the app may not name a host path \(the engine (reads|writes|binds) it as root\)$/);
    expect(message).not.toMatch(/\/|shadow|passwd/);
  });

  it('refuses every name of the engine’s standard input as such', () => {
    const link = path.join(dir, 'stdin-link');
    fs.symlinkSync('/proc/self/fd/0', link);
    const stdinNames = ['/dev/stdin', '/proc/self/fd/0', '/dev/fd/0', link];
    for (const name of stdinNames) {
      for (const [kind, request, arg] of [
        ['request', 'image.load', { path: name }],
        ['request', 'image.import', { path: name }],
        ['stream', 'image.build', { context: '', dockerfile: name }],
      ] as const) {
        expect(refusal(() => admit(appGrants, kind, request, arg)), `${request} ${name}`).toMatch(/the engine's standard input belongs to the command line, not the app$/);
      }
    }
    expect(refusal(() => admit(appGrants, 'stream', 'image.build', { context: '-' }))).toMatch(/standard input/);
    // In a tar context the Dockerfile is a path inside the tar: only the context is the engine's.
    expect(refusal(() => admit(appGrants, 'stream', 'image.build', { context: '-', dockerfile: 'sub/Dockerfile' }))).toMatch(/^image.build context: the engine's standard input/);
  });

  it('admits what names no host path: the app’s own work', () => {
    const fine: Array<[kind: 'request' | 'stream', name: string, arg: unknown]> = [
      ['request', 'system.info', {}],
      ['request', 'container.create', { image: 'x', cmd: ['sh'], tty: true, openStdin: true }],
      // Not absolute: a volume's name, as Docker reads it (the engine refuses it as unsupported).
      ['request', 'container.create', { image: 'x', binds: ['data:/data'] }],
      // Less than the defaults, and limits, are the app's to ask for.
      ['request', 'container.create', { image: 'x', capDrop: ['ALL'], securityOpt: ['no-new-privileges'], memory: 64 << 20, pidsLimit: 64 }],
      ['request', 'container.update', { id: 'x', memory: 64 << 20 }],
      ['stream', 'container.stats', { all: true }],
      // "/DST" alone is an anonymous volume; --mount type=volume and tmpfs name no host path either.
      ['request', 'container.create', { image: 'x', binds: ['/data'], mounts: [{ type: 'volume', source: 'v', target: '/v' }, { type: 'tmpfs', target: '/t' }] }],
      ['request', 'volume.create', { name: 'v', options: { type: 'tmpfs', o: 'size=1m' } }],
      ['request', 'network.create', { name: 'n' }],
      ['stream', 'container.archive', { id: 'x', path: '/etc/shadow' }],
      ['request', 'image.tree', { ref: 'x', path: '/etc' }],
      ['stream', 'image.build', { context: '', dockerfileText: 'FROM starter\n' }],
      ['stream', 'container.exec', { id: 'x', cmd: ['cat', '/etc/shadow'] }],
      ['stream', 'image.save', { refs: ['x'] }],
      // A path inside an image or a container, read through the held walker (engine/fs/union.ts), never a host path.
      ['request', 'image.file', { ref: 'x', path: '/etc/shadow' }],
      ['request', 'container.file', { id: 'x', path: '/etc/shadow' }],
      // Uploads: the archive's bytes come in the stream's input, from a file the person picked.
      ['stream', 'image.loadStream', {}],
      ['stream', 'image.importStream', { reference: 'up:1', changes: ['CMD ["sh"]'], message: 'from the app' }],
    ];
    for (const [kind, name, arg] of fine) expect(refusal(() => admit(appGrants, kind, name, arg)), name).toBe('admitted');
  });

  it('checks arguments as the dispatcher does before reading them', () => {
    expect(refusal(() => admit(appGrants, 'request', 'container.create', { image: 'x', binds: '/:/host' }))).toMatch(/binds/);
    expect(refusal(() => admit(appGrants, 'request', 'image.load', { path: 7 }))).toMatch(/path/);
  });
});

describe('the Docker API’s grants: host paths, but not the engine’s standard input', () => {
  const binds: Grants = dockerApiGrants;

  it('lets host paths through and still refuses stdin under every name', () => {
    // A /build body spooled to a file is that file: a '-' context read from it is not standard input.
    expect(refusal(() => admit(binds, 'stream', 'image.build', { context: '-', contextFile: path.join(dir, 'body') }))).toBe('admitted');
    expect(refusal(() => admit(binds, 'stream', 'image.build', { context: '-', contextFile: '/dev/stdin' }))).toMatch(/standard input/);
    expect(refusal(() => admit(appGrants, 'stream', 'image.build', { context: '-', contextFile: path.join(dir, 'body') }))).toMatch(/the app may not name a host path/);
    expect(refusal(() => admit(binds, 'request', 'container.create', { image: 'x', binds: ['/srv:/srv'] }))).toBe('admitted');
    expect(refusal(() => admit(binds, 'request', 'container.create', { image: 'x', binds: ['/proc/self/fd/0:/in'] }))).toMatch(/standard input/);
    expect(refusal(() => admit(binds, 'request', 'image.load', { path: '/dev/stdin' }))).toMatch(/standard input/);
  });
});

describe('downloads', () => {
  it('carry byte streams only', () => {
    const byteStreams = ['image.save', 'container.export', 'container.logs'];
    expect(refusal(() => admitDownload(appGrants, 'image.save', { refs: ['x'] }))).toBe('admitted');
    expect(refusal(() => admitDownload(appGrants, 'container.logs', { id: 'x' }))).toBe('admitted');
    for (const name of [...Object.keys(streams), ...Object.keys(requests), 'no.such.stream']) {
      if (byteStreams.includes(name)) continue;
      expect(refusal(() => admitDownload(appGrants, name, {})), name).toMatch(/is not a byte stream: it cannot be downloaded$/);
    }
  });
});
