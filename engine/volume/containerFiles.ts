// A container's files for `cp`, in both directions, as Docker's `cp` sees
// them: its layers merged, its volumes and binds mounted over them, but not
// the running container's /proc, /sys, /dev or tmpfs mounts (a copy into
// /proc lands in the container's own /proc directory, as with Docker, never
// in the kernel's). `strata-shim rootfs` holds that view in a mount
// namespace of its own for as long as the copy takes. Paths are resolved
// inside that root, never the host's.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { ByteChunk, ContainerPathStat, UploadInput } from '../api';
import { asEngineError, EngineError, invalidArgument, notFound } from '../errors';
import { entryTar } from '../fs/tarPack';
import { shimPath } from '../native';
import type { StreamCallbacks, StreamHandle } from '../rpc/client';
import { findContainer, type RuntimeContext } from '../runtime/context';
import { containerUser } from '../runtime/prepare';
import { processRunning } from '../runtime/shim';
import type { ContainerRow } from '../store/containers';
import { components, resolveScoped, type ScopedPath } from './scopedPath';
import { extractTar } from './tarIn';

interface View {
  root: string;
  close(): Promise<void>;
}

/**
 * The bind mounts of the container's runtime spec (volumes, binds, its
 * /etc/hosts, /etc/resolv.conf and /etc/hostname) whose sources are there:
 * what Docker's `cp` mounts over the container's root. /proc, /sys, /dev
 * and tmpfs mounts are the running container's own, never shown.
 */
function viewMounts(bundle: string): string[] {
  let mounts: Array<{ destination: string; type: string; source: string; options?: string[] }>;
  try {
    mounts = (JSON.parse(fs.readFileSync(path.join(bundle, 'config.json'), 'utf8')) as { mounts: typeof mounts }).mounts;
  } catch {
    return []; // never written: the image's files alone
  }
  return mounts
    .filter((m) => m.type === 'bind' && fs.existsSync(m.source))
    .map((m) => `${m.source}:${m.destination}:${m.options?.includes('ro') ? 'ro' : 'rw'}`);
}

/**
 * The container's files held by `strata-shim rootfs` until closed: a
 * running container's root mount cloned from its namespace, a stopped one's
 * overlay mounted afresh, with its binds over either.
 */
function openView(ctx: RuntimeContext, row: ContainerRow): Promise<View> {
  const bundle = ctx.paths.containerDir(row.id);
  const argv = ['rootfs', '--bundle', bundle];
  const live = (row.state === 'running' || row.state === 'paused') && processRunning(row.pid);
  if (live) argv.push('--of', String(row.pid));
  for (const m of viewMounts(bundle)) argv.push('--mount', m);
  const child = spawn(shimPath(), argv, { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      if (!out.includes('\n')) return;
      const report = JSON.parse(out.split('\n')[0]) as { ok: boolean; pid?: number; error?: string };
      if (!report.ok) return reject(new EngineError('Internal', report.error ?? 'strata-shim rootfs failed'));
      resolve({
        root: `/proc/${report.pid}/root${bundle}/merged`,
        close: async () => {
          child.stdin.end();
          await exited;
        },
      });
    });
    child.on('error', (e) => reject(new EngineError('Internal', `strata-shim: ${e.message}`)));
    void exited.then(() => reject(new EngineError('Internal', `strata-shim rootfs ended early: ${out.trim()}`)));
  });
}

async function withView<T>(ctx: RuntimeContext, ref: string, use: (view: View, row: ContainerRow) => Promise<T>): Promise<T> {
  const row = findContainer(ctx, ref);
  if (row.state === 'removing' || row.state === 'dead') throw invalidArgument(`container ${ref} is ${row.state}`);
  const view = await openView(ctx, row);
  try {
    return await use(view, row);
  } finally {
    await view.close();
  }
}

const missing = (p: string, ref: string) => notFound(`Could not find the file ${p} in container ${ref}`);

/** "/dir/" and "/dir/." name what a final symlink leads to, and must be directories. */
const namesDirectory = (p: string) => p.endsWith('/') || p.endsWith('/.');

interface Located {
  at: ScopedPath;
  stats: fs.Stats;
}

/** The entry at `p` in the view, held (release `at` when done); NotFound as Docker words it. */
function locate(view: View, ref: string, p: string, followFinal: boolean): Located {
  let at: ScopedPath;
  try {
    at = resolveScoped(view.root, p, { followFinal: followFinal || namesDirectory(p) });
  } catch (err) {
    if ((err as EngineError).code === 'NotFound') throw missing(p, ref);
    throw err;
  }
  const parent = at.dirs[at.dirs.length - 1]!;
  const stats = at.name === '' ? parent.stat() : parent.lstat(at.name);
  if (stats === null) {
    at.release();
    throw missing(p, ref);
  }
  if (namesDirectory(p) && !stats.isDirectory()) {
    at.release();
    throw invalidArgument(`${p}: not a directory`);
  }
  return { at, stats };
}

