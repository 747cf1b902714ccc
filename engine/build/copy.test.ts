import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeHeader, endOfArchive, paddingFor } from '../fs/tarWriter';
import { isTarArchive } from './archive';
import { chownOwner, normalizeDest, performCopy, planCopy } from './copy';
import { PatternMatcher } from './dockerignore';
import { LayerWriter, rootOwner, type Owner } from './layerWriter';
import { ContextTree } from './sourceTree';

let tmp: string;
let ctx: string; // the build context
let lower: string; // the parent image, one layer
let upper: string; // the step's new layer
let scratchCount = 0;

const write = (file: string, content: string, mode = 0o644) => {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  fs.chmodSync(file, mode);
};

beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-copy-'));
  [ctx, lower, upper] = ['ctx', 'lower', 'upper'].map((d) => path.join(tmp, d));
  for (const d of [ctx, lower, upper]) fs.mkdirSync(d);
  write(path.join(ctx, 'a.txt'), 'hello\n');
  write(path.join(ctx, 'b.txt'), 'bee\n');
  write(path.join(ctx, 'sub', 'c.md'), 'x\n');
  fs.mkdirSync(path.join(lower, 'app'), { mode: 0o700 });
  fs.chownSync(path.join(lower, 'app'), 5, 5);
  fs.mkdirSync(path.join(lower, 'usr', 'bin'), { recursive: true });
  fs.symlinkSync('usr/bin', path.join(lower, 'bin'));
  write(path.join(lower, 'etc', 'passwd'), 'root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/home/app:/bin/sh\n');
  write(path.join(lower, 'etc', 'group'), 'root:x:0:\ngrp:x:2000:\n');
});

afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function copy(kind: 'COPY' | 'ADD', sources: string[], dest: string, opts: { workingDir?: string; owner?: Owner; tree?: ContextTree } = {}) {
  const tree = opts.tree ?? new ContextTree(ctx, null, false);
  const plan = planCopy(kind, tree, sources, dest, opts.workingDir ?? '/');
  await performCopy(plan, new LayerWriter(upper, [lower]), opts.owner ?? rootOwner, () => {
    const d = path.join(tmp, `unpack-${scratchCount++}`);
    fs.mkdirSync(d);
    return d;
  });
  return plan;
}

const inUpper = (p: string) => fs.lstatSync(path.join(upper, p));

describe('COPY destinations (Docker\'s rules)', () => {
  it('puts a file into an existing directory, copying that directory up unchanged', async () => {
    fs.utimesSync(path.join(ctx, 'a.txt'), new Date(1_600_000_000_000), new Date(1_600_000_000_000));
    await copy('COPY', ['a.txt'], '/app');
    const dir = inUpper('app');
    expect([dir.mode & 0o7777, dir.uid, dir.gid]).toEqual([0o700, 5, 5]);
    const file = inUpper('app/a.txt');
    expect([file.mode & 0o7777, file.uid, file.mtimeMs]).toEqual([0o644, 0, 1_600_000_000_000]);
  });

  it('names the copy by the destination, making missing parents 0755 for the owner', async () => {
    await copy('COPY', ['a.txt'], '/new/deep/name.txt', { owner: { uid: 7, gid: 8 } });
    expect(fs.readFileSync(path.join(upper, 'new/deep/name.txt'), 'utf8')).toBe('hello\n');
    const parent = inUpper('new/deep');
    expect([parent.mode & 0o7777, parent.uid, parent.gid]).toEqual([0o755, 7, 8]);
    expect(inUpper('new/deep/name.txt').uid).toBe(7);
  });

  it('copies a directory\'s content, and applies WORKDIR to a relative destination', async () => {
    await copy('COPY', ['sub'], 'dst/', { workingDir: '/work' });
    expect(fs.readdirSync(path.join(upper, 'work/dst'))).toEqual(['c.md']);
    expect(normalizeDest('/app', '.')).toBe('/app');
    expect(normalizeDest('/app', 'x/')).toBe('/app/x/');
  });

  it('follows symlinks of the image to place the copy', async () => {
    await copy('COPY', ['a.txt'], '/bin/');
    expect(fs.existsSync(path.join(upper, 'usr/bin/a.txt'))).toBe(true);
    expect(fs.existsSync(path.join(upper, 'bin'))).toBe(false);
  });

  it('needs a destination ending in / for several sources', async () => {
    await expect(copy('COPY', ['a.txt', 'b.txt'], '/d')).rejects.toThrow(
      'COPY failed: When using COPY with more than one source file, the destination must be a directory and end with a /',
    );
    await copy('COPY', ['*.txt'], '/d/');
    expect(fs.readdirSync(path.join(upper, 'd'))).toEqual(['a.txt', 'b.txt']);
  });

  it('drops setuid bits as Docker\'s copy does (it chowns last)', async () => {
    fs.chmodSync(path.join(ctx, 'a.txt'), 0o4755);
    await copy('COPY', ['a.txt'], '/s');
    expect(inUpper('s').mode & 0o7777).toBe(0o755);
  });
});

