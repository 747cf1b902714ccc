// `cp`'s extraction reads every tar as hostile: entries that climb out by
// name, through a symlink made earlier in the same archive, or by a hard
// link to a file outside, never write outside the destination — on the
// host side (no symlink followed) nor inside a container (symlinks resolved
// in its root, never the host's).

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeHeader, endOfArchive, paddingFor, type TarWriteHeader } from '../fs/tarWriter';
import { extractTar, type ExtractOptions } from './tarIn';

let base: string;
let outside: string;

beforeEach(() => {
  base = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-tarin-'));
  outside = path.join(base, 'outside');
  fs.mkdirSync(outside);
  fs.mkdirSync(path.join(base, 'dest'));
});
afterEach(() => fs.rmSync(base, { recursive: true, force: true }));

type Entry = Partial<TarWriteHeader> & { name: string; body?: string };

async function* archive(entries: Entry[]): AsyncGenerator<Buffer> {
  for (const { body = '', ...e } of entries) {
    const size = e.type === undefined || e.type === 'file' ? Buffer.byteLength(body) : 0;
    yield encodeHeader({ mode: 0o644, uid: 0, gid: 0, mtime: 1_700_000_000, type: 'file', size, ...e });
    if (size > 0) yield Buffer.concat([Buffer.from(body), paddingFor(size)]);
  }
  yield endOfArchive;
}

const host: Omit<ExtractOptions, 'root'> = { dest: '/', follow: false, owner: 'none', noOverwriteDirNonDir: true, refuseEscapingSymlinks: true };
const container: Omit<ExtractOptions, 'root'> = { dest: '/dest', follow: true, owner: 'archive', noOverwriteDirNonDir: true, refuseEscapingSymlinks: false };

describe('extractTar', () => {
  it('refuses an entry whose name climbs out', async () => {
    await expect(extractTar(archive([{ name: `../outside/x`, body: 'x' }]), { root: path.join(base, 'dest'), ...host })).rejects.toThrow(/outside of the destination/);
    expect(fs.readdirSync(outside)).toEqual([]);
  });

  it('on the host never writes through a symlink the archive made', async () => {
    const entries: Entry[] = [
      { name: 'ln', type: 'symlink', linkname: outside },
      { name: 'ln/pwned', body: 'x' },
    ];
    await expect(extractTar(archive(entries), { root: path.join(base, 'dest'), ...host })).rejects.toThrow();
    expect(fs.readdirSync(outside)).toEqual([]);
    expect(fs.readlinkSync(path.join(base, 'dest/ln'))).toBe(outside);
  });

  it('on the host never overwrites the target of a symlink the archive made', async () => {
    fs.writeFileSync(path.join(outside, 'victim'), 'safe');
    const entries: Entry[] = [
      { name: 'victim', type: 'symlink', linkname: path.join(outside, 'victim') },
      { name: 'victim', body: 'pwned' },
    ];
    await extractTar(archive(entries), { root: path.join(base, 'dest'), ...host });
    expect(fs.readFileSync(path.join(outside, 'victim'), 'utf8')).toBe('safe');
    expect(fs.readFileSync(path.join(base, 'dest/victim'), 'utf8')).toBe('pwned');
  });

  it('in a container resolves an absolute symlink from the container\'s root', async () => {
    // base/ is the container's root: /dest/ln -> / leads to base/, never to the host's /.
    const name = `strata-tarin-${process.pid}`;
    const entries: Entry[] = [
      { name: 'ln', type: 'symlink', linkname: '/' },
      { name: `ln/etc/${name}`, body: 'x' },
      { name: 'up', type: 'symlink', linkname: '../../../../../../../etc' },
      { name: `up/${name}-2`, body: 'y' },
    ];
    await extractTar(archive(entries), { root: base, ...container });
    expect(fs.readFileSync(path.join(base, 'etc', name), 'utf8')).toBe('x');
    expect(fs.readFileSync(path.join(base, 'etc', `${name}-2`), 'utf8')).toBe('y');
    expect(fs.existsSync(`/etc/${name}`)).toBe(false);
    expect(fs.existsSync(`/etc/${name}-2`)).toBe(false);
  });

  it('makes hard links only to files the archive put in the destination', async () => {
    fs.writeFileSync(path.join(outside, 'secret'), 'secret');
    await expect(extractTar(archive([{ name: 'l', type: 'link', linkname: '../outside/secret' }]), { root: path.join(base, 'dest'), ...host })).rejects.toThrow(
      /outside of the destination/,
    );
    await expect(extractTar(archive([{ name: 'l', type: 'link', linkname: path.join(outside, 'secret') }]), { root: path.join(base, 'dest'), ...host })).rejects.toThrow(
      /not a file here/,
    );
    expect(fs.statSync(path.join(outside, 'secret')).nlink).toBe(1);
  });

  it('keeps modes, times and, when asked, the archive\'s owners', async () => {
    const entries: Entry[] = [
      { name: 'dir/', type: 'dir', mode: 0o750, uid: 1234, gid: 2345, mtime: 1_600_000_000 },
      { name: 'dir/f', mode: 0o4711, uid: 1234, gid: 2345, body: 'f', mtime: 1_600_000_001 },
    ];
    await extractTar(archive(entries), { root: base, ...container });
    const dir = fs.statSync(path.join(base, 'dest/dir'));
    const file = fs.statSync(path.join(base, 'dest/dir/f'));
    expect([dir.mode & 0o7777, dir.uid, dir.gid, dir.mtimeMs / 1000]).toEqual([0o750, 1234, 2345, 1_600_000_000]);
    expect([file.mode & 0o7777, file.uid, file.gid, file.mtimeMs / 1000]).toEqual([0o4711, 1234, 2345, 1_600_000_001]);
  });
});
