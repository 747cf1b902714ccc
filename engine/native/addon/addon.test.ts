import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lgetxattr, llistxattr, lremovexattr, lsetxattr, mknod, shimPath } from '..';
import { buildSwapdir } from '../../testing/swapdir';

let tmp: string;
beforeEach(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-addon-'))));
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** What a call threw, to compare with what Node's fs throws. */
function thrown(fn: () => unknown): NodeJS.ErrnoException {
  try {
    fn();
  } catch (err) {
    return err as NodeJS.ErrnoException;
  }
  throw new Error('did not throw');
}

describe('strata_native', () => {
  it('makes character and block devices and fifos', () => {
    mknod(path.join(tmp, 'null'), 0o020666, 1, 3);
    mknod(path.join(tmp, 'sda'), 0o060660, 8, 0);
    mknod(path.join(tmp, 'fifo'), 0o010600, 0, 0);
    expect(fs.lstatSync(path.join(tmp, 'null')).rdev).toBe(fs.lstatSync('/dev/null').rdev);
    expect(fs.lstatSync(path.join(tmp, 'sda')).isBlockDevice()).toBe(true);
    expect(fs.lstatSync(path.join(tmp, 'fifo')).isFIFO()).toBe(true);
  });

  it('sets, reads, lists and removes extended attributes, binary values included', () => {
    const file = path.join(tmp, 'f');
    fs.writeFileSync(file, '');
    const value = Buffer.from([0, 0x80, 0xff, 0x0a]);
    lsetxattr(file, 'user.bin', value);
    lsetxattr(file, 'trusted.t', Buffer.alloc(0));
    expect(lgetxattr(file, 'user.bin')).toEqual(value);
    expect(lgetxattr(file, 'trusted.t')).toEqual(Buffer.alloc(0));
    expect(lgetxattr(file, 'user.none')).toBeNull();
    expect(llistxattr(file).sort()).toEqual(['trusted.t', 'user.bin']);
    lremovexattr(file, 'user.bin');
    expect(llistxattr(file)).toEqual(['trusted.t']);
  });

  it("acts on a symlink itself, never on its target", () => {
    const target = path.join(tmp, 'target');
    fs.writeFileSync(target, '');
    fs.symlinkSync(target, path.join(tmp, 'link'));
    lsetxattr(path.join(tmp, 'link'), 'trusted.on-link', Buffer.from('1'));
    expect(llistxattr(target)).toEqual([]);
    expect(llistxattr(path.join(tmp, 'link'))).toEqual(['trusted.on-link']);
  });

  it("throws errors shaped like Node's fs errors", () => {
    const missing = path.join(tmp, 'missing/x');
    const ours = thrown(() => mknod(missing, 0o020000, 0, 0));
    const node = thrown(() => fs.mkdirSync(missing));
    expect(ours.message).toBe(`ENOENT: no such file or directory, mknod '${missing}'`);
    expect([ours.code, ours.errno, ours.syscall, ours.path]).toEqual(['ENOENT', node.errno, 'mknod', missing]);
    expect(thrown(() => lremovexattr(tmp, 'user.none'))).toMatchObject({ code: 'ENODATA', syscall: 'lremovexattr', path: tmp });
    expect(thrown(() => lgetxattr(missing, 'user.x'))).toMatchObject({ code: 'ENOENT', syscall: 'lgetxattr' });
  });

  it('refuses arguments C would misread', () => {
    expect(thrown(() => mknod(`${tmp}/a\0b`, 0o010600, 0, 0)).code).toBe('ERR_INVALID_ARG_VALUE');
    expect(fs.readdirSync(tmp)).toEqual([]);
    expect(thrown(() => mknod(`${tmp}/x`, -1, 0, 0)).code).toBe('ERR_OUT_OF_RANGE');
    expect(thrown(() => lsetxattr(tmp, 'user.x', 'text' as unknown as Buffer)).code).toBe('ERR_INVALID_ARG_TYPE');
  });

  it('names the launcher next to the addon', () => {
    expect(shimPath()).toMatch(/\/engine\/native\/build\/Release\/strata-shim$/);
  });
});

describe('extended attributes of an entry that keeps changing', () => {
  it('are only ever real names, never bytes from outside the kernel answer', () => {
    const tool = buildSwapdir(path.join(tmp, 'swapdir'), { static: false });
    const dir = path.join(tmp, 'x');
    fs.mkdirSync(dir);
    lsetxattr(dir, 'user.swapped', Buffer.from('y'));
    // The symlink has no attributes; the directory has one: asked for the size of
    // one, the kernel may then be asked for the list of the other.
    const swapper = spawn(tool, [dir, path.join(tmp, 'y'), '/nowhere', '0'], { stdio: 'ignore' });
    try {
      while (!fs.existsSync(path.join(tmp, 'y')) && !fs.lstatSync(path.join(tmp, 'x')).isSymbolicLink());
      const seen = new Set<string>();
      for (let i = 0; i < 50_000; i++) for (const name of ['x', 'y']) for (const n of llistxattr(path.join(tmp, name))) seen.add(n);
      expect([...seen]).toEqual(['user.swapped']);
    } finally {
      swapper.kill('SIGKILL');
    }
  });
});
