import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeHeader, endOfArchive, paddingFor } from '../fs/tarWriter';
import { openContext } from './context';
import { openScratch, type BuildScratch } from './scratch';

let tmp: string;
let scratch: BuildScratch;
const noStdin = () => Readable.from([]);

beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-context-'));
  scratch = openScratch(path.join(tmp, 'build'));
});

afterEach(() => {
  scratch.remove();
  fs.rmSync(tmp, { recursive: true, force: true });
});

function tar(entries: Array<{ name: string; content?: string; link?: string; uid?: number; fifo?: boolean }>): Readable {
  const blocks: Buffer[] = [];
  for (const e of entries) {
    if (e.fifo) {
      blocks.push(encodeHeader({ name: e.name, type: 'fifo', mode: 0o644, uid: 0, gid: 0, size: 0, mtime: 0 }));
      continue;
    }
    if (e.link !== undefined) {
      blocks.push(encodeHeader({ name: e.name, type: 'symlink', linkname: e.link, mode: 0o777, uid: 0, gid: 0, size: 0, mtime: 0 }));
      continue;
    }
    const data = Buffer.from(e.content ?? '');
    blocks.push(encodeHeader({ name: e.name, type: 'file', mode: 0o644, uid: e.uid ?? 0, gid: 0, size: data.length, mtime: 0 }), data, paddingFor(data.length));
  }
  return Readable.from([Buffer.concat([...blocks, endOfArchive])]);
}

describe('a directory context', () => {
  it('finds Dockerfile, then dockerfile, or the one -f names (even outside the context)', async () => {
    const dir = path.join(tmp, 'ctx');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'dockerfile'), 'FROM lower\n');
    expect((await openContext({ context: dir }, scratch, noStdin)).dockerfile).toBe('FROM lower\n');
    fs.writeFileSync(path.join(dir, 'Dockerfile'), 'FROM upper\n');
    expect((await openContext({ context: dir }, scratch, noStdin)).dockerfile).toBe('FROM upper\n');
    fs.writeFileSync(path.join(tmp, 'Elsewhere'), 'FROM elsewhere\n');
    expect((await openContext({ context: dir, dockerfile: path.join(tmp, 'Elsewhere') }, scratch, noStdin)).dockerfile).toBe('FROM elsewhere\n');
    await expect(openContext({ context: dir, dockerfile: 'Nope' }, scratch, noStdin)).rejects.toThrow('Cannot locate specified Dockerfile: Nope');
  });

  it('refuses a missing path or a file', async () => {
    await expect(openContext({ context: path.join(tmp, 'missing') }, scratch, noStdin)).rejects.toThrow(/^unable to prepare context: path ".*missing" not found$/);
    fs.writeFileSync(path.join(tmp, 'file'), '');
    await expect(openContext({ context: path.join(tmp, 'file') }, scratch, noStdin)).rejects.toThrow('unable to prepare context: context must be a directory');
  });

  it('reads the Dockerfile even when .dockerignore excludes it, but does not let COPY see it', async () => {
    const dir = path.join(tmp, 'ctx');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'Dockerfile'), 'FROM x\n');
    fs.writeFileSync(path.join(dir, '.dockerignore'), 'Dockerfile\n.dockerignore\n');
    const context = await openContext({ context: dir }, scratch, noStdin);
    expect(context.dockerfile).toBe('FROM x\n');
    expect(context.tree.lookup('Dockerfile', false).node).toBeNull();
    expect(context.tree.children(context.tree.root())).toEqual([]);
  });
});

