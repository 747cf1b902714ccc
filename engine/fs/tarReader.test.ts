import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import tar from 'tar-stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readTar, type TarHeader } from './tarReader';
import { encodeHeader, endOfArchive, paddingFor } from './tarWriter';

async function entries(bytes: Buffer | Buffer[]): Promise<Array<TarHeader & { data: string }>> {
  const out: Array<TarHeader & { data: string }> = [];
  for await (const { header, body } of readTar(Readable.from(Array.isArray(bytes) ? bytes : [bytes]))) {
    const chunks: Buffer[] = [];
    for await (const chunk of body) chunks.push(chunk);
    out.push({ ...header, data: Buffer.concat(chunks).toString() });
  }
  return out;
}

async function tarStream(build: (pack: tar.Pack) => void): Promise<Buffer> {
  const pack = tar.pack();
  build(pack);
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of pack) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

let tmp: string;
beforeEach(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-tarread-'))));
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('readTar', () => {
  it('reads what GNU tar writes, in every format', async () => {
    const src = path.join(tmp, 'src');
    fs.mkdirSync(path.join(src, 'dir'), { recursive: true });
    fs.writeFileSync(path.join(src, 'dir/file'), 'content');
    fs.chownSync(path.join(src, 'dir/file'), 3000000, 42); // uid too big for ustar's octal field
    fs.chmodSync(path.join(src, 'dir/file'), 0o2750);
    fs.symlinkSync('dir/file', path.join(src, 'sym'));
    fs.linkSync(path.join(src, 'dir/file'), path.join(src, 'hard'));
    const long = 'l'.repeat(130);
    fs.writeFileSync(path.join(src, long), '');
    fs.utimesSync(path.join(src, 'dir/file'), 1_234_567_890, 1_234_567_890);

    for (const format of ['gnu', 'posix', 'ustar']) {
      // ustar can hold neither that name nor that uid.
      if (format === 'ustar') fs.rmSync(path.join(src, long));
      const owner = format === 'ustar' ? ['--owner=7'] : [];
      const bytes = execFileSync('tar', [`--format=${format}`, ...owner, '--numeric-owner', '-C', src, '-cf', '-', '.']);
      const byName = new Map((await entries(bytes)).map((e) => [e.name.replace(/^\.\//, ''), e]));
      expect(byName.get('dir/')?.type).toBe('dir');
      expect(byName.get('dir/file')).toMatchObject({ type: 'file', mode: 0o2750, gid: 42, mtime: 1_234_567_890, data: 'content' });
      if (format !== 'ustar') expect(byName.get('dir/file')?.uid).toBe(3000000);
      expect(byName.get('hard')).toMatchObject({ type: 'link', linkname: './dir/file', size: 0 });
      expect(byName.get('sym')).toMatchObject({ type: 'symlink', linkname: 'dir/file' });
      if (format !== 'ustar') expect(byName.get(long)?.type).toBe('file');
    }
  });

  it('reads tar-stream output, feeding it a byte at a time', async () => {
    const bytes = await tarStream((pack) => {
      pack.entry({ name: 'a.txt', mtime: new Date(0) }, 'hello');
      pack.entry({ name: 'dev/null', type: 'character-device', devmajor: 1, devminor: 3, mtime: new Date(0) });
      pack.entry({ name: `${'p'.repeat(200)}/x`, mtime: new Date(0) }, 'deep');
    });
    const oneByOne = [...bytes].map((b) => Buffer.from([b]));
    const read = await entries(oneByOne);
    expect(read.map((e) => [e.name, e.type, e.data])).toEqual([
      ['a.txt', 'file', 'hello'],
      ['dev/null', 'char', ''],
      [`${'p'.repeat(200)}/x`, 'file', 'deep'],
    ]);
    expect(read[1]).toMatchObject({ devmajor: 1, devminor: 3 });
  });

  it('keeps binary PAX xattr values and a fractional mtime', async () => {
    const value = Buffer.from([0x01, 0x00, 0x00, 0x02, 0xff, 0x80, 0x00, 0x0a]);
    const records = Buffer.concat([paxRecord('mtime', Buffer.from('1.5')), paxRecord('SCHILY.xattr.security.capability', value)]);
    const bytes = Buffer.concat([rawEntry('x', records), fileEntry('ping', 'x'), endOfArchive]);
    const [ping] = await entries(bytes);
    expect(ping!.xattrs.get('security.capability')).toEqual(value);
    expect(ping!.mtime).toBe(1.5);
  });

  it('skips what a consumer leaves unread and reads on to the end', async () => {
    const bytes = Buffer.concat([
      await tarStream((pack) => {
        pack.entry({ name: 'big', mtime: new Date(0) }, Buffer.alloc(100_000, 1));
        pack.entry({ name: 'after', mtime: new Date(0) }, 'ok');
      }),
      Buffer.from('trailing bytes after the archive'),
    ]);
    let pulled = 0;
    async function* counted() {
      for (let i = 0; i < bytes.length; i += 4096) {
        pulled += Math.min(4096, bytes.length - i);
        yield bytes.subarray(i, i + 4096);
      }
    }
    const names: string[] = [];
    for await (const { header } of readTar(counted())) names.push(header.name);
    expect(names).toEqual(['big', 'after']);
    expect(pulled).toBe(bytes.length);
  });

  it('refuses what is not a whole tar', async () => {
    const bytes = await tarStream((pack) => pack.entry({ name: 'a', mtime: new Date(0) }, Buffer.alloc(1000)));
    await expect(entries(bytes.subarray(0, 700))).rejects.toThrow('invalid tar: unexpected end of data');
    await expect(entries(bytes.subarray(0, 1536))).rejects.toThrow('invalid tar: unexpected end of data');
    await expect(entries(Buffer.alloc(0))).rejects.toThrow('invalid tar: not a tar archive');
    await expect(entries(Buffer.alloc(2048, 'x'))).rejects.toThrow('invalid tar: not a tar archive');
    const sparse = Buffer.from(bytes);
    sparse[156] = 'S'.charCodeAt(0);
    fixChecksum(sparse);
    await expect(entries(sparse)).rejects.toThrow("invalid tar entry: a: unsupported entry type 'S'");
  });

  it('refuses malformed PAX records', async () => {
    const bytes = Buffer.concat([rawEntry('x', Buffer.from('99 path=x\n')), fileEntry('a', 'a'), endOfArchive]);
    await expect(entries(bytes)).rejects.toThrow('invalid tar: malformed PAX record in the header at byte 0');
  });
});

/** An entry of any type flag (PAX 'x', GNU 'L'...) carrying `data`. */
function rawEntry(typeflag: string, data: Buffer): Buffer {
  const block = encodeHeader({ name: 'meta', type: 'file', mode: 0, uid: 0, gid: 0, size: data.length, mtime: 0 });
  block.write(typeflag, 156, 'latin1');
  fixChecksum(block);
  return Buffer.concat([block, data, paddingFor(data.length)]);
}

function fileEntry(name: string, content: string): Buffer {
  const data = Buffer.from(content);
  return Buffer.concat([encodeHeader({ name, type: 'file', mode: 0o644, uid: 0, gid: 0, size: data.length, mtime: 0 }), data, paddingFor(data.length)]);
}

function paxRecord(key: string, value: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(` ${key}=`), value, Buffer.from('\n')]);
  let length = body.length + String(body.length).length;
  if (String(length).length !== String(body.length).length) length++;
  return Buffer.concat([Buffer.from(String(length)), body]);
}

function fixChecksum(bytes: Buffer): void {
  bytes.fill(0x20, 148, 156);
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += bytes[i]!;
  bytes.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'latin1');
}

describe('readTar against a reference (property)', () => {
  /** Entries as both sides describe them. */
  const nameUnit = fc.constantFrom('a', 'b', 'é', '日', '-', '.', ' ');
  const component = fc.string({ unit: nameUnit, minLength: 1, maxLength: 40 }).filter((c) => c !== '.' && c !== '..');
  const entryName = fc.array(component, { minLength: 1, maxLength: 6 }).map((parts) => parts.join('/'));
  const entry = fc.record({
    name: entryName,
    type: fc.constantFrom('file', 'dir', 'symlink', 'link', 'fifo', 'char'),
    size: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 2000 })),
    mode: fc.integer({ min: 1, max: 0o7777 }), // tar-stream writes 0 as its default
    uid: fc.integer({ min: 0, max: 0o777777 }), // tar-stream's field holds six digits
    gid: fc.integer({ min: 0, max: 70000 }),
    mtime: fc.integer({ min: 0, max: 2 ** 31 - 1 }), // tar-stream writes later times wrongly
    target: entryName,
    dev: fc.integer({ min: 0, max: 255 }),
  });
  const cuts = fc.array(fc.integer({ min: 1, max: 1500 }), { maxLength: 30 });

  type Spec = { name: string; type: string; size: number; mode: number; uid: number; gid: number; mtime: number; target: string; dev: number };
  const body = (e: Spec) => Buffer.alloc(e.type === 'file' ? e.size : 0, e.name.length % 251);

  function inPieces(bytes: Buffer, sizes: number[]): Buffer[] {
    const out: Buffer[] = [];
    let at = 0;
    for (const n of sizes) {
      if (at >= bytes.length) break;
      out.push(bytes.subarray(at, at + n));
      at += n;
    }
    if (at < bytes.length) out.push(bytes.subarray(at));
    return out;
  }

  async function ours(bytes: Buffer[]) {
    const out = [];
    for await (const { header, body } of readTar(Readable.from(bytes))) {
      const chunks: Buffer[] = [];
      for await (const c of body) chunks.push(c);
      out.push({ name: header.name, type: header.type, mode: header.mode, uid: header.uid, gid: header.gid, mtime: header.mtime, linkname: header.linkname, devmajor: header.devmajor, data: Buffer.concat(chunks).toString('hex') });
    }
    return out;
  }

  const tarStreamTypes: Record<string, tar.Headers['type']> = { file: 'file', dir: 'directory', symlink: 'symlink', link: 'link', fifo: 'fifo', char: 'character-device' };
  const expected = (e: Spec) => ({
    name: e.name,
    type: e.type,
    mode: e.mode,
    uid: e.uid,
    gid: e.gid,
    mtime: e.mtime,
    linkname: e.type === 'symlink' || e.type === 'link' ? e.target : '',
    devmajor: e.type === 'char' ? e.dev : 0,
    data: body(e).toString('hex'),
  });

  it("reads what tar-stream writes, in pieces of any size, as tar-stream's own reader does", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(entry, { minLength: 1, maxLength: 12 }), cuts, async (specs, sizes) => {
        const bytes = await tarStream((pack) => {
          for (const e of specs) {
            pack.entry(
              { name: e.name, type: tarStreamTypes[e.type], size: body(e).length, mode: e.mode, uid: e.uid, gid: e.gid, mtime: new Date(e.mtime * 1000), linkname: expected(e).linkname, devmajor: expected(e).devmajor, devminor: 0 },
              e.type === 'file' ? body(e) : undefined,
            );
          }
        });
        expect(await ours(inPieces(bytes, sizes))).toEqual(specs.map(expected));
        expect(await ours([bytes])).toEqual(await reference(bytes));
      }),
      { numRuns: 150, seed: 18 },
    );
  });

  it('tar-stream reads what the tar writer writes (PAX for what ustar cannot hold), and so does readTar', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(entry, { minLength: 1, maxLength: 12 }), cuts, async (specs, sizes) => {
        const parts: Buffer[] = [];
        for (const e of specs) {
          const data = body(e);
          parts.push(encodeHeader({ name: e.name, type: e.type as TarHeader['type'], mode: e.mode, uid: e.uid, gid: e.gid, size: data.length, mtime: e.mtime, linkname: expected(e).linkname, devmajor: expected(e).devmajor, devminor: 0 }), data, paddingFor(data.length));
        }
        const bytes = Buffer.concat([...parts, endOfArchive]);
        const theirs = await reference(bytes);
        expect(theirs).toEqual(specs.map(expected));
        expect(await ours(inPieces(bytes, sizes))).toEqual(theirs);
      }),
      { numRuns: 150, seed: 18 },
    );
  });

  /** tar-stream's extract, in the same shape. */
  async function reference(bytes: Buffer) {
    const extract = tar.extract();
    const out: Array<Record<string, unknown>> = [];
    const done = (async () => {
      for await (const e of extract) {
        const chunks: Buffer[] = [];
        for await (const c of e) chunks.push(c as Buffer);
        const h = e.header;
        const type = Object.entries(tarStreamTypes).find(([, t]) => t === h.type)![0];
        out.push({ name: h.name, type, mode: h.mode, uid: h.uid, gid: h.gid, mtime: h.mtime!.getTime() / 1000, linkname: h.linkname ?? '', devmajor: h.devmajor ?? 0, data: Buffer.concat(chunks).toString('hex') });
      }
    })();
    extract.end(bytes);
    await done;
    return out;
  }
});

