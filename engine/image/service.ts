// The engine's image operations over the content store: what the facade's
// image requests call, each recording its event. Also the read-only view of
// images the container runtime needs (ImageAccess).

import fs from 'node:fs';
import type { Readable } from 'node:stream';
import type {
  StarterSource,
  ByteChunk,
  CommitOptions,
  DiskUsage,
  ImageDeleteItem,
  ImageHistoryItem,
  ImagePruneReport,
  ImageSummary,
  LoadedImage,
  UploadInput,
  UploadMessage,
} from '../api';
import { isLive } from '../api';
import { invalidArgument } from '../errors';
import type { ImageInspect } from '../inspect';
import type { EnginePaths } from '../paths';
import type { StreamCallbacks, StreamHandle } from '../rpc/client';
import type { ImageAccess, RuntimeContext } from '../runtime/context';
import type { Db } from '../store/db';
import { nowNanos, type EventLog } from '../store/events';
import { openStore, type Store } from '../store/store';
import { lazy } from '../lazy';
import { streamBytes, writeToPath } from './outputFile';
import type { RemoveDeps } from './remove';

/** What `import` takes beside its input. */
interface ImportArg {
  reference?: string;
  changes?: string[];
  message?: string;
  platform?: string;
}

// Each operation's module loads on first use (the CLI's start-up budget).
const bootstrapModule = lazy(() => import('./bootstrap'));
const commitModule = lazy(() => import('./commit'));
const diskUsageModule = lazy(() => import('./diskUsage'));
const exportModule = lazy(() => import('./export'));
const historyModule = lazy(() => import('./history'));
const importModule = lazy(() => import('./import'));
const loadModule = lazy(() => import('./load'));
const listModule = lazy(() => import('./list'));
const pruneModule = lazy(() => import('./prune'));
const saveModule = lazy(() => import('./save'));
import type { SavedBlob } from './save';
const removeModule = lazy(() => import('./remove'));
const uploadModule = lazy(() => import('./uploadInput'));

export class ImageService {
  readonly store: Store;
  readonly access: ImageAccess;

  constructor(
    db: Db,
    private readonly paths: EnginePaths,
    private readonly events: EventLog,
  ) {
    this.store = openStore(db, paths.root);
    const { images, layers } = this.store;
    this.access = {
      resolve: (ref) => images.resolveId(ref),
      config: (id) => images.getImage(id).config,
      children: (id) => images.children(id),
      size: (id) => images.imageSize(id),
      layers: (id) => {
        const top = images.getImage(id).topLayer;
        return top ? layers.lowerDirs(top) : { shorts: [], dirs: [] };
      },
    };
  }

  count(): number {
    return this.store.images.count();
  }

  async list(opts: { all?: boolean; filters?: Record<string, string[]> }): Promise<ImageSummary[]> {
    return (await listModule()).listImages(this.store.images, opts);
  }

  inspect(ref: string): ImageInspect {
    const { images, layers } = this.store;
    const image = images.resolveImage(ref);
    const c = image.config;
    const dirs = image.topLayer ? layers.lowerDirs(image.topLayer).dirs : [];
    return {
      Id: image.id,
      RepoTags: image.repoTags,
      RepoDigests: images.repoDigestsOf(image.id),
      Parent: image.parent,
      Comment: c.comment ?? c.history?.at(-1)?.comment ?? '',
      Created: c.created ?? '',
      Author: c.author ?? '',
      Config: c.config ?? {},
      Architecture: c.architecture,
      Os: c.os,
      Size: images.imageSize(image.id),
      GraphDriver: {
        Name: 'overlay2',
        Data: {
          ...(dirs.length > 1 ? { LowerDir: dirs.slice(1).join(':') } : {}),
          UpperDir: dirs[0] ?? '',
          MergedDir: '',
          WorkDir: '',
        },
      },
      RootFS: { Type: 'layers', Layers: c.rootfs.diff_ids },
      Metadata: { LastTagTime: '' },
    };
  }

  async importFile(a: { path: string } & ImportArg): Promise<{ id: string }> {
    return this.importFrom(openInput(a.path), a);
  }

  /** `import` of a tarball the app uploads in pieces. */
  async importStream(a: ImportArg, cb: StreamCallbacks<UploadMessage<{ id: string }>>): Promise<StreamHandle<UploadInput>> {
    return (await uploadModule()).receiveUpload((input) => this.importFrom(input, a), cb);
  }

  private async importFrom(input: Readable, a: ImportArg): Promise<{ id: string }> {
    const { id, reference } = await (await importModule()).importImage(this.store, { input, reference: a.reference, changes: a.changes, message: a.message, platform: a.platform });
    this.record('import', id, reference ? { name: reference } : {});
    if (reference) this.record('tag', id, { name: reference });
    return { id };
  }

  async starterSource(): Promise<StarterSource> {
    return (await bootstrapModule()).starterSource();
  }

  async bootstrap(reference?: string): Promise<{ id: string; reference: string; warning?: string }> {
    const made = await (await bootstrapModule()).bootstrapImage(this.store, { reference });
    this.record('import', made.id, { name: made.reference });
    this.record('tag', made.id, { name: made.reference });
    return made;
  }

