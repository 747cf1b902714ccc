import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lgetxattr } from '../native';
import { readTar } from './tarReader';
import { encodeHeader, endOfArchive, paddingFor, type TarWriteHeader } from './tarWriter';

const base = { mode: 0o100644, uid: 0, gid: 0, size: 0, mtime: 1_700_000_000 };
const cap = Buffer.from([1, 0, 0, 2, 0x80, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);

const headers: Array<TarWriteHeader & { data?: string }> = [
  { ...base, name: 'etc/', type: 'dir', mode: 0o40755 },
  { ...base, name: 'etc/motd', type: 'file', size: 5, data: 'hello' },
  { ...base, name: `${'a'.repeat(120)}/${'b'.repeat(90)}`, type: 'file' }, // fits ustar's prefix split
  { ...base, name: `${'c'.repeat(200)}/${'d'.repeat(200)}`, type: 'file' }, // cannot be split: PAX
  { ...base, name: 'caf\u00e9/\u65e5\u672c', type: 'file' }, // not ASCII: PAX
  { ...base, name: 'link', type: 'symlink', mode: 0o120777, linkname: `/${'t'.repeat(150)}` },
  { ...base, name: 'hard', type: 'link', linkname: 'etc/motd' },
  { ...base, name: 'big-ids', type: 'file', uid: 3_000_000, gid: 70_000 },
  { ...base, name: 'dev/tty', type: 'char', mode: 0o20666, devmajor: 5, devminor: 0 },
  { ...base, name: 'ping', type: 'file', mode: 0o104755, xattrs: [['security.capability', cap], ['user.a', Buffer.from('b')]] },
];

function archive(): Buffer {
  return Buffer.concat([
    ...headers.flatMap(({ data, ...h }) => [encodeHeader(h), Buffer.from(data ?? ''), paddingFor(h.size)]),
    endOfArchive,
  ]);
}

let tmp: string;
beforeEach(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-tarwrite-'))));
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('encodeHeader', () => {
  it('round-trips through the reader', async () => {
    const read = [];
    for await (const { header } of readTar(Readable.from([archive()]))) read.push(header);
    expect(read.map((h) => h.name)).toEqual(headers.map((h) => h.name));
    expect(read.find((h) => h.name === 'link')?.linkname).toBe(`/${'t'.repeat(150)}`);
    expect(read.find((h) => h.name === 'big-ids')).toMatchObject({ uid: 3_000_000, gid: 70_000 });
    expect(read.find((h) => h.name === 'dev/tty')).toMatchObject({ type: 'char', devmajor: 5, devminor: 0, mode: 0o666 });
    const ping = read.find((h) => h.name === 'ping')!;
    expect(ping.mode).toBe(0o4755);
    expect(ping.xattrs.get('security.capability')).toEqual(cap);
  });

  it('writes what GNU tar lists and extracts, xattrs included', () => {
    const file = path.join(tmp, 'out.tar');
    fs.writeFileSync(file, archive());
    const listing = execFileSync('tar', ['-tvf', file, '--numeric-owner'], { encoding: 'utf8' }).trim().split('\n');
    expect(listing[0]).toMatch(/^drwxr-xr-x 0\/0 +0 2023-11-1\d \d\d:\d\d etc\/$/);
    expect(listing[1]).toMatch(/^-rw-r--r-- 0\/0 +5 .* etc\/motd$/);
    expect(listing).toContainEqual(expect.stringMatching(/^-rw-r--r-- 3000000\/70000 .* big-ids$/));
    expect(listing).toContainEqual(expect.stringMatching(/^crw-rw-rw- 0\/0 +5,0 .* dev\/tty$/));
    expect(listing).toContainEqual(expect.stringMatching(/^hrw-r--r-- .* hard link to etc\/motd$/));
    expect(listing).toContainEqual(expect.stringMatching(/caf\u00e9\/\u65e5\u672c$/));

    const out = path.join(tmp, 'x');
    fs.mkdirSync(out);
    execFileSync('tar', ['--xattrs', '--xattrs-include=*', '-xpf', file, '-C', out]);
    expect(lgetxattr(path.join(out, 'ping'), 'security.capability')).toEqual(cap);
    expect(fs.readFileSync(path.join(out, 'etc/motd'), 'utf8')).toBe('hello');
    expect(fs.existsSync(path.join(out, 'c'.repeat(200), 'd'.repeat(200)))).toBe(true);
  });

  it('writes the mode, number and checksum fields as Go does', () => {
    const block = encodeHeader({ ...base, name: 'etc/', type: 'dir', mode: 0o40755 });
    expect(block.length).toBe(512);
    expect(block.toString('latin1', 100, 108)).toBe('0040755\0');
    expect(block.toString('latin1', 124, 136)).toBe('00000000000\0');
    expect(block.toString('latin1', 257, 265)).toBe('ustar\x0000');
    expect(block.toString('latin1', 154, 156)).toBe('\0 ');
  });
});
