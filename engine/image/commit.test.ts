// commit on the real kernel: a container's writable layer becomes a layer of
// a new image with everything a file system holds (owners, setuid modes,
// symlinks, hard links, devices, fifos, times, file capabilities), deletions
// staying deleted, the container's config and -c changes, and Docker's
// empty_layer for a container that changed nothing.

import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../api';
import type { EngineError } from '../errors';
import { lgetxattr, lsetxattr } from '../native';
import { isOpaqueDir, isWhiteout } from '../fs/overlayFormat';
import { collect, tempEngine, type TempEngine } from '../testing/tempEngine';
import { emptyLayerDiffId } from './commit';

let t: TempEngine;
beforeAll(async () => {
  t = await tempEngine();
});
afterAll(async () => {
  await t?.dispose();
});

const call: TempEngine['client']['call'] = (name, arg) => t.client.call(name, arg);
const configOf = (id: string) => t.client.engine.images.store.images.getImage(id).config;
const diffDirOf = (imageId: string) => {
  const { images, layers } = t.client.engine.images.store;
  return layers.diffDir(images.getImage(imageId).topLayer!);
};

/** A capability set as `setcap cap_net_raw+ep` writes it (version 2). */
const netRawCap = Buffer.from('0000000202000000000000000000000000000000', 'hex');
netRawCap.writeUInt32LE(1 << 13, 4);

