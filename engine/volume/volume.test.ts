// Volumes on the real kernel: data that outlives containers, is in no layer
// (so neither `diff` nor `commit` sees it), is seeded from the image once,
// and goes with its container only when anonymous and asked to.

import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreateOptions } from '../api';
import { tempEngine, type TempEngine } from '../testing/tempEngine';

let t: TempEngine;
let image: string; // the starter image plus files where volumes go
let withVolume: string; // the same with VOLUME /data

beforeAll(async () => {
  t = await tempEngine();
  const { id } = await t.run(
    ['sh', '-c', 'mkdir -p /srv/app/conf /data && echo seeded > /srv/app/conf/app.ini && chown -R 65534:65534 /srv/app && chmod 750 /srv/app && ln -s conf/app.ini /srv/app/link && echo image > /data/from-image'],
    { networkMode: 'none' },
  );
  image = (await t.client.call('container.commit', { id, reference: 'volumes:files' })).imageId;
  withVolume = (await t.client.call('container.commit', { id, reference: 'volumes:declared', changes: ['VOLUME /data'] })).imageId;
  await t.client.call('container.remove', { id });
});

afterAll(async () => {
  await t.dispose();
});

const run = (cmd: string[], opts: Partial<CreateOptions> = {}) => t.run(cmd, { image, networkMode: 'none', ...opts } as Omit<CreateOptions, 'cmd'>);
const volumes = async () => (await t.client.call('volume.list', {})).map((v) => v.name).sort();
const dataOf = (name: string) => path.join(t.root, 'volumes', name, '_data');

describe('named volumes', () => {
  it('keep data across containers, and the data is in no layer: not in diff, not in commit', async () => {
    const writer = await run(['sh', '-c', 'echo kept > /store/note; echo layer > /outside'], { binds: ['keep:/store'] });
    expect(writer.exitCode).toBe(0);
    expect(fs.readFileSync(path.join(dataOf('keep'), 'note'), 'utf8')).toBe('kept\n');
    const changes = (await t.client.call('container.changes', { id: writer.id })).map((c) => `${c.kind} ${c.path}`);
    expect(changes).toContain('A /outside');
    expect(changes.some((c) => c.includes('/store'))).toBe(false);
    const { imageId } = await t.client.call('container.commit', { id: writer.id, reference: 'committed:1' });
    // The committed image has /outside but not the volume's file.
    const fromCommit = await t.run(['sh', '-c', 'cat /outside; cat /store/note 2>/dev/null || echo no-note'], { image: imageId, networkMode: 'none' });
    expect(fromCommit.stdout).toBe('layer\nno-note\n');
    const reader = await run(['cat', '/again/note'], { binds: ['keep:/again:ro'] });
    expect(reader.stdout).toBe('kept\n');
    const readOnly = await run(['sh', '-c', 'echo x > /again/x'], { binds: ['keep:/again:ro'] });
    expect(readOnly.exitCode).not.toBe(0);
    for (const id of [writer.id, reader.id, readOnly.id, fromCommit.id]) await t.client.call('container.remove', { id });
    await t.client.call('image.remove', { ref: 'committed:1' });
    await t.client.call('volume.remove', { name: 'keep' });
    expect(fs.existsSync(path.join(t.root, 'volumes', 'keep'))).toBe(false);
  });

  it("a new volume is seeded from the image's files (owners, modes, links); a used one is left as it is; nocopy seeds nothing", async () => {
    const first = await run(['sh', '-c', 'stat -c "%u:%g %a" /srv/app; cat /srv/app/conf/app.ini; readlink /srv/app/link; echo changed > /srv/app/conf/app.ini'], {
      binds: ['seeded:/srv/app'],
    });
    expect(first.stdout).toBe('65534:65534 750\nseeded\nconf/app.ini\n');
    const second = await run(['cat', '/srv/app/conf/app.ini'], { binds: ['seeded:/srv/app'] });
    expect(second.stdout).toBe('changed\n');
    const none = await run(['sh', '-c', 'ls -A /srv/app | wc -l'], { mounts: [{ type: 'volume', source: 'empty', target: '/srv/app', noCopy: true }] });
    expect(none.stdout.trim()).toBe('0');
    for (const id of [first.id, second.id, none.id]) await t.client.call('container.remove', { id });
    for (const name of ['seeded', 'empty']) await t.client.call('volume.remove', { name });
  });

  it('are refused for removal while a container uses them; prune takes anonymous ones, --all the unused named ones', async () => {
    await t.client.call('volume.create', { name: 'named', labels: { team: 'strata' } });
    const user = await run(['true'], { binds: ['named:/n'] });
    await expect(t.client.call('volume.remove', { name: 'named' })).rejects.toThrow(`remove named: volume is in use - [${user.id}]`);
    const inspect = await t.client.call('volume.inspect', { name: 'named' });
    expect(inspect).toMatchObject({ Name: 'named', Driver: 'local', Labels: { team: 'strata' }, Mountpoint: dataOf('named'), Scope: 'local', Options: null });
    await t.client.call('container.remove', { id: user.id });
    const anonymous = await run(['true'], { image: withVolume });
    await t.client.call('container.remove', { id: anonymous.id });
    const before = await volumes();
    expect(before).toContain('named');
    expect(before.some((v) => /^[0-9a-f]{64}$/.test(v))).toBe(true);
    const pruned = await t.client.call('volume.prune', {});
    expect(pruned.deleted.every((n) => /^[0-9a-f]{64}$/.test(n))).toBe(true);
    expect(await volumes()).toEqual(['named']);
    expect((await t.client.call('volume.prune', { all: true })).deleted).toEqual(['named']);
    expect(await volumes()).toEqual([]);
  });
});