  /** `commit`: the container's writable layer as a new image (events: the container's commit, the tag). */
  async commit(ctx: RuntimeContext, opts: CommitOptions): Promise<{ imageId: string }> {
    const made = await (await commitModule()).commitContainer(ctx, this.store, opts);
    if (made.reference) this.record('tag', made.id, { name: made.reference });
    return { imageId: made.id };
  }

  async history(ref: string): Promise<ImageHistoryItem[]> {
    return (await historyModule()).imageHistory(this.store, ref);
  }

  tag(source: string, target: string): void {
    const id = this.store.images.resolveId(source);
    const { ref } = this.store.images.tag(target, id);
    this.record('tag', id, { name: ref });
  }

  async remove(ctx: RuntimeContext, a: { ref: string; force?: boolean; noPrune?: boolean }): Promise<ImageDeleteItem[]> {
    return (await removeModule()).removeImage(this.removeDeps(ctx), a.ref, a);
  }

  async prune(ctx: RuntimeContext, opts: { all?: boolean; filters?: Record<string, string[]> }): Promise<ImagePruneReport> {
    const report = (await pruneModule()).pruneImages(this.removeDeps(ctx), opts);
    this.record('prune', '', { reclaimed: String(report.spaceReclaimed) });
    return report;
  }

  async diskUsage(ctx: RuntimeContext): Promise<Omit<DiskUsage, 'volumes'>> {
    return (await diskUsageModule()).diskUsage(this.store, ctx.containers.list(true), (id) => `${ctx.paths.containerDir(id)}/upper`);
  }

  async saveFile(refs: string[], path: string): Promise<void> {
    const plan = await (await saveModule()).planSave(this.store, refs);
    try {
      for (const image of plan.images) this.record('save', image.id, { name: image.id });
      await writeToPath(path, plan.archive((blob) => this.recordBlob(blob)));
    } finally {
      await plan.dispose();
    }
  }

  saveStream(refs: string[], cb: StreamCallbacks<ByteChunk>): StreamHandle<never> {
    return streamBytes(async () => {
      const plan = await (await saveModule()).planSave(this.store, refs);
      for (const image of plan.images) this.record('save', image.id, { name: image.id });
      return { chunks: plan.archive((blob) => this.recordBlob(blob)), done: plan.dispose };
    }, cb);
  }

  /** `load`: every image of an archive at `path` (may be /dev/stdin). */
  async load(path: string): Promise<LoadedImage[]> {
    return this.loadFrom(openInput(path));
  }

  /** `load` of an archive the app uploads in pieces. */
  async loadStream(cb: StreamCallbacks<UploadMessage<LoadedImage[]>>): Promise<StreamHandle<UploadInput>> {
    return (await uploadModule()).receiveUpload((input) => this.loadFrom(input), cb);
  }

  private async loadFrom(input: Readable): Promise<LoadedImage[]> {
    const loaded = await (await loadModule()).loadImages(this.store, input);
    for (const image of loaded) this.record('load', image.id, { name: image.id });
    return loaded;
  }

  async exportFile(ctx: RuntimeContext, id: string, path: string): Promise<void> {
    await writeToPath(path, (await exportModule()).exportContainer(ctx, id));
  }

  exportStream(ctx: RuntimeContext, id: string, cb: StreamCallbacks<ByteChunk>): StreamHandle<never> {
    return streamBytes(async () => ({ chunks: (await exportModule()).exportContainer(ctx, id) }), cb);
  }

  /** What rmi and prune need to know of containers, and how they record events. */
  private removeDeps(ctx: RuntimeContext): RemoveDeps {
    const rows = ctx.containers.list(true);
    return {
      store: this.store,
      usersOf: (imageId) =>
        rows
          .filter((c) => c.imageId === imageId)
          .map((c) => ({ id: c.id, running: isLive(c.state) })),
      record: (action, imageId) => this.record(action, imageId, { name: imageId }),
    };
  }

  private record(action: string, id: string, attributes: Record<string, string>): void {
    this.events.record({ type: 'image', action, id, time: nowNanos(), attributes });
  }

  /** The `save` kernel step: a blob written into the archive, with the digest it was checked against. */
  private recordBlob(blob: SavedBlob): void {
    const detail = { digest: blob.digest, kind: blob.kind, path: blob.path, size: String(blob.size), command: `sha256sum ${blob.path}` };
    this.events.record({ type: 'kernel', step: 'save', id: blob.image, time: nowNanos(), detail });
  }
}

/**
 * Opened at once, so an unreadable path is a one-line error before anything
 * is made. /dev/stdin is the standard input of the process the engine runs
 * in (the CLI's), read as Node reads it: it may be a socket, which cannot be
 * opened by path, or non-blocking.
 */
function openInput(path: string): Readable {
  if (path === '/dev/stdin') return process.stdin;
  try {
    const fd = fs.openSync(path, 'r');
    return fs.createReadStream('', { fd, highWaterMark: 1 << 20 });
  } catch (err) {
    throw invalidArgument(`open ${path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (err as Error).message}`);
  }
}