describe('readTar after the end of the archive', () => {
  it('takes a writer\'s padding but refuses megabytes after the end', async () => {
    const tarBytes = fileEntry('a', 'x');
    await expect(entries(Buffer.concat([tarBytes, Buffer.alloc(1 << 20)]))).resolves.toHaveLength(1);
    await expect(entries(Buffer.concat([tarBytes, Buffer.alloc((1 << 20) + 1024)]))).rejects.toThrow('invalid tar: more than 1 MiB of data after the end of the archive');
  });
  it("checks each header's sum as any writer made it (unsigned or signed bytes), wherever the block sits in memory", async () => {
    const name = 'é'.repeat(50); // 100 bytes of 128 and more
    const unsigned = Buffer.concat([encodeHeader({ name, type: 'file', mode: 0o644, uid: 0, gid: 0, size: 0, mtime: 0 }), endOfArchive]);
    const signed = Buffer.from(unsigned);
    let sum = 8 * 0x20;
    for (let i = 0; i < 512; i++) if (i < 148 || i >= 156) sum += (signed[i]! << 24) >> 24;
    signed.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
    const damaged = Buffer.from(unsigned);
    damaged[300] ^= 1;
    for (let offset = 0; offset < 4; offset++) {
      const at = (bytes: Buffer) => {
        const placed = Buffer.alloc(offset + bytes.length);
        bytes.copy(placed, offset);
        return placed.subarray(offset);
      };
      expect((await entries(at(unsigned))).map((e) => e.name)).toEqual([name]);
      expect((await entries(at(signed))).map((e) => e.name)).toEqual([name]);
      await expect(entries(at(damaged))).rejects.toThrow('invalid tar: not a tar archive');
    }
  });
});