describe('commit', () => {
  it('records an empty layer for a container that changed nothing, with Docker created_by', async () => {
    const r = await t.run(['true']);
    const { imageId } = await call('container.commit', { id: r.id });
    const base = configOf(await t.client.engine.images.access.resolve(t.image));
    const made = configOf(imageId);
    expect(made.rootfs.diff_ids).toEqual(base.rootfs.diff_ids);
    expect(made.history!.at(-1)).toMatchObject({ created_by: 'true', empty_layer: true });
    expect(made.history!.length).toBe(base.history!.length + 1);
    expect(made.rootfs.diff_ids).not.toContain(emptyLayerDiffId);
    expect(t.client.engine.images.store.images.getImage(imageId).parent).toBe(await t.client.engine.images.access.resolve(t.image));
  });

  it('keeps owners, setuid, links, devices, fifos, times and capabilities, and deletions stay deleted', async () => {
    const script = [
      'mkdir -p /data/sub',
      'echo secret > /data/f',
      'chown 1234:5678 /data/f',
      'chmod 4750 /data/f',
      'ln -s f /data/sym',
      'ln /data/f /data/hard',
      'mknod /data/null c 1 3',
      'mkfifo /data/fifo',
      'touch -d "2020-09-13 12:26:40" /data/sub/old',
      'rm /etc/group',
      'rm -rf /home && mkdir /home && echo new > /home/only',
    ].join(' && ');
    const r = await t.run(['sh', '-c', script]);
    expect(r.exitCode).toBe(0);
    const upper = path.join(t.root, 'containers', r.id, 'upper');
    // As `setcap cap_net_raw+ep` would have done.
    lsetxattr(path.join(upper, 'data', 'f'), 'security.capability', netRawCap);

    const { imageId } = await call('container.commit', { id: r.id, reference: 'committed:files', author: 'Ann', message: 'files' });
    const diff = diffDirOf(imageId);
    const st = (p: string) => fs.lstatSync(path.join(diff, p));
    expect([st('data/f').uid, st('data/f').gid, st('data/f').mode & 0o7777]).toEqual([1234, 5678, 0o4750]);
    expect(st('data/hard').ino).toBe(st('data/f').ino);
    expect(fs.readlinkSync(path.join(diff, 'data/sym'))).toBe('f');
    expect(st('data/null').isCharacterDevice() && st('data/null').rdev).toBe(0x103);
    expect(st('data/fifo').isFIFO()).toBe(true);
    expect(st('data/sub/old').mtimeMs).toBe(Date.UTC(2020, 8, 13, 12, 26, 40));
    expect(lgetxattr(path.join(diff, 'data/f'), 'security.capability')).toEqual(netRawCap);
    expect(isWhiteout(st('etc/group'))).toBe(true);
    expect(isOpaqueDir(path.join(diff, 'home'))).toBe(true);
    // The launcher's mount points live in the init layer, never in the image.
    expect(fs.existsSync(path.join(diff, 'etc', 'hostname'))).toBe(false);
    expect(fs.existsSync(path.join(diff, 'proc'))).toBe(false);

    const run = await call('container.create', {
      image: 'committed:files',
      cmd: ['sh', '-c', 'stat -c "%u %g %a %F" /data/f /data/null /data/fifo; cat /data/hard; ls /home; test -e /etc/group || echo gone'],
    });
    const out = await collect(t.client, run.id);
    expect(out.stdout).toBe('1234 5678 4750 regular file\n0 0 644 character special file\n0 0 644 fifo\nsecret\nonly\ngone\n');
    const made = configOf(imageId);
    expect(made.author).toBe('Ann');
    expect(made.history!.at(-1)).toMatchObject({ author: 'Ann', comment: 'files', created_by: `sh -c ${script}` });
    expect(made.history!.at(-1)!.empty_layer).toBeUndefined();
  });

  it('takes the container config with -c changes, without the environment the engine adds', async () => {
    const { id } = await call('container.create', {
      image: t.image,
      cmd: ['sh', '-c', 'echo hi > /x'],
      env: ['FOO=bar'],
      workingDir: '/tmp',
      labels: { team: 'strata' },
      tty: true,
    });
    await collect(t.client, id);
    const { imageId } = await call('container.commit', { id, changes: ['ENV X=1', 'LABEL a=b', 'EXPOSE 80', 'CMD ["sh"]'] });
    const config = configOf(imageId).config!;
    expect(config.Env).toContain('FOO=bar');
    expect(config.Env).toContain('X=1');
    expect(config.Env!.some((e) => e.startsWith('HOSTNAME=') || e.startsWith('TERM='))).toBe(false);
    expect(config).toMatchObject({ Cmd: ['sh'], WorkingDir: '/tmp', Labels: { team: 'strata', a: 'b' }, ExposedPorts: { '80/tcp': {} } });
  });

  it('refuses a bad change or reference before touching anything', async () => {
    const r = await t.run(['true']);
    const before = (await call('image.list', { all: true })).length;
    await expect(call('container.commit', { id: r.id, changes: ['FROM x'] })).rejects.toThrow(/from is not a valid change command/);
    await expect(call('container.commit', { id: r.id, reference: 'Bad:Name' })).rejects.toMatchObject({ code: 'InvalidArgument' } as Partial<EngineError>);
    expect((await call('image.list', { all: true })).length).toBe(before);
  });

  it('pauses a running container while it is committed, and resumes it', async () => {
    const { id } = await call('container.create', { image: t.image, cmd: ['sh', '-c', 'echo running > /state; sleep 100'] });
    await call('container.start', { id });
    for (let i = 0; i < 50 && !fs.existsSync(path.join(t.root, 'containers', id, 'upper', 'state')); i++) await new Promise((r) => setTimeout(r, 20));
    const since = Date.now() * 1e6;
    const { imageId } = await call('container.commit', { id });
    const actions = t.client.engine.events.since(since).filter((e): e is Extract<EngineEvent, { action: string }> => e.id === id && 'action' in e).map((e) => e.action);
    expect(actions.filter((a) => a !== 'start')).toEqual(['pause', 'commit', 'unpause']);
    expect((await call('container.inspect', { id })).State.Status).toBe('running');
    expect(fs.readFileSync(path.join(diffDirOf(imageId), 'state'), 'utf8')).toBe('running\n');
    await call('container.commit', { id, pause: false });
    const later = t.client.engine.events.since(since).filter((e) => e.id === id && 'action' in e && e.action === 'pause');
    expect(later.length).toBe(1);
    await call('container.remove', { id, force: true });
  });
});
