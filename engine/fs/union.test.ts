import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeWhiteout, markOpaque } from './overlayFormat';
import { unionList, unionLookup, unionReadFile } from './union';

let tmp: string;
/** Top first, as the engine passes them: [upper, mid, base]. */
let dirs: string[];

function write(layer: number, rel: string, content = ''): void {
  const file = path.join(dirs[layer]!, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
}

function mkdir(layer: number, rel: string): void {
  fs.mkdirSync(path.join(dirs[layer]!, rel), { recursive: true });
}

beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-union-'));
  dirs = ['upper', 'mid', 'base'].map((name) => {
    fs.mkdirSync(path.join(tmp, name));
    return path.join(tmp, name);
  });
  // base: an image's first layer
  write(2, 'etc/passwd', 'root:x:0:0::/root:/bin/sh\n');
  write(2, 'etc/motd', 'welcome');
  write(2, 'etc/hosts', 'base hosts');
  write(2, 'var/cache/apt/pkg', 'cached');
  write(2, 'var/cache/old', 'old');
  write(2, 'opt/tool', 'a file');
  mkdir(2, 'private/etc');
  write(2, 'private/etc/group', 'root:x:0:\n');
  fs.symlinkSync('/private/etc/group', path.join(dirs[2]!, 'etc/group'));
  // mid: deletes motd, empties /var/cache, replaces hosts
  mkdir(1, 'etc');
  makeWhiteout(path.join(dirs[1]!, 'etc/motd'));
  write(1, 'etc/hosts', 'mid hosts');
  mkdir(1, 'var/cache');
  markOpaque(path.join(dirs[1]!, 'var/cache'));
  write(1, 'var/cache/new', 'new');
  // upper: a container's writes
  write(0, 'etc/hosts', 'upper hosts');
  write(0, 'etc/new.conf', 'x');
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('unionLookup', () => {
  it('finds the topmost provider', () => {
    expect(unionLookup(dirs, '/etc/hosts')).toMatchObject({ layer: 0, hostPath: path.join(dirs[0]!, 'etc/hosts') });
    expect(unionLookup(dirs, 'etc/passwd')).toMatchObject({ layer: 2 });
    expect(unionLookup(dirs, '/etc')?.stats.isDirectory()).toBe(true);
    expect(unionLookup(dirs, '/')?.layer).toBe(0);
  });

  it('respects whiteouts and opaque directories', () => {
    expect(unionLookup(dirs, '/etc/motd')).toBeNull();
    expect(unionLookup(dirs, '/var/cache/old')).toBeNull();
    expect(unionLookup(dirs, '/var/cache/apt/pkg')).toBeNull();
    expect(unionLookup(dirs, '/var/cache/new')).toMatchObject({ layer: 1 });
    expect(unionLookup(dirs, '/opt/tool/x')).toBeNull();
  });

  it('resolves symlinks in parents inside the image, never on the host', () => {
    const base = dirs[2]!;
    fs.symlinkSync('/private/etc', path.join(base, 'cfg'));
    fs.symlinkSync('../../../../../../private', path.join(base, 'opt/up'));
    expect(unionLookup(dirs, '/cfg/group')).toMatchObject({ layer: 2, hostPath: path.join(base, 'private/etc/group') });
    // '..' stops at the image root, as it does in a container.
    expect(unionLookup(dirs, '/opt/up/etc/group')?.hostPath).toBe(path.join(base, 'private/etc/group'));
    fs.symlinkSync('/etc', path.join(base, 'hostetc'));
    expect(unionLookup(dirs, '/hostetc/shadow')).toBeNull(); // the host has /etc/shadow; the image does not
    // The final symlink itself is what a lookup returns.
    expect(unionLookup(dirs, '/etc/group')?.stats.isSymbolicLink()).toBe(true);
  });

  it('refuses a symlink loop', () => {
    fs.symlinkSync('loop', path.join(dirs[2]!, 'loop'));
    expect(() => unionLookup(dirs, '/loop/x')).toThrow('/loop/x: too many levels of symbolic links in the image');
  });
});

describe('unionReadFile', () => {
  it('reads through the stack and through symlinks inside the image', () => {
    expect(unionReadFile(dirs, '/etc/passwd')?.toString()).toBe('root:x:0:0::/root:/bin/sh\n');
    expect(unionReadFile(dirs, '/etc/group')?.toString()).toBe('root:x:0:\n');
    expect(unionReadFile(dirs, '/etc/hosts')?.toString()).toBe('upper hosts');
    expect(unionReadFile(dirs, '/etc/motd')).toBeNull();
    expect(unionReadFile(dirs, '/nope')).toBeNull();
  });

  it('reads from layer dirs named through short links, as the store names them', () => {
    fs.mkdirSync(path.join(tmp, 'l'));
    fs.symlinkSync('../base', path.join(tmp, 'l/SHORT'));
    expect(unionReadFile([dirs[0]!, path.join(tmp, 'l/SHORT')], '/etc/passwd')?.toString()).toBe('root:x:0:0::/root:/bin/sh\n');
  });

  it('never reads a host file through an absolute symlink', () => {
    fs.symlinkSync('/etc/hostname', path.join(dirs[0]!, 'etc/passwd2'));
    expect(unionReadFile(dirs, '/etc/passwd2')).toBeNull();
  });

  it('refuses what is not a regular file', () => {
    expect(() => unionReadFile(dirs, '/etc')).toThrow('/etc in the image is not a regular file');
  });
});

describe('unionList', () => {
  it('lists the merged directory with provenance and deletions', () => {
    const { entries, deleted } = unionList(dirs, '/etc');
    expect(entries.map((e) => [e.name, e.type, e.layer, e.hides])).toEqual([
      ['group', 'symlink', 2, []],
      ['hosts', 'file', 0, [1, 2]],
      ['new.conf', 'file', 0, []],
      ['passwd', 'file', 2, []],
    ]);
    expect(deleted).toEqual([{ name: 'motd', type: 'file', size: 7, mode: 0o100644, layers: [2], deletedBy: 1 }]);
  });

  it('shows what an opaque directory hides as deleted by its layer', () => {
    const { entries, deleted } = unionList(dirs, '/var/cache');
    expect(entries.map((e) => [e.name, e.layer])).toEqual([['new', 1]]);
    expect(deleted.map((d) => [d.name, d.type, d.layers, d.deletedBy])).toEqual([
      ['apt', 'dir', [2], 1],
      ['old', 'file', [2], 1],
    ]);
    const root = unionList(dirs, '/').entries.find((e) => e.name === 'var')!;
    expect(root).toMatchObject({ type: 'dir', layer: 1, merges: [2], hides: [] });
    const cache = unionList(dirs, '/var').entries.find((e) => e.name === 'cache')!;
    expect(cache).toMatchObject({ layer: 1, merges: [], hides: [2] });
  });

  it('follows a symlinked directory and refuses a file', () => {
    expect(unionList(dirs, '/private/etc').entries.map((e) => e.name)).toEqual(['group']);
    expect(() => unionList(dirs, '/etc/passwd')).toThrow('/etc/passwd: not a directory in the image');
    expect(() => unionList(dirs, '/etc/motd')).toThrow('/etc/motd: no such directory in the image');
  });
});
