import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mknod } from '../native';
import { HeldDir } from './heldDir';

let tmp: string;
let root: string;
let host: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-held-'));
  root = path.join(tmp, 'root');
  host = path.join(tmp, 'host');
  fs.mkdirSync(path.join(root, 'dir', 'sub'), { recursive: true });
  fs.writeFileSync(path.join(root, 'dir', 'file'), 'mine');
  fs.mkdirSync(host);
  fs.writeFileSync(path.join(host, 'file'), 'HOST');
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

function held<T>(dir: HeldDir | null, use: (dir: HeldDir) => T): T {
  if (dir === null) throw new Error('not held');
  try {
    return use(dir);
  } finally {
    dir.close();
  }
}

describe('HeldDir', () => {
  it('keeps reading the directory it opened after it is renamed away and a symlink to the host takes its place', () => {
    held(HeldDir.open(root), (r) =>
      held(r.dir('dir'), (dir) => {
        fs.renameSync(path.join(root, 'dir'), path.join(root, 'moved'));
        fs.symlinkSync(host, path.join(root, 'dir'));
        expect(dir.names()).toEqual(['file', 'sub']);
        const file = dir.openFile('file')!;
        expect(fs.readFileSync(file.fd, 'utf8')).toBe('mine');
        fs.closeSync(file.fd);
        // The new entry of that name is the symlink: never followed, never opened as a directory.
        expect(r.dir('dir')).toBeNull();
        expect(r.lstat('dir')!.isSymbolicLink()).toBe(true);
        expect(r.readlink('dir')).toBe(host);
        expect(r.openFile('dir')).toBeNull();
      }),
    );
  });

  it('opens below a root only through real directories', () => {
    fs.symlinkSync(host, path.join(root, 'link'));
    expect(HeldDir.openBelow(root, ['link'])).toBeNull();
    expect(HeldDir.openBelow(root, ['dir', 'file'])).toBeNull();
    expect(HeldDir.openBelow(root, ['nope'])).toBeNull();
    held(HeldDir.openBelow(root, ['dir', 'sub']), (sub) => expect(sub.path).toBe(path.join(root, 'dir', 'sub')));
  });

  it('never opens a FIFO or a device for reading, and says what it is instead', () => {
    mknod(path.join(root, 'fifo'), 0o010644, 0, 0);
    mknod(path.join(root, 'zero'), 0o020666, 1, 5);
    held(HeldDir.open(root), (r) => {
      // Opening the FIFO for reading would block here forever.
      expect(r.openFile('fifo')).toBeNull();
      expect(r.openFile('zero')).toBeNull();
      expect(r.lstat('zero')!.isCharacterDevice()).toBe(true);
      expect(r.dir('fifo')).toBeNull();
    });
  });

  it('takes one name at a time, and names entries by their real path in errors', () => {
    held(HeldDir.open(root), (r) => {
      for (const bad of ['..', '.', '', 'dir/file', 'a\0b']) expect(() => r.at(bad)).toThrow('is not one name in');
      expect(r.lstat('missing')).toBeNull();
      expect(() => r.lstat('x'.repeat(300))).toThrow(`ENAMETOOLONG: name too long, lstat '${path.join(root, 'x'.repeat(300))}'`);
    });
  });
});
