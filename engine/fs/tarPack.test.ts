import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import tar from 'tar-stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lgetxattr, llistxattr, lsetxattr, mknod } from '../native';
import { makeWhiteout, markOpaque, opaqueXattr } from './overlayFormat';
import { readTar, type TarHeader } from './tarReader';
import { packLayer, packTree } from './tarPack';
import { unpackLayer } from './tarUnpack';
import { encodeHeader, endOfArchive, paddingFor } from './tarWriter';

let tmp: string;
beforeEach(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-pack-'))));
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function bytesOf(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function headersOf(bytes: Buffer): Promise<TarHeader[]> {
  const out: TarHeader[] = [];
  for await (const { header } of readTar(Readable.from([bytes]))) out.push(header);
  return out;
}

function dir(name: string): string {
  const d = path.join(tmp, name);
  fs.mkdirSync(d);
  return d;
}

function write(root: string, rel: string, content = '', mtime = 1_600_000_000): string {
  const file = path.join(root, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  fs.utimesSync(file, mtime, mtime);
  return file;
}

/** Type, mode, owner, whole-second mtime, size, content or target, device, xattrs and link group of every entry. */
function snapshot(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const inodes = new Map<number, string>();
  const walk = (rel: string) => {
    for (const name of fs.readdirSync(path.join(root, rel)).sort()) {
      const r = rel ? `${rel}/${name}` : name;
      const file = path.join(root, r);
      const st = fs.lstatSync(file);
      const xattrs = llistxattr(file)
        .sort()
        .map((n) => `${n}=${lgetxattr(file, n)!.toString('hex')}`)
        .join(',');
      const what = st.isFile() ? fs.readFileSync(file, 'utf8') : st.isSymbolicLink() ? fs.readlinkSync(file) : '';
      const link = !st.isDirectory() && st.nlink > 1 ? (inodes.get(st.ino) ?? (inodes.set(st.ino, r), r)) : '';
      out[r] = [st.mode.toString(8), st.uid, st.gid, Math.floor(st.mtimeMs / 1000), st.size, what, st.rdev, xattrs, link].join(' ');
      if (st.isDirectory()) walk(r);
    }
  };
  walk('');
  return out;
}

async function tarOf(entries: Array<Partial<tar.Header> & { name: string; body?: string }>): Promise<Buffer> {
  const pack = tar.pack();
  for (const { body, ...h } of entries) {
    const header = { mtime: new Date(1_600_000_000_000), ...h };
    if (!h.type || h.type === 'file') pack.entry(header, body ?? '');
    else pack.entry(header);
  }
  pack.finalize();
  return bytesOf(pack as unknown as Readable);
}

const cap = Buffer.from([1, 0, 0, 2, 0x80, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);

describe('packLayer', () => {
  it('round-trips a layer: unpack, pack, unpack gives the same tree', async () => {
    const capEntry = encodeHeader({
      name: 'usr/bin/ping',
      type: 'file',
      mode: 0o4755,
      uid: 0,
      gid: 0,
      size: 4,
      mtime: 1_600_000_000,
      xattrs: [['security.capability', cap], ['user.origin', Buffer.from('test')]],
    });
    const layer = Buffer.concat([
      (await tarOf([
        { name: 'etc/', type: 'directory', mode: 0o755, uid: 0, gid: 0 },
        { name: 'etc/passwd', body: 'root:x:0:0::/root:/bin/sh\n', mode: 0o644 },
        { name: 'etc/shadow', body: 'secret', mode: 0o640, uid: 0, gid: 42 },
        { name: 'etc/.wh.motd' },
        { name: 'var/cache/.wh..wh..opq' },
        { name: 'var/cache/fresh', body: 'new' },
        { name: 'home/user/', type: 'directory', mode: 0o700, uid: 1000, gid: 1000 },
        { name: 'tmp/', type: 'directory', mode: 0o1777 },
        { name: 'bin/sh', type: 'symlink', linkname: '/usr/bin/busybox' },
        { name: 'usr/bin/busybox', body: 'elf', mode: 0o755 },
        { name: 'usr/bin/bb2', type: 'link', linkname: 'usr/bin/busybox' },
        { name: 'dev/console', type: 'character-device', mode: 0o600, devmajor: 5, devminor: 1 },
        { name: 'dev/loop0', type: 'block-device', mode: 0o660, devmajor: 7, devminor: 0, gid: 6 },
        { name: 'run/initctl', type: 'fifo', mode: 0o600 },
      ])).subarray(0, -1024),
      capEntry,
      Buffer.from('ping'),
      paddingFor(4),
      endOfArchive,
    ]);
    const first = dir('first');
    await unpackLayer(Readable.from([layer]), first);
    const packed = await bytesOf(packLayer(first));
    const second = dir('second');
    const { diffId } = await unpackLayer(Readable.from([packed]), second);

    expect(snapshot(second)).toEqual(snapshot(first));
    expect(diffId).toBe(`sha256:${createHash('sha256').update(packed).digest('hex')}`);
    expect(lgetxattr(path.join(second, 'usr/bin/ping'), 'security.capability')).toEqual(cap);
    expect(lgetxattr(path.join(second, 'var/cache'), opaqueXattr)?.toString()).toBe('y');
    // Deterministic: the same directory gives the same bytes.
    expect((await bytesOf(packLayer(first))).equals(packed)).toBe(true);
  });

  it('writes entries as Docker does: whiteouts first, the opaque marker after its directory', async () => {
    const layer = dir('layer');
    write(layer, 'a/-dash');
    write(layer, 'a/zz');
    makeWhiteout(path.join(layer, 'a/gone'));
    fs.mkdirSync(path.join(layer, 'a/opq'));
    markOpaque(path.join(layer, 'a/opq'));
    write(layer, 'a/opq/inside');
    for (const d of ['a/opq', 'a']) fs.utimesSync(path.join(layer, d), 1_600_000_000, 1_600_000_000);
    const file = path.join(tmp, 'layer.tar');
    fs.writeFileSync(file, await bytesOf(packLayer(layer)));
    const listing = execFileSync('tar', ['-tvf', file], { encoding: 'utf8' });
    expect(listing).toBe(
      [
        'drwxr-xr-x 0/0               0 2020-09-13 12:26 a/',
        '-rw------- 0/0               0 1970-01-01 00:00 a/.wh.gone',
        '-rw-r--r-- 0/0               0 2020-09-13 12:26 a/-dash',
        'drwxr-xr-x 0/0               0 2020-09-13 12:26 a/opq/',
        '-rwxr-xr-x 0/0               0 1970-01-01 00:00 a/opq/.wh..wh..opq',
        '-rw-r--r-- 0/0               0 2020-09-13 12:26 a/opq/inside',
        '-rw-r--r-- 0/0               0 2020-09-13 12:26 a/zz',
        '',
      ]
        .join('\n')
        .replace('1970-01-01 00:00 a/.wh.gone', `${tarDate(fs.lstatSync(path.join(layer, 'a/gone')).mtimeMs)} a/.wh.gone`),
    );
    // No user or group names, as newer Docker writes them.
    const headers = await headersOf(fs.readFileSync(file));
    expect(fs.readFileSync(file).toString('latin1', 265, 297)).toBe('\0'.repeat(32));
    expect(headers.map((h) => h.name)).toContain('a/opq/.wh..wh..opq');
  });

  it('keeps each whiteout a whiteout even when the kernel shares one inode between them', async () => {
    const layer = dir('layer');
    makeWhiteout(path.join(layer, 'one'));
    fs.linkSync(path.join(layer, 'one'), path.join(layer, 'two'));
    write(layer, 'f');
    fs.linkSync(path.join(layer, 'f'), path.join(layer, 'g'));
    const headers = await headersOf(await bytesOf(packLayer(layer)));
    expect(headers.map((h) => [h.name, h.type, h.linkname])).toEqual([
      ['.wh.one', 'file', ''],
      ['.wh.two', 'file', ''],
      ['f', 'file', ''],
      ['g', 'link', 'f'],
    ]);
  });

  it("leaves out overlay's and SELinux's attributes and writes file capabilities as version 2", async () => {
    const layer = dir('layer');
    const file = write(layer, 'tool', 'x');
    lsetxattr(file, 'trusted.overlay.origin', Buffer.from('host'));
    lsetxattr(file, 'security.selinux', Buffer.from('system_u:object_r:container_file_t:s0'));
    const v3 = Buffer.concat([cap, Buffer.from([0xe8, 0x03, 0, 0])]); // rootid 1000
    v3[3] = 3;
    lsetxattr(file, 'security.capability', v3);
    const [tool] = await headersOf(await bytesOf(packLayer(layer)));
    expect([...tool!.xattrs.keys()]).toEqual(['security.capability']);
    expect(tool!.xattrs.get('security.capability')).toEqual(cap);
  });

  it('fails, rather than write a corrupt tar, when a file changes while it is read', async () => {
    const layer = dir('layer');
    write(layer, 'a', 'x'.repeat(200_000));
    write(layer, 'b', 'will shrink'.repeat(100_000));
    const stream = packLayer(layer);
    const read = (async () => {
      for await (const chunk of stream) {
        // Once b's header is out, its content is read in several chunks: cut it short meanwhile.
        if ((chunk as Buffer).subarray(0, 2).toString('latin1') === 'b\0') fs.truncateSync(path.join(layer, 'b'), 2);
      }
    })();
    await expect(read).rejects.toThrow(`cannot pack ${layer}: b changed while it was being read`);
  });
});

describe('packTree', () => {
  it('writes the merged view: topmost entries, nothing deleted or hidden, no whiteouts', async () => {
    const base = dir('base');
    write(base, 'etc/a', 'a');
    write(base, 'etc/b', 'old b');
    write(base, 'var/cache/x', 'x');
    write(base, 'opt/file', 'becomes a dir');
    fs.linkSync(path.join(base, 'etc/a'), path.join(base, 'etc/a2'));
    mknod(path.join(base, 'etc/null'), 0o020666, 1, 3);
    const mid = dir('mid');
    fs.mkdirSync(path.join(mid, 'etc'));
    makeWhiteout(path.join(mid, 'etc/a'));
    fs.mkdirSync(path.join(mid, 'var/cache'), { recursive: true });
    markOpaque(path.join(mid, 'var/cache'));
    write(mid, 'var/cache/y', 'y');
    write(mid, 'opt/file/inside', 'now a dir');
    const upper = dir('upper');
    write(upper, 'etc/b', 'new b');

    const headers = await headersOf(await bytesOf(packTree([upper, mid, base])));
    expect(headers.map((h) => `${h.type} ${h.name}${h.linkname ? ` -> ${h.linkname}` : ''}`)).toEqual([
      'dir etc/',
      'file etc/a2',
      'file etc/b',
      'char etc/null',
      'dir opt/',
      'dir opt/file/',
      'file opt/file/inside',
      'dir var/',
      'dir var/cache/',
      'file var/cache/y',
    ]);
    const out = dir('out');
    execFileSync('tar', ['-xf', '-', '-C', out], { input: await bytesOf(packTree([upper, mid, base])) });
    expect(fs.readFileSync(path.join(out, 'etc/b'), 'utf8')).toBe('new b');
    expect(fs.lstatSync(path.join(out, 'etc/null')).rdev).toBe(0x103);
  });
});

/** How GNU tar prints a time (in UTC here). */
function tarDate(ms: number): string {
  return new Date(Math.floor(ms / 60_000) * 60_000).toISOString().slice(0, 16).replace('T', ' ');
}