/** `docker container stat`: the entry at `p` (a final symlink not followed) and, for a symlink, where it leads; null when missing. */
export function statContainerPath(ctx: RuntimeContext, ref: string, p: string): Promise<ContainerPathStat | null> {
  return withView(ctx, ref, async (view) => {
    let found: Located;
    try {
      found = locate(view, ref, p, false);
    } catch (err) {
      if ((err as EngineError).code === 'NotFound') return null;
      throw err;
    }
    const { at, stats: st } = found;
    try {
      let linkTarget = '';
      if (st.isSymbolicLink()) {
        const target = resolveScoped(view.root, p, { followFinal: true });
        linkTarget = target.path;
        target.release();
      }
      const type = st.isDirectory() ? 'dir' : st.isSymbolicLink() ? 'symlink' : st.isFile() ? 'file' : 'other';
      return { name: at.name || '/', size: st.size, mode: st.mode, mtime: st.mtime.toISOString(), linkTarget, type };
    } finally {
      at.release();
    }
  });
}

/** The name Docker gives the archived entry: the path's own base name ("." for "/dir/.", "/" for the root). */
function archiveName(p: string): string {
  if (p.endsWith('/.')) return '.';
  const parts = components(p);
  return parts.length === 0 ? '/' : parts[parts.length - 1]!;
}

/** `cp CONTAINER:PATH`: the entry at `path` as a tar, named as Docker names it. */
export function archiveStream(ctx: RuntimeContext, arg: { id: string; path: string }, cb: StreamCallbacks<ByteChunk>): StreamHandle<never> {
  let closed = false;
  withView(ctx, arg.id, async (view) => {
    const { at } = locate(view, arg.id, arg.path, false);
    try {
      for await (const data of entryTar(at.dirs[at.dirs.length - 1]!, at.name, archiveName(arg.path))) {
        if (closed) return;
        cb.onMessage({ data });
      }
    } finally {
      at.release();
    }
  }).then(
    () => cb.onEnd(),
    (err) => cb.onEnd(asEngineError(err).toPayload()),
  );
  return { send() {}, close: () => void (closed = true) };
}

/** An async queue of what the client sends: the tar, then its end. */
function inputQueue(): { push(i: UploadInput): void; stop(): void; chunks: AsyncIterable<Buffer> } {
  const items: Buffer[] = [];
  let ended = false;
  let wake: (() => void) | undefined;
  return {
    push(i) {
      if ('data' in i) items.push(Buffer.from(i.data));
      else ended = true;
      wake?.();
    },
    stop() {
      ended = true;
      wake?.();
    },
    chunks: {
      async *[Symbol.asyncIterator]() {
        for (;;) {
          if (items.length > 0) yield items.shift()!;
          else if (ended) return;
          else await new Promise<void>((r) => (wake = r));
        }
      },
    },
  };
}

/**
 * `cp ... CONTAINER:PATH`: the tar the client sends, extracted into the
 * directory at `path` (symlinks resolved inside the container). Owners are
 * the tar's; with copyUIDGID, the container's user's when it has one (moby's rule).
 */
export function extractStream(
  ctx: RuntimeContext,
  arg: { id: string; path: string; noOverwriteDirNonDir?: boolean; copyUIDGID?: boolean },
  cb: StreamCallbacks<never>,
): StreamHandle<UploadInput> {
  const input = inputQueue();
  withView(ctx, arg.id, async (view, row) => {
    const { at, stats } = locate(view, arg.id, arg.path, true);
    at.release();
    if (!stats.isDirectory()) throw invalidArgument('extraction point is not a directory');
    const dest = at.path;
    const user = row.spec.Config.User;
    const owner = arg.copyUIDGID && user ? (({ uid, gid }) => ({ uid, gid }))(containerUser(ctx, row, user)) : ('archive' as const);
    await extractTar(input.chunks, { root: view.root, dest, follow: true, owner, noOverwriteDirNonDir: !!arg.noOverwriteDirNonDir, refuseEscapingSymlinks: false });
  }).then(
    () => cb.onEnd(),
    (err) => {
      input.stop();
      cb.onEnd(asEngineError(err).toPayload());
    },
  );
  return { send: (i) => input.push(i), close: () => input.stop() };
}
