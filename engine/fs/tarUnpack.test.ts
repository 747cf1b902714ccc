import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import tar from 'tar-stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EngineError } from '../errors';
import { lgetxattr, llistxattr } from '../native';
import { opaqueXattr } from './overlayFormat';
import { encodeHeader, endOfArchive, paddingFor } from './tarWriter';
import { unpackLayer } from './tarUnpack';

type Entry = Partial<tar.Header> & { name: string; body?: string | Buffer; pax?: Record<string, string> };

/** A tar written by tar-stream: an independent writer to read back. */
async function tarOf(entries: Entry[]): Promise<Buffer> {
  const pack = tar.pack();
  for (const { body, ...header } of entries) {
    const h = { mtime: new Date(1_600_000_000_000), ...header };
    if (body !== undefined || !header.type || header.type === 'file') pack.entry(h, body ?? '');
    else pack.entry(h);
  }
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of pack) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

let tmp: string;
let dest: string;
let outside: string;

beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-unpack-'));
  dest = path.join(tmp, 'layer');
  outside = path.join(tmp, 'outside');
  fs.mkdirSync(dest);
  fs.mkdirSync(outside);
  fs.writeFileSync(path.join(outside, 'secret'), 'host data');
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Each unpack starts from an empty layer dir, as unpackLayer requires. */
const unpack = (bytes: Buffer, opts?: { allowDevices?: boolean }) => {
  fs.rmSync(dest, { recursive: true, force: true });
  fs.mkdirSync(dest);
  return unpackLayer(Readable.from([bytes]), dest, opts);
};
const sha256 = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

/** Everything under `outside` is exactly what the test put there. */
function expectOutsideUntouched(): void {
  expect(fs.readdirSync(outside)).toEqual(['secret']);
  expect(fs.readFileSync(path.join(outside, 'secret'), 'utf8')).toBe('host data');
}

async function expectRefused(entries: Entry[], message: string): Promise<void> {
  const err = await unpack(await tarOf(entries)).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(EngineError);
  expect((err as EngineError).code).toBe('InvalidArgument');
  expect((err as EngineError).message).toBe(message);
  expectOutsideUntouched();
}

