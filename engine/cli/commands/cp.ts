// `strata cp [-a] [-L] [-q] CONTAINER:SRC DEST|-` and `strata cp SRC|- CONTAINER:DEST`,
// as docker's CLI does it: the container's side is a tar from or into the
// engine (paths resolved inside the container), the local side is read or
// written here by the rules of copyRules.ts. Extracting on the host never
// follows a symlink the archive made, and refuses a relative one leading out
// of the destination ("invalid symlink"), as docker's CLI does.

import fs from 'node:fs';
import path from 'node:path';
import type { ByteChunk } from '../../api';
import { invalidArgument, notFound } from '../../errors';
import { HeldDir } from '../../fs/heldDir';
import { entryTar } from '../../fs/tarPack';
import { readTar } from '../../fs/tarReader';
import { encodeHeader, endOfArchive, paddingFor } from '../../fs/tarWriter';
import { humanSize } from '../../humanize';
import type { StreamCallbacks } from '../../rpc/client';
import { extractTar } from '../../volume/tarIn';
import type { CommandModule } from '../command';
import { prepareArchiveCopy, rebaseName, splitCpArg, splitPathDirEntry, type CopyInfo } from '../copyRules';
import type { Cli } from '../session';

/** The tar again with its entries renamed (archive.RebaseArchiveEntries). */
async function* rebased(tar: AsyncIterable<Buffer>, from: string, to: string): AsyncGenerator<Buffer> {
  for await (const { header: h, body } of readTar(tar)) {
    const size = h.type === 'file' ? h.size : 0;
    yield encodeHeader({ ...h, name: rebaseName(h.name, from, to), mode: h.mode | modeType(h.type), xattrs: h.xattrs });
    for await (const chunk of body) yield chunk;
    if (size > 0) yield paddingFor(size);
  }
  yield endOfArchive;
}

const modeType = (type: string) =>
  ({ file: 0o100000, link: 0o100000, symlink: 0o120000, char: 0o20000, block: 0o60000, dir: 0o40000, fifo: 0o10000 })[type] ?? 0;

/** The engine's tar of a container path, as an async iterable. */
function archiveOf(cli: Cli, id: string, p: string): AsyncIterable<Buffer> {
  return {
    [Symbol.asyncIterator]() {
      const chunks: Buffer[] = [];
      let done = false;
      let failure: Error | undefined;
      let wake: (() => void) | undefined;
      const callbacks: StreamCallbacks<ByteChunk> = {
        onMessage: (m) => {
          chunks.push(Buffer.from(m.data));
          wake?.();
        },
        onEnd: (err) => {
          done = true;
          if (err) failure = Object.assign(new Error(err.message), { code: err.code });
          wake?.();
        },
      };
      const handle = cli.client.open('container.archive', { id, path: p }, callbacks);
      return {
        async next(): Promise<IteratorResult<Buffer>> {
          for (;;) {
            if (chunks.length > 0) return { value: chunks.shift()!, done: false };
            if (failure) throw failure;
            if (done) return { value: undefined, done: true };
            await new Promise<void>((r) => (wake = r));
          }
        },
        async return(): Promise<IteratorResult<Buffer>> {
          handle.close();
          return { value: undefined, done: true };
        },
      };
    },
  };
}

/**
 * The engine's tar once its first bytes came: an error from the engine (no
 * such file) is thrown here as itself, not later as "not a tar archive".
 */
async function started(tar: AsyncIterable<Buffer>): Promise<AsyncIterable<Buffer>> {
  const it = tar[Symbol.asyncIterator]();
  const first = await it.next();
  return (async function* () {
    if (first.done) return;
    yield first.value;
    for (let next = await it.next(); !next.done; next = await it.next()) yield next.value;
  })();
}

