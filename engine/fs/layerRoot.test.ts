import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LayerRoot, entryComponents } from './layerRoot';

describe('entryComponents', () => {
  it('cleans paths as Go does for Docker', () => {
    expect(entryComponents('etc/passwd')).toEqual(['etc', 'passwd']);
    expect(entryComponents('./etc//passwd/')).toEqual(['etc', 'passwd']);
    expect(entryComponents('/usr/../etc/./x')).toEqual(['etc', 'x']);
    expect(entryComponents('/../../etc')).toEqual(['etc']); // an absolute path stays under the root
    expect(entryComponents('./')).toEqual([]);
    expect(entryComponents('')).toEqual([]);
  });

  it('refuses a relative path that climbs out', () => {
    expect(() => entryComponents('../x')).toThrow('invalid tar entry: path escapes the layer: ../x');
    expect(() => entryComponents('a/../../x')).toThrow('invalid tar entry: path escapes the layer: a/../../x');
  });
});

describe('LayerRoot', () => {
  let tmp: string;
  let root: LayerRoot;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-root-'));
    fs.mkdirSync(path.join(tmp, 'layer'));
    fs.mkdirSync(path.join(tmp, 'host'));
    root = new LayerRoot(path.join(tmp, 'layer'));
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('creates missing parents as 0755 directories', () => {
    root.ensureParents(['a', 'b', 'c'], 'a/b/c');
    expect(fs.lstatSync(path.join(tmp, 'layer/a/b')).mode).toBe(0o40755);
    expect(fs.existsSync(path.join(tmp, 'layer/a/b/c'))).toBe(false);
  });

  it('notices a directory replaced by a symlink once told to forget it', () => {
    root.ensureParents(['d', 'x'], 'd/x');
    fs.rmdirSync(path.join(tmp, 'layer/d'));
    fs.symlinkSync(path.join(tmp, 'host'), path.join(tmp, 'layer/d'));
    root.forget('d');
    expect(() => root.ensureParents(['d', 'x'], 'd/x')).toThrow('invalid tar entry: d/x: writing through a symlink: d');
    expect(fs.readdirSync(path.join(tmp, 'host'))).toEqual([]);
  });

  it('finds existing entries without following symlinks', () => {
    fs.writeFileSync(path.join(tmp, 'host/file'), '');
    fs.symlinkSync(path.join(tmp, 'host'), path.join(tmp, 'layer/s'));
    const refuse = (why: string) => new Error(why);
    expect(root.existing(['s'], refuse)?.isSymbolicLink()).toBe(true);
    expect(() => root.existing(['s', 'file'], refuse)).toThrow('target goes through a symlink: s');
    expect(root.existing(['missing', 'file'], refuse)).toBeNull();
  });

  it('refuses names the kernel cannot take', () => {
    expect(() => root.hostPath(['x'.repeat(256)], 'long')).toThrow('longer than 255 bytes');
    expect(() => root.hostPath(Array(20).fill('y'.repeat(250)), 'deep')).toThrow('invalid tar entry: path too long: deep');
  });
});
