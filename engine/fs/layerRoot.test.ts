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

  it('creates missing parents as 0755 directories, and knows them without asking the disk', () => {
    const parent = root.parentOf(['a', 'b', 'c'], 'a/b/c');
    expect(fs.lstatSync(path.join(tmp, 'layer/a/b')).mode).toBe(0o40755);
    expect(fs.existsSync(path.join(tmp, 'layer/a/b/c'))).toBe(false);
    expect(root.parentOf(['a', 'b', 'd'], 'a/b/d')).toBe(parent);
  });

  it('refuses a path through a symlink or a file it made', () => {
    root.parentOf(['d', 'x'], 'd/x').children.set('x', { kind: 'symlink' });
    expect(() => root.parentOf(['d', 'x', 'y'], 'd/x/y')).toThrow('invalid tar entry: d/x/y: writing through a symlink: d/x');
    root.tree.children.set('f', { kind: 'file', content: { size: 0 } });
    expect(() => root.parentOf(['f', 'y'], 'f/y')).toThrow('invalid tar entry: f/y: f is not a directory');
    expect(fs.readdirSync(path.join(tmp, 'host'))).toEqual([]);
  });

  it('finds what it made without following symlinks', () => {
    root.tree.children.set('s', { kind: 'symlink' });
    const refuse = (why: string) => new Error(why);
    expect(root.find(['s'], refuse)?.kind).toBe('symlink');
    expect(() => root.find(['s', 'file'], refuse)).toThrow('target goes through a symlink: s');
    expect(root.find(['missing', 'file'], refuse)).toBeUndefined();
  });

  it('refuses names the kernel cannot take', () => {
    expect(() => root.hostPath(['x'.repeat(256)], 'long')).toThrow('longer than 255 bytes');
    expect(() => root.hostPath(Array(20).fill('y'.repeat(250)), 'deep')).toThrow('invalid tar entry: path too long: deep');
  });
});