describe('unpackLayer', () => {
  it('keeps types, modes, owners, times, links and devices', async () => {
    const bytes = await tarOf([
      { name: 'bin/', type: 'directory', mode: 0o755, mtime: new Date(1_500_000_000_000) },
      { name: 'bin/tool', mode: 0o4755, uid: 1000, gid: 1001, body: 'binary' },
      { name: 'bin/link', type: 'symlink', linkname: '../etc/nowhere', uid: 5, gid: 6 },
      { name: 'bin/hard', type: 'link', linkname: 'bin/tool' },
      { name: 'dev/null', type: 'character-device', mode: 0o666, devmajor: 1, devminor: 3 },
      { name: 'dev/sda', type: 'block-device', mode: 0o660, devmajor: 8, devminor: 0 },
      { name: 'run/fifo', type: 'fifo', mode: 0o620 },
      { name: 'tmp/', type: 'directory', mode: 0o1777 },
    ]);
    const { diffId, size } = await unpack(bytes);
    expect(diffId).toBe(sha256(bytes));
    expect(size).toBe(6); // one inode of 6 bytes, linked twice

    const tool = fs.lstatSync(path.join(dest, 'bin/tool'));
    expect(tool.mode).toBe(0o104755); // setuid survives the chown
    expect([tool.uid, tool.gid, tool.mtimeMs]).toEqual([1000, 1001, 1_600_000_000_000]);
    expect(fs.readFileSync(path.join(dest, 'bin/tool'), 'utf8')).toBe('binary');
    expect(fs.lstatSync(path.join(dest, 'bin/hard')).ino).toBe(tool.ino);
    expect(tool.nlink).toBe(2);
    expect(fs.readlinkSync(path.join(dest, 'bin/link'))).toBe('../etc/nowhere');
    expect(fs.lstatSync(path.join(dest, 'bin/link'))).toMatchObject({ uid: 5, gid: 6 });
    const nul = fs.lstatSync(path.join(dest, 'dev/null'));
    expect([nul.isCharacterDevice(), nul.rdev, nul.mode & 0o7777]).toEqual([true, 0x103, 0o666]);
    expect(fs.lstatSync(path.join(dest, 'dev/sda')).isBlockDevice()).toBe(true);
    expect(fs.lstatSync(path.join(dest, 'run/fifo'))).toMatchObject({ mode: 0o010620 });
    expect(fs.lstatSync(path.join(dest, 'tmp')).mode).toBe(0o41777);
    // Set after the files inside were created.
    expect(fs.lstatSync(path.join(dest, 'bin')).mtimeMs).toBe(1_500_000_000_000);
  });

  it('turns .wh. entries into whiteouts and .wh..wh..opq into the opaque attribute', async () => {
    await unpack(
      await tarOf([
        { name: 'etc/', type: 'directory' },
        { name: 'etc/.wh.motd', uid: 7, gid: 8 },
        { name: 'var/cache/.wh..wh..opq' },
        { name: 'var/cache/new', body: 'n' },
      ]),
    );
    const wh = fs.lstatSync(path.join(dest, 'etc/motd'));
    expect([wh.isCharacterDevice(), wh.rdev, wh.uid, wh.gid]).toEqual([true, 0, 7, 8]);
    expect(fs.existsSync(path.join(dest, 'etc/.wh.motd'))).toBe(false);
    expect(lgetxattr(path.join(dest, 'var/cache'), opaqueXattr)?.toString()).toBe('y');
    expect(fs.readdirSync(path.join(dest, 'var/cache'))).toEqual(['new']);
  });

  it('sets PAX xattrs byte for byte but never overlay attributes', async () => {
    const cap = Buffer.from([1, 0, 0, 2, 0x80, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]); // v2, cap_setuid+cap_net_raw
    const header = encodeHeader({
      name: 'bin/ping',
      type: 'file',
      mode: 0o755,
      uid: 0,
      gid: 0,
      size: 1,
      mtime: 0,
      xattrs: [
        ['security.capability', cap],
        ['user.note', Buffer.from('kept')],
        ['trusted.overlay.opaque', Buffer.from('y')],
        ['trusted.overlay.redirect', Buffer.from('/elsewhere')],
      ],
    });
    await unpack(Buffer.concat([header, Buffer.from('x'), paddingFor(1), endOfArchive]));
    const file = path.join(dest, 'bin/ping');
    expect(lgetxattr(file, 'security.capability')).toEqual(cap);
    expect(lgetxattr(file, 'user.note')?.toString()).toBe('kept');
    expect(llistxattr(file).filter((n) => n.startsWith('trusted.'))).toEqual([]);
  });

  it('makes implied parents, then applies a directory entry that comes after its content', async () => {
    await unpack(
      await tarOf([
        { name: 'a/b/c', body: 'deep' },
        { name: 'a/', type: 'directory', mode: 0o700, uid: 33, gid: 33, mtime: new Date(1_000_000_000) },
      ]),
    );
    expect(fs.lstatSync(path.join(dest, 'a'))).toMatchObject({ mode: 0o40700, uid: 33, gid: 33, mtimeMs: 1_000_000_000 });
    expect(fs.lstatSync(path.join(dest, 'a/b'))).toMatchObject({ mode: 0o40755, uid: 0 });
    expect(fs.readFileSync(path.join(dest, 'a/b/c'), 'utf8')).toBe('deep');
  });

  it('lets a later entry replace an earlier one, as Docker does', async () => {
    const { size } = await unpack(
      await tarOf([
        { name: 'f', body: 'first version' },
        { name: 'f', body: 'second' },
        { name: 'd/inner', body: 'gone with d' },
        { name: 'd', type: 'symlink', linkname: 'f' },
        { name: 'x', type: 'symlink', linkname: 'f' },
        { name: 'x/', type: 'directory' },
      ]),
    );
    expect(fs.readFileSync(path.join(dest, 'f'), 'utf8')).toBe('second');
    expect(fs.readlinkSync(path.join(dest, 'd'))).toBe('f');
    expect(fs.lstatSync(path.join(dest, 'x')).isDirectory()).toBe(true);
    expect(size).toBe(6);
  });

  it('replaces a whole directory tree, keeping a hard link made to a file inside it elsewhere', async () => {
    const { size } = await unpack(
      await tarOf([
        { name: 'd/a/b/deep', body: 'deep file' },
        { name: 'd/a/other', body: '12345' },
        { name: 'keep', type: 'link', linkname: 'd/a/b/deep' },
        { name: 'd', body: 'now a file' },
        { name: 'w/sub/x', body: 'x' },
        { name: '.wh.w' },
        { name: 'w/', type: 'directory', mtime: new Date(1_400_000_000_000) },
      ]),
    );
    expect(fs.readdirSync(dest).sort()).toEqual(['d', 'keep', 'w']);
    expect(fs.readFileSync(path.join(dest, 'd'), 'utf8')).toBe('now a file');
    expect(fs.readFileSync(path.join(dest, 'keep'), 'utf8')).toBe('deep file');
    expect(fs.lstatSync(path.join(dest, 'keep')).nlink).toBe(1);
    // The whiteout replaced w and everything in it; the directory entry after it replaced the whiteout.
    expect(fs.readdirSync(path.join(dest, 'w'))).toEqual([]);
    expect(fs.lstatSync(path.join(dest, 'w')).mtimeMs).toBe(1_400_000_000_000);
    expect(size).toBe('now a file'.length + 'deep file'.length);
  });

  it('makes absolute and dotted paths relative to the layer', async () => {
    await unpack(await tarOf([{ name: '/etc/hostname', body: 'h' }, { name: './a/../b', body: 'b' }, { name: '/../c', body: 'c' }]));
    expect(fs.readdirSync(dest).sort()).toEqual(['b', 'c', 'etc']);
    expect(fs.readFileSync(path.join(dest, 'etc/hostname'), 'utf8')).toBe('h');
  });

  it('computes the DiffID of the uncompressed tar from a gzip layer', async () => {
    const bytes = await tarOf([{ name: 'hello', body: 'world' }]);
    const { diffId } = await unpack(zlib.gzipSync(bytes));
    expect(diffId).toBe(sha256(bytes));
    expect(fs.readFileSync(path.join(dest, 'hello'), 'utf8')).toBe('world');
  });

  it('covers bytes after the end of the archive in the DiffID, as Docker does', async () => {
    const bytes = Buffer.concat([await tarOf([{ name: 'a', body: 'a' }]), Buffer.alloc(8192)]);
    expect((await unpack(bytes)).diffId).toBe(sha256(bytes));
  });

  it('reads a tar written by GNU tar with long names', async () => {
    const src = path.join(tmp, 'src');
    const long = `${'d'.repeat(120)}/${'f'.repeat(150)}`;
    fs.mkdirSync(path.join(src, 'd'.repeat(120)), { recursive: true });
    fs.writeFileSync(path.join(src, long), 'long');
    for (const format of ['gnu', 'posix']) {
      fs.rmSync(dest, { recursive: true });
      fs.mkdirSync(dest);
      const bytes = execFileSync('tar', [`--format=${format}`, '-C', src, '-cf', '-', '.']);
      await unpack(bytes);
      expect(fs.readFileSync(path.join(dest, long), 'utf8')).toBe('long');
    }
  });

  describe('refuses hostile tars, writing nothing outside the layer', () => {
    it('a path that climbs out', async () => {
      await expectRefused([{ name: '../outside/evil', body: 'x' }], 'invalid tar entry: path escapes the layer: ../outside/evil');
      await expectRefused([{ name: 'a/../../x', body: 'x' }], 'invalid tar entry: path escapes the layer: a/../../x');
    });

    it('a file under a symlink it planted', async () => {
      await expectRefused(
        [
          { name: 'evil', type: 'symlink', linkname: outside },
          { name: 'evil/pwned', body: 'x' },
        ],
        'invalid tar entry: evil/pwned: writing through a symlink: evil',
      );
      await expectRefused(
        [
          { name: 'up', type: 'symlink', linkname: '../outside' },
          { name: 'up/sub/', type: 'directory' },
        ],
        'invalid tar entry: up/sub/: writing through a symlink: up',
      );
    });

    it('whiteouts and opaque markers under a symlink', async () => {
      await expectRefused(
        [
          { name: 'evil', type: 'symlink', linkname: outside },
          { name: 'evil/.wh.secret' },
        ],
        'invalid tar entry: evil/.wh.secret: writing through a symlink: evil',
      );
      await expectRefused(
        [
          { name: 'evil', type: 'symlink', linkname: outside },
          { name: 'evil/.wh..wh..opq' },
        ],
        'invalid tar entry: evil/.wh..wh..opq: writing through a symlink: evil',
      );
      expect(lgetxattr(outside, opaqueXattr)).toBeNull();
    });

    it('a directory that becomes a symlink before more is written in it', async () => {
      await expectRefused(
        [
          { name: 'd/', type: 'directory' },
          { name: 'd', type: 'symlink', linkname: outside },
          { name: 'd/pwned', body: 'x' },
        ],
        'invalid tar entry: d/pwned: writing through a symlink: d',
      );
    });

    it('a symlink loop', async () => {
      await expectRefused(
        [
          { name: 'loop', type: 'symlink', linkname: 'loop' },
          { name: 'loop/x', body: 'x' },
        ],
        'invalid tar entry: loop/x: writing through a symlink: loop',
      );
    });

    it('hard links outside, through a symlink, or to nothing', async () => {
      await expectRefused(
        [{ name: 'h', type: 'link', linkname: '../outside/secret' }],
        'invalid tar entry: hard link h -> ../outside/secret: target escapes the layer',
      );
      await expectRefused(
        [
          { name: 's', type: 'symlink', linkname: outside },
          { name: 'h', type: 'link', linkname: 's/secret' },
        ],
        'invalid tar entry: hard link h -> s/secret: target goes through a symlink: s',
      );
      await expectRefused([{ name: 'h', type: 'link', linkname: 'missing' }], 'invalid tar entry: hard link h -> missing: target does not exist');
      expect(fs.lstatSync(path.join(outside, 'secret')).nlink).toBe(1);
    });

    it('a hard link to a directory', async () => {
      await expectRefused(
        [
          { name: 'd/', type: 'directory' },
          { name: 'h', type: 'link', linkname: 'd' },
        ],
        'invalid tar entry: hard link h -> d: target is a directory',
      );
    });

    it('a truncated stream', async () => {
      const bytes = await tarOf([{ name: 'big', body: Buffer.alloc(4000, 1) }]);
      for (const cut of [100, 512 + 1000, 512 + 4096]) {
        await expect(unpack(bytes.subarray(0, cut))).rejects.toThrow(
          cut === 100 ? 'invalid tar: not a tar archive' : 'invalid tar: unexpected end of data',
        );
      }
      // Cut at an entry boundary, before the end-of-archive marker.
      await expect(unpack(bytes.subarray(0, 512 + 4096 + 0))).rejects.toThrow('invalid tar: unexpected end of data');
    });

    it('garbage, and a damaged header', async () => {
      await expect(unpack(Buffer.from('this is not a tar archive\n'.repeat(100)))).rejects.toThrow('invalid tar: not a tar archive');
      const bytes = await tarOf([{ name: 'a', body: 'a' }, { name: 'b', body: 'b' }]);
      bytes[1024 + 10] ^= 0xff; // inside the second header's name
      await expect(unpack(bytes)).rejects.toThrow('invalid tar: bad checksum in the header at byte 1024');
    });

    it('a damaged gzip layer', async () => {
      const gz = zlib.gzipSync(await tarOf([{ name: 'a', body: Buffer.alloc(100_000, 7) }]));
      await expect(unpack(gz.subarray(0, gz.length / 2))).rejects.toThrow('invalid layer: gzip: unexpected end of file');
    });

    it('names with NUL bytes, not UTF-8, or too long', async () => {
      await expectRefused([{ name: 'x', pax: { path: 'a\0b' }, body: 'x' }], 'invalid tar entry: name contains a NUL byte: a\\x00b');
      const raw = Buffer.concat([rawUstar('caf\xe9'), endOfArchive]);
      await expect(unpack(raw)).rejects.toThrow('invalid tar entry: name is not valid UTF-8: caf\u00e9');
      await expectRefused([{ name: 'n'.repeat(300), body: 'x' }], `invalid tar entry: a name in the path is longer than 255 bytes: ${'n'.repeat(200)}…`);
      const deep = Array.from({ length: 40 }, () => 'd'.repeat(120)).join('/');
      await expectRefused([{ name: deep, body: 'x' }], `invalid tar entry: path too long: ${deep.slice(0, 200)}…`);
    });

    it('devices when they are not allowed, and odd whiteouts', async () => {
      const dev = await tarOf([{ name: 'dev/sda', type: 'block-device', devmajor: 8, devminor: 0 }]);
      await expect(unpack(dev, { allowDevices: false })).rejects.toThrow('invalid tar entry: dev/sda: device nodes are not allowed here');
      await expectRefused([{ name: 'etc/.wh.' }], 'invalid tar entry: etc/.wh.: whiteout without a name');
      await expectRefused([{ name: '.wh.x/y', body: 'y' }], 'invalid tar entry: .wh.x/y: a whiteout name cannot be a directory');
    });
  });
});

/** A ustar header with raw (latin1) name bytes, checksum included. */
function rawUstar(name: string): Buffer {
  const block = encodeHeader({ name: 'placeholder', type: 'file', mode: 0o644, uid: 0, gid: 0, size: 0, mtime: 0 });
  block.fill(0, 0, 100);
  block.write(name, 0, 'latin1');
  block.fill(0x20, 148, 156);
  let sum = 0;
  for (const b of block) sum += b;
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'latin1');
  return block;
}