/** Sends a tar into the engine, to be extracted into the container's directory `p`. */
function extractInto(cli: Cli, id: string, p: string, tar: AsyncIterable<Buffer>, copyUIDGID: boolean): Promise<number> {
  return new Promise((resolve, reject) => {
    let sent = 0;
    const handle = cli.client.open('container.extract', { id, path: p, noOverwriteDirNonDir: true, copyUIDGID }, {
      onMessage: () => undefined,
      onEnd: (err) => (err ? reject(Object.assign(new Error(err.message), { code: err.code })) : resolve(sent)),
    });
    (async () => {
      for await (const data of tar) {
        sent += data.length;
        handle.send({ data });
      }
      handle.send({ end: true });
    })().catch((err) => {
      handle.close();
      reject(err);
    });
  });
}

/** A failed call on a local path, worded as Go words it ("lstat /x: no such file or directory"). */
function localError(err: unknown): Error {
  const e = err as NodeJS.ErrnoException;
  if (!e.syscall || !e.path) return e;
  const text = `${e.syscall} ${e.path}: ${e.message.replace(/^\w+: /, '').replace(/, \w+ '.*'$/s, '')}`;
  return e.code === 'ENOENT' ? notFound(text) : invalidArgument(text);
}

/** What is at a local source (archive.CopyInfoSourcePath): symlinks before the last '/' resolved, the last one only with -L. */
function localSource(p: string, followLink: boolean): CopyInfo {
  const abs = path.resolve(p) + (p.endsWith('/') || p.endsWith('/.') ? p.slice(p.lastIndexOf('/')) : '');
  try {
    let resolved: string;
    let rebase: string | undefined;
    if (followLink) {
      resolved = fs.realpathSync(abs);
      if (path.basename(abs) !== path.basename(resolved)) rebase = path.basename(abs);
    } else {
      const [dir, base] = splitPathDirEntry(abs);
      resolved = path.join(fs.realpathSync(dir), base);
    }
    const st = fs.lstatSync(resolved);
    return { path: resolved + (p.endsWith('/.') ? '/.' : ''), exists: true, isDir: st.isDirectory(), ...(rebase ? { rebaseName: rebase } : {}) };
  } catch (err) {
    throw localError(err);
  }
}

/** What is at a local destination (archive.CopyInfoDestinationPath): a final symlink is followed; its directory must exist. */
function localDestination(p: string): CopyInfo {
  const parent = path.dirname(path.resolve(p));
  if (!fs.existsSync(parent)) throw notFound(`invalid output path: directory ${JSON.stringify(parent)} does not exist`);
  let at = path.resolve(p) + (p.endsWith('/') ? '/' : '');
  try {
    for (let n = 0; ; n++) {
      const st = fs.lstatSync(at.replace(/\/$/, '') || '/', { throwIfNoEntry: false });
      if (st === undefined) {
        const [dir] = splitPathDirEntry(at);
        if (!fs.statSync(dir).isDirectory()) throw invalidArgument(`invalid output path: ${JSON.stringify(dir)} must be a directory`);
        return { path: at, exists: false, isDir: false };
      }
      if (!st.isSymbolicLink()) return { path: at, exists: true, isDir: st.isDirectory() };
      if (n > 40) throw invalidArgument(`stat ${p}: too many levels of symbolic links`);
      const target = fs.readlinkSync(at.replace(/\/$/, ''));
      at = path.isAbsolute(target) ? target : path.join(splitPathDirEntry(at)[0], target);
    }
  } catch (err) {
    throw localError(err);
  }
}

async function containerInfo(cli: Cli, id: string, p: string): Promise<CopyInfo & { linkTarget: string; missing: boolean }> {
  const st = await cli.client.call('container.pathStat', { id, path: p });
  if (st === null) return { path: p, exists: false, isDir: false, linkTarget: '', missing: true };
  return { path: p, exists: true, isDir: st.type === 'dir', linkTarget: st.type === 'symlink' ? st.linkTarget : '', missing: false };
}

