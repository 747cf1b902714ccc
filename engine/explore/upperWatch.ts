// `container.upperChanges`: a container's writable layer (its overlay
// upperdir) watched while the container exists, each change classified
// against the image's layers as it happens: copy-up, whiteout, opaque
// directory, a file only the container has.
//
// Why inotify (through fs.watch, one watch per directory): overlayfs makes
// its changes in the upper dir through the kernel's own vfs calls (create,
// rename from its work dir, mknod of a whiteout, setxattr), and each of
// those raises an inotify event on the upper dir's directory, whichever
// process caused it (the app's terminal, `strata exec`, the container's own
// process). fanotify with FAN_REPORT_DFID_NAME would watch the whole
// filesystem with one mark, but it marks a filesystem (here the host's,
// shared by every container and the host itself) and needs a native reader;
// a per-directory inotify watch sees exactly this container's layer.
//
// The upper dir belongs to the container, so it is read as hostile: each
// directory is opened from its parent's descriptor with O_NOFOLLOW (HeldDir)
// and the watch is placed through /proc/self/fd/N/. — the directory that was
// opened, never a symlink swapped in for it. Watches are capped per stream
// (maxWatches): a container that makes more directories than that gets an
// `unwatched` message for each directory beyond the cap, and `diff` still
// shows the truth. A burst larger than the kernel's inotify queue
// (fs.inotify.max_queued_events) loses events silently: libuv, under
// fs.watch, does not report the overflow.

import fs from 'node:fs';
import path from 'node:path';
import type { UpperChange } from '../api';
import { asEngineError } from '../errors';
import { HeldDir } from '../fs/heldDir';
import { isOpaqueDir, isWhiteout } from '../fs/overlayFormat';
import { unionLookup } from '../fs/union';
import type { StreamCallbacks, StreamHandle } from '../rpc/client';
import { findContainer, type RuntimeContext } from '../runtime/context';
import { containerLowerDirs } from '../runtime/prepare';

/** Directories watched per stream at most. */
export const maxWatches = 4096;
/** Entries of a new directory reported at most (those made before its watch was in place). */
const maxScanned = 1000;
/** A file written again and again is reported modified at most this often. */
const modifiedEveryMs = 100;

type Kind = 'file' | 'dir' | 'symlink' | 'other';

const kindOf = (s: fs.Stats): Kind => (s.isFile() ? 'file' : s.isDirectory() ? 'dir' : s.isSymbolicLink() ? 'symlink' : 'other');

/** The layer a lower dir is: the container's init layer, or an image layer (layers/<chain hex>/diff). */
function layerIds(id: string, lowerDirs: readonly string[]): string[] {
  return lowerDirs.map((dir, i) => (i === 0 ? `${id}-init` : `sha256:${path.basename(path.dirname(dir))}`));
}