describe('a tar context on standard input', () => {
  it('is unpacked into the build scratch, keeping the tar\'s owners', async () => {
    const context = await openContext({ context: '-' }, scratch, () => tar([{ name: 'Dockerfile', content: 'FROM x\n' }, { name: 'f', content: 'data', uid: 42 }]));
    expect(context.dockerfile).toBe('FROM x\n');
    const f = context.tree.lookup('f', false).node!;
    expect(context.tree.owner(f)).toEqual({ uid: 42, gid: 0 });
    expect(f.hostPath.startsWith(scratch.dir)).toBe(true);
  });

  it('never reads a host file through a planted symlink', async () => {
    const stdin = () => tar([{ name: 'Dockerfile', link: '/etc/hostname' }]);
    await expect(openContext({ context: '-' }, scratch, stdin)).rejects.toThrow('Cannot locate specified Dockerfile: Dockerfile');
    const viaDir = () => tar([{ name: 'd', link: '/etc' }]);
    await expect(openContext({ context: '-', dockerfile: 'd/hostname' }, scratch, viaDir)).rejects.toThrow('Cannot locate specified Dockerfile: d/hostname');
  });

  it('refuses a broken archive, and entries that leave it', async () => {
    const brokenGzip = Buffer.from([0x1f, 0x8b, 0x08, 0, 1, 2, 3, 4, 5, 6]);
    await expect(openContext({ context: '-' }, scratch, () => Readable.from([brokenGzip]))).rejects.toThrow(
      /^unable to read the build context from standard input: invalid /,
    );
    await expect(openContext({ context: '-' }, scratch, () => tar([{ name: '../escape', content: 'x' }]))).rejects.toThrow('path escapes the layer');
    expect(fs.existsSync(path.join(tmp, 'build', 'escape'))).toBe(false);
  });
});

describe('the Dockerfile and .dockerignore are read inside the context only', () => {
  const secret = 'SECRET-FIRST-LINE-of-a-host-file';
  let hostFile: string;
  let dir: string;
  beforeEach(() => {
    hostFile = path.join(tmp, 'host-file');
    fs.writeFileSync(hostFile, `${secret}\nf\n`);
    dir = path.join(tmp, 'ctx');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'f'), 'data');
  });
  const failure = async (p: Promise<unknown>) => {
    const err = (await p.then(() => null, (e: unknown) => e)) as Error | null;
    expect(err).not.toBeNull();
    expect(err!.message).not.toContain(secret);
    expect(err!.message).not.toContain('\n');
    return err!.message;
  };
  const bounded = <T>(p: Promise<T>) =>
    Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('hung')), 5000))]);

  it('a directory context: a Dockerfile or .dockerignore that is a link out is not followed', async () => {
    fs.symlinkSync(hostFile, path.join(dir, 'Dockerfile'));
    expect(await failure(openContext({ context: dir }, scratch, noStdin))).toBe(
      'Cannot locate specified Dockerfile: Dockerfile (a symlink leading outside the build context)',
    );
    fs.rmSync(path.join(dir, 'Dockerfile'));
    fs.symlinkSync('../host-file', path.join(dir, 'Dockerfile'));
    await failure(openContext({ context: dir }, scratch, noStdin));
    fs.rmSync(path.join(dir, 'Dockerfile'));
    fs.mkdirSync(path.join(dir, 'sub'));
    fs.symlinkSync(tmp, path.join(dir, 'sub', 'up'));
    await failure(openContext({ context: dir, dockerfile: 'sub/up/host-file' }, scratch, noStdin));

    // A link inside the context is followed, as Docker does.
    fs.writeFileSync(path.join(dir, 'Real'), 'FROM inside\n');
    fs.symlinkSync('Real', path.join(dir, 'Dockerfile'));
    expect((await openContext({ context: dir }, scratch, noStdin)).dockerfile).toBe('FROM inside\n');

    fs.symlinkSync(hostFile, path.join(dir, '.dockerignore'));
    expect(await failure(openContext({ context: dir }, scratch, noStdin))).toBe(
      'error checking context: .dockerignore: a symlink leading outside the build context',
    );
  });

  it('a directory context: a FIFO Dockerfile or .dockerignore does not hang the build', async () => {
    execFileSync('mkfifo', [path.join(dir, 'Dockerfile')]);
    expect(await failure(bounded(openContext({ context: dir }, scratch, noStdin)))).toBe(
      'Cannot locate specified Dockerfile: Dockerfile (not a regular file)',
    );
    fs.rmSync(path.join(dir, 'Dockerfile'));
    fs.writeFileSync(path.join(dir, 'Dockerfile'), 'FROM x\n');
    execFileSync('mkfifo', [path.join(dir, '.dockerignore')]);
    expect(await failure(bounded(openContext({ context: dir }, scratch, noStdin)))).toBe('error checking context: .dockerignore: not a regular file');
  });

  it('a tar context: a .dockerignore or Dockerfile linking to a host file, a device or a FIFO is refused at once', async () => {
    const open = (entries: Parameters<typeof tar>[0]) => bounded(openContext({ context: '-' }, scratch, () => tar(entries)));
    const dockerfile = { name: 'Dockerfile', content: 'FROM x\n' };
    for (const link of [hostFile, '/dev/zero', '../../../../../../../../dev/zero']) {
      expect(await failure(open([dockerfile, { name: '.dockerignore', link }]))).toBe(
        'error checking context: .dockerignore: a symlink leading outside the build context',
      );
      expect(await failure(open([{ name: 'Dockerfile', link }]))).toMatch(/^Cannot locate specified Dockerfile: Dockerfile/);
    }
    expect(await failure(open([dockerfile, { name: '.dockerignore', fifo: true }]))).toBe('error checking context: .dockerignore: not a regular file');
    expect(await failure(open([{ name: 'Dockerfile', fifo: true }]))).toBe('Cannot locate specified Dockerfile: Dockerfile (not a regular file)');
    // A link within the tar is followed inside it.
    const ok = await open([{ name: 'real', content: 'FROM y\n' }, { name: 'Dockerfile', link: 'real' }, { name: 'ign', content: 'f\n' }, { name: '.dockerignore', link: 'ign' }]);
    expect(ok.dockerfile).toBe('FROM y\n');
  });

  it('a Dockerfile larger than the bound is refused with one line', async () => {
    fs.writeFileSync(path.join(dir, 'Dockerfile'), Buffer.alloc(17 << 20, 0x23));
    expect(await failure(openContext({ context: dir }, scratch, noStdin))).toBe('Dockerfile is larger than 16 MiB');
  });
});