async function copyFromContainer(cli: Cli, id: string, srcPath: string, dst: string, followLink: boolean, quiet: boolean): Promise<number> {
  const src = await containerInfo(cli, id, srcPath);
  if (src.missing) throw notFound(`Could not find the file ${srcPath} in container ${id}`);
  let from = srcPath;
  let rebase: string | undefined;
  if (followLink && src.linkTarget) {
    from = src.linkTarget;
    rebase = splitPathDirEntry(srcPath)[1];
  }
  const fromInfo = rebase ? { ...(await containerInfo(cli, id, from)), rebaseName: rebase } : src;
  if (fromInfo.missing) throw notFound(`Could not find the file ${from} in container ${id}`);
  let tar = await started(archiveOf(cli, id, from));
  if (rebase) tar = rebased(tar, splitPathDirEntry(from)[1], rebase);
  if (dst === '-') {
    for await (const chunk of tar) cli.out(chunk);
    return 0;
  }
  const dstInfo = localDestination(dst);
  const place = prepareArchiveCopy(fromInfo, dstInfo);
  if ('error' in place) throw new Error(place.error);
  if (place.rename) tar = rebased(tar, ...place.rename);
  const root = fs.realpathSync(place.dstDir);
  const refused = await extractTar(tar, { root, dest: '/', follow: false, owner: 'none', noOverwriteDirNonDir: true, refuseEscapingSymlinks: true });
  for (const line of refused) cli.err(`${line}\n`);
  if (!quiet && cli.stderr.isTTY) cli.err(`Successfully copied to ${dst}\n`);
  return refused.length > 0 ? 1 : 0;
}

async function copyToContainer(cli: Cli, src: string, id: string, dstPath: string, followLink: boolean, copyUIDGID: boolean, quiet: boolean): Promise<number> {
  let dst = await containerInfo(cli, id, dstPath);
  if (dst.linkTarget) dst = await containerInfo(cli, id, dst.linkTarget);
  if (src === '-') {
    if (!dst.isDir) throw new Error(`destination "${id}:${dstPath}" must be a directory`);
    await extractInto(cli, id, dst.path, cli.stdin as AsyncIterable<Buffer>, copyUIDGID);
    return 0;
  }
  const srcInfo = localSource(src, followLink);
  const [dir, base] = splitPathDirEntry(srcInfo.path);
  const place = prepareArchiveCopy(srcInfo, dst);
  if ('error' in place) throw new Error(place.error);
  const held = HeldDir.open(dir);
  let size = 0;
  try {
    let tar: AsyncIterable<Buffer> = entryTar(held, base === '.' ? '' : base, srcInfo.rebaseName ?? base);
    if (place.rename) tar = rebased(tar, ...place.rename);
    size = await extractInto(cli, id, place.dstDir, tar, copyUIDGID);
  } finally {
    held.close();
  }
  if (!quiet && cli.stderr.isTTY) cli.err(`Successfully copied ${humanSize(size)} to ${id}:${dstPath}\n`);
  return 0;
}

export const cp: CommandModule = {
  flags: [
    { name: 'archive', short: 'a', type: 'bool', help: 'Archive mode (copy all uid/gid information)' },
    { name: 'follow-link', short: 'L', type: 'bool', help: 'Always follow symbol link in SRC_PATH' },
    { name: 'quiet', short: 'q', type: 'bool', help: 'Suppress progress output during copy. Progress output is automatically suppressed if no terminal is attached' },
  ],
  args: { min: 2, max: 2 },
  async run(cli, flags, [srcArg, dstArg]) {
    const src = splitCpArg(srcArg);
    const dst = splitCpArg(dstArg);
    if (src.container !== undefined && dst.container !== undefined) throw invalidArgument('copying between containers is not supported');
    if (src.container === undefined && dst.container === undefined) throw invalidArgument('must specify at least one container source');
    const followLink = flags.bool('follow-link');
    const quiet = flags.bool('quiet');
    if (src.container !== undefined) return copyFromContainer(cli, src.container, src.path, dst.path, followLink, quiet);
    return copyToContainer(cli, src.path, dst.container!, dst.path, followLink, flags.bool('archive'), quiet);
  },
};