describe('COPY sources', () => {
  it.each([
    [['nope'], 'COPY failed: file not found in build context or excluded by .dockerignore: stat nope: file does not exist'],
    [['../x'], 'COPY failed: forbidden path outside the build context: ../x ()'],
    [['nomatch*'], 'COPY failed: no source files were specified'],
    [['http://example.com/x'], "COPY failed: source can't be a URL for COPY"],
  ])('refuses %j', async (sources, message) => {
    await expect(copy('COPY', sources, '/d/')).rejects.toThrow(message);
  });

  it('refuses to download for ADD: there is no network', async () => {
    await expect(copy('ADD', ['https://example.com/x.tgz'], '/d/')).rejects.toThrow(/ADD failed: cannot download https:\/\/example.com\/x.tgz/);
  });

  it('follows a symlink inside the context, and copies one leading out as the link', async () => {
    fs.symlinkSync('a.txt', path.join(ctx, 'inside'));
    fs.symlinkSync('/etc/passwd', path.join(ctx, 'absolute'));
    fs.symlinkSync('../../outside', path.join(ctx, 'climbing'));
    await copy('COPY', ['inside'], '/in');
    await copy('COPY', ['absolute', 'climbing'], '/out/');
    expect(fs.readFileSync(path.join(upper, 'in'), 'utf8')).toBe('hello\n');
    expect(fs.readlinkSync(path.join(upper, 'out/absolute'))).toBe('/etc/passwd');
    expect(fs.readlinkSync(path.join(upper, 'out/climbing'))).toBe('../../outside');
  });

  it('hides what .dockerignore excludes', async () => {
    const tree = new ContextTree(ctx, new PatternMatcher(['**/*.md', 'b.txt']), false);
    await expect(copy('COPY', ['b.txt'], '/x', { tree })).rejects.toThrow('file not found in build context or excluded by .dockerignore');
    await copy('COPY', ['.'], '/all/', { tree });
    expect(fs.readdirSync(path.join(upper, 'all'), { recursive: true }).map(String).sort()).toEqual(['a.txt', 'sub']);
  });
});

describe('--chown', () => {
  it('looks names up in the image, numbers as they are, a lone user as the group too', () => {
    expect(chownOwner('app:grp', [lower])).toEqual({ uid: 1000, gid: 2000 });
    expect(chownOwner('5:6', [lower])).toEqual({ uid: 5, gid: 6 });
    expect(chownOwner('1000', [lower])).toEqual({ uid: 1000, gid: 1000 });
    expect(() => chownOwner('nobody', [lower])).toThrow("can't find uid for user nobody: no such user: nobody");
    expect(() => chownOwner('app', [lower])).toThrow("can't find gid for group app: no such group: app");
    expect(() => chownOwner('a:b:c', [lower])).toThrow('invalid chown string format: a:b:c');
  });
});

describe('ADD archives', () => {
  function tarGz(file: string): void {
    const content = Buffer.from('cfg\n');
    const tar = Buffer.concat([
      encodeHeader({ name: 'etc/', type: 'dir', mode: 0o750, uid: 7, gid: 8, size: 0, mtime: 1_700_000_000 }),
      encodeHeader({ name: 'etc/app.conf', type: 'file', mode: 0o600, uid: 7, gid: 8, size: content.length, mtime: 1_700_000_000 }),
      content,
      paddingFor(content.length),
      endOfArchive,
    ]);
    fs.writeFileSync(file, zlib.gzipSync(tar));
  }

  it('unpacks a local tar archive keeping its owners, and merges into what the image has', async () => {
    tarGz(path.join(ctx, 'archive.tar.gz'));
    await copy('ADD', ['archive.tar.gz'], '/');
    const conf = inUpper('etc/app.conf');
    expect([conf.mode & 0o7777, conf.uid, conf.gid]).toEqual([0o600, 7, 8]);
    // The archive's etc/ takes over the copied-up /etc's mode and owner; the image's files stay visible below it.
    expect(inUpper('etc').mode & 0o7777).toBe(0o750);
    expect(fs.existsSync(path.join(upper, 'etc/passwd'))).toBe(false);
  });

  it.each(['bzip2', 'xz'])('unpacks a %s-compressed archive too', async (program) => {
    tarGz(path.join(tmp, 'archive.tar.gz'));
    const tar = zlib.gunzipSync(fs.readFileSync(path.join(tmp, 'archive.tar.gz')));
    const r = spawnSync(program, ['-c'], { input: tar });
    expect(r.status).toBe(0);
    fs.writeFileSync(path.join(ctx, 'archive.tar.x'), r.stdout);
    await copy('ADD', ['archive.tar.x'], '/opt/');
    expect(fs.readFileSync(path.join(upper, 'opt/etc/app.conf'), 'utf8')).toBe('cfg\n');
  });

  it('tells archives from other files by their content', async () => {
    tarGz(path.join(ctx, 'archive.tar.gz'));
    fs.writeFileSync(path.join(ctx, 'plain.gz'), zlib.gzipSync('not a tar'));
    expect(await isTarArchive(path.join(ctx, 'archive.tar.gz'))).toBe(true);
    expect(await isTarArchive(path.join(ctx, 'plain.gz'))).toBe(false);
    expect(await isTarArchive(path.join(ctx, 'a.txt'))).toBe(false);
    await copy('ADD', ['plain.gz'], '/p/');
    expect(inUpper('p/plain.gz').isFile()).toBe(true);
  });
});