export function upperChangesStream(
  ctx: RuntimeContext,
  arg: { id: string },
  cb: StreamCallbacks<UpperChange>,
  limits: { maxWatches: number } = { maxWatches },
): StreamHandle<never> {
  const row = findContainer(ctx, arg.id);
  const upperDir = path.join(ctx.paths.containerDir(row.id), 'upper');
  const lowerDirs = containerLowerDirs(ctx, row);
  const layers = layerIds(row.id, lowerDirs);
  /** By the container path of the directory ("/" for the upper dir itself). */
  const watches = new Map<string, fs.FSWatcher>();
  const lastModified = new Map<string, number>();
  /** The last report per path, so that the several events of one change say it once. */
  const lastReport = new Map<string, { signature: string; kind: Kind }>();
  let closed = false;

  const send = (change: UpperChange) => {
    if (!closed) cb.onMessage(change);
  };

  /** The image layer whose copy of `p` is topmost (what a change in the upper dir hides). */
  const hiddenLayer = (p: string): string | undefined => {
    const hit = unionLookup(lowerDirs, p);
    return hit ? layers[hit.layer] : undefined;
  };

  /** Opens the directory at container path `p` below the upper dir, one component at a time without following links. */
  const holdDir = (p: string): HeldDir | null => HeldDir.openBelow(upperDir, p.split('/').filter(Boolean));

  const watchDir = (p: string, scan: boolean): void => {
    if (closed || watches.has(p)) return;
    if (watches.size >= limits.maxWatches) {
      send({ action: 'unwatched', path: p, kind: 'dir', time: Date.now(), reason: `more than ${limits.maxWatches} directories are watched` });
      return;
    }
    const dir = holdDir(p);
    if (dir === null) return; // gone, or no longer a directory
    try {
      // The watch goes on the directory held open, whatever its name now leads to.
      const watcher = fs.watch(dir.selfPath(), { persistent: false }, (event, name) => onEvent(p, event, name));
      watcher.on('error', () => unwatch(p));
      watches.set(p, watcher);
      // What appeared before the watch was in place is reported now; subdirectories get their own watches.
      const names = dir.names();
      for (const [i, name] of names.entries()) {
        const child = path.posix.join(p, name);
        const stats = dir.lstat(name);
        if (stats === null) continue;
        if (scan && i < maxScanned) report(child, stats);
        if (stats.isDirectory()) watchDir(child, scan);
      }
      if (scan && names.length > maxScanned) {
        send({ action: 'unwatched', path: p, kind: 'dir', time: Date.now(), reason: `${names.length} entries appeared at once; the first ${maxScanned} are reported` });
      }
    } finally {
      dir.close();
    }
  };

  /** Stops watching `p` and everything below it (it was removed or moved away). */
  const unwatch = (p: string): void => {
    // Directories are watched from the top down: none below an unwatched one is.
    if (!watches.has(p)) return;
    for (const [key, watcher] of watches) {
      if (key === p || key.startsWith(p === '/' ? '/' : `${p}/`)) {
        watcher.close();
        watches.delete(key);
      }
    }
  };

  /** The entry's present state in the upper dir, read without following it; null when it is not there. */
  const statUpper = (p: string): fs.Stats | null => {
    const parent = holdDir(path.posix.dirname(p));
    if (parent === null) return null;
    try {
      return parent.lstat(path.posix.basename(p));
    } finally {
      parent.close();
    }
  };

  const isOpaque = (p: string): boolean => {
    const parent = holdDir(path.posix.dirname(p));
    if (parent === null) return false;
    try {
      return isOpaqueDir(parent.at(path.posix.basename(p)));
    } finally {
      parent.close();
    }
  };

  /** Classifies what is at `p` now (it appeared or was replaced) and reports it once. */
  const report = (p: string, stats: fs.Stats): void => {
    const hides = hiddenLayer(p);
    let change: UpperChange;
    if (isWhiteout(stats)) change = { action: 'whiteout', path: p, kind: 'other', time: Date.now(), ...(hides ? { hides } : {}) };
    // A new directory may carry the opaque mark too (overlay sets it on a rename): it hides something only when an image layer has the directory.
    else if (hides && stats.isDirectory() && isOpaque(p)) change = { action: 'opaque', path: p, kind: 'dir', time: Date.now(), hides };
    else if (hides) change = { action: 'copied-up', path: p, kind: kindOf(stats), time: Date.now(), hides };
    else change = { action: 'added', path: p, kind: kindOf(stats), time: Date.now() };
    const signature = `${change.action} ${stats.ino}`;
    if (lastReport.get(p)?.signature === signature) return;
    remember(lastReport, p, { signature, kind: change.kind });
    send(change);
  };

  const onEvent = (dirPath: string, event: string, name: string | Buffer | null): void => {
    if (closed || name === null) return;
    const base = typeof name === 'string' ? name : name.toString();
    // "." is the watched directory itself (its own attributes, or its removal): its parent's watch reports it.
    if (base === '.' || base.includes('/')) return;
    const p = path.posix.join(dirPath, base);
    try {
      const stats = statUpper(p);
      if (stats === null) {
        unwatch(p);
        const last = lastReport.get(p);
        if (last?.signature !== 'removed') {
          remember(lastReport, p, { signature: 'removed', kind: last?.kind ?? 'other' });
          send({ action: 'removed', path: p, kind: last?.kind ?? 'other', time: Date.now() });
        }
        return;
      }
      // A write or an attribute change of what the upper dir already holds: no copy-up, it is the container's copy.
      if (event === 'change' && !stats.isDirectory() && !isWhiteout(stats)) {
        const now = Date.now();
        if (now - (lastModified.get(p) ?? 0) < modifiedEveryMs) return;
        remember(lastModified, p, now);
        send({ action: 'modified', path: p, kind: kindOf(stats), time: now });
        return;
      }
      report(p, stats);
      if (stats.isDirectory()) watchDir(p, true);
    } catch (err) {
      finish(err);
    }
  };

  const onEngineEvent = ctx.events.subscribe((e) => {
    if (e.type === 'container' && e.action === 'destroy' && e.id === row.id) finish();
  });

  const finish = (err?: unknown) => {
    if (closed) return;
    closed = true;
    onEngineEvent();
    for (const watcher of watches.values()) watcher.close();
    watches.clear();
    cb.onEnd(err === undefined ? undefined : asEngineError(err).toPayload());
  };

  // What is there already is not reported (container.changes has it): only watched.
  try {
    watchDir('/', false);
  } catch (err) {
    finish(err);
    throw err;
  }
  return { send() {}, close: () => finish() };
}

/** Keeps per-path memory bounded: a container touching many paths forgets the oldest. */
function remember<V>(map: Map<string, V>, key: string, value: V): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > 10_000) map.delete(map.keys().next().value!);
}