describe('a Dockerfile given as text', () => {
  const text = 'FROM starter\nCOPY . /ctx\n';

  it('is used instead of the context\'s own Dockerfile (-f -)', async () => {
    const dir = path.join(tmp, 'ctx');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'Dockerfile'), 'FROM on-disk\n');
    fs.writeFileSync(path.join(dir, 'f'), 'data');
    const context = await openContext({ context: dir, dockerfileText: text }, scratch, noStdin);
    expect(context.dockerfile).toBe(text);
    expect(context.tree.lookup('f', false).node?.hostPath).toBe(path.join(dir, 'f'));
  });

  it("with context '' builds from an empty context; without the text '' is refused", async () => {
    const context = await openContext({ context: '', dockerfileText: text }, scratch, noStdin);
    expect(context.dockerfile).toBe(text);
    expect(context.tree.children(context.tree.root())).toEqual([]);
    await expect(openContext({ context: '' }, scratch, noStdin)).rejects.toThrow('an empty context needs the Dockerfile given as text');
  });

  it('on standard input instead of a tar is the Dockerfile of an empty context (build - < Dockerfile)', async () => {
    const long = `FROM starter\n${'RUN true\n'.repeat(100)}`; // more than one tar block, in pieces
    const stdin = () => Readable.from([Buffer.from(long.slice(0, 300)), Buffer.from(long.slice(300))]);
    const context = await openContext({ context: '-' }, scratch, stdin);
    expect(context.dockerfile).toBe(long);
    expect(context.tree.children(context.tree.root())).toEqual([]);
    await expect(openContext({ context: '-', dockerfileText: text }, scratch, stdin)).rejects.toThrow("can't use stdin for both build context and dockerfile");
  });
});

describe('the build scratch space', () => {
  it('sweeps what a crashed build left', () => {
    const root = path.join(tmp, 'build');
    fs.mkdirSync(path.join(root, 'tmp-999999999-dead'));
    const next = openScratch(root);
    expect(fs.readdirSync(root).sort()).toEqual([path.basename(scratch.dir), path.basename(next.dir)].sort());
    next.remove();
  });
});