describe('anonymous volumes', () => {
  it("the image's VOLUME and -v /path get one each, seeded, removed by rm -v and by --rm", async () => {
    const r = await run(['sh', '-c', 'cat /data/from-image; echo mine > /scratch/f'], { image: withVolume, binds: ['/scratch'] });
    expect(r.stdout).toBe('image\n');
    const mounts = (await t.client.call('container.inspect', { id: r.id })).Mounts;
    expect(mounts.map((m) => [m.Type, m.Destination]).sort()).toEqual([['volume', '/data'], ['volume', '/scratch']]);
    expect(await volumes()).toHaveLength(2);
    await t.client.call('container.remove', { id: r.id, volumes: true });
    expect(await volumes()).toEqual([]);

    const auto = await run(['true'], { autoRemove: true, binds: ['kept:/kept'] });
    expect(auto.exitCode).toBe(0);
    await expect(t.client.call('container.inspect', { id: auto.id })).rejects.toThrow(/No such container/);
    expect(await volumes()).toEqual(['kept']); // a named volume outlives --rm
    await t.client.call('volume.remove', { name: 'kept' });
  });
});

describe('other mounts', () => {
  it('--mount bind|volume|tmpfs, --tmpfs, --volumes-from and :ro', async () => {
    const host = fs.mkdtempSync(path.join(t.root, 'host-'));
    fs.writeFileSync(path.join(host, 'h'), 'from host\n');
    try {
      const source = await run(['sh', '-c', 'echo shared > /shared/s'], {
        mounts: [
          { type: 'bind', source: host, target: '/h', readOnly: true },
          { type: 'volume', source: 'sharedvol', target: '/shared' },
        ],
      });
      const r = await run(
        ['sh', '-c', 'cat /h/h /shared/s; grep -E " /(t|t2) " /proc/mounts | cut -d" " -f1-4 | sort; echo x > /h/x 2>/dev/null || echo bind-ro; echo x > /shared/x 2>/dev/null || echo from-ro'],
        { volumesFrom: [`${source.id}:ro`], tmpfs: { '/t': 'size=1m,mode=700' }, mounts: [{ type: 'tmpfs', target: '/t2', tmpfsSize: 2 << 20 }] },
      );
      expect(r.stdout).toBe(
        'from host\nshared\ntmpfs /t tmpfs rw,nosuid,nodev,noexec,relatime,size=1024k,mode=700\ntmpfs /t2 tmpfs rw,nosuid,nodev,noexec,relatime,size=2048k\nbind-ro\nfrom-ro\n',
      );
      await expect(run(['true'], { binds: ['aa:/same', 'bb:/same'] })).rejects.toThrow('Duplicate mount point: /same');
      await expect(run(['true'], { binds: ['rel/x:/y'] })).rejects.toThrow(/includes invalid characters for a local volume name/);
      await expect(run(['true'], { mounts: [{ type: 'bind', source: `${host}/missing`, target: '/m' }] })).rejects.toThrow(/bind source path does not exist/);
      expect(await volumes()).toEqual(['sharedvol']); // the failed creates made none
      for (const id of [source.id, r.id]) await t.client.call('container.remove', { id });
      await t.client.call('volume.remove', { name: 'sharedvol' });
    } finally {
      fs.rmSync(host, { recursive: true, force: true });
    }
  });

  it('system df counts volumes, their size and the containers using them', async () => {
    const r = await run(['sh', '-c', 'head -c 5000 /dev/zero > /v/blob'], { binds: ['sized:/v'] });
    const du = await t.client.call('system.df', {});
    expect(du.volumes).toEqual([{ name: 'sized', size: 5000, links: 1 }]);
    await t.client.call('container.remove', { id: r.id });
    await t.client.call('volume.remove', { name: 'sized' });
  });
});
