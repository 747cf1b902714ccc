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

function tar(entries: Array<{ name: string; content?: string; link?: string; uid?: number }>): Readable {
  const blocks: Buffer[] = [];
  for (const e of entries) {
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
