// The engine's image operations over the content store: what the facade's
// image requests call, each recording its event. Also the read-only view of
// images the container runtime needs (ImageAccess).

import fs from 'node:fs';
import type { ImageSummary } from '../api';
import { invalidArgument } from '../errors';
import type { ImageInspect } from '../inspect';
import type { EnginePaths } from '../paths';
import type { ImageAccess } from '../runtime/context';
import type { Db } from '../store/db';
import { nowNanos, type EventLog } from '../store/events';
import { openStore, type Store } from '../store/store';
import { bootstrapImage } from './bootstrap';
import { importImage } from './import';

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
      layers: (id) => {
        const top = images.getImage(id).topLayer;
        return top ? layers.lowerDirs(top) : { shorts: [], dirs: [] };
      },
    };
  }

  count(): number {
    return this.store.images.listImages({ all: true }).length;
  }

  list(all: boolean): ImageSummary[] {
    return this.store.images.listImages({ all });
  }

  inspect(ref: string): ImageInspect {
    const { images, layers } = this.store;
    const image = images.resolveImage(ref);
    const c = image.config;
    const dirs = image.topLayer ? layers.lowerDirs(image.topLayer).dirs : [];
    return {
      Id: image.id,
      RepoTags: image.repoTags,
      RepoDigests: [],
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

  async importFile(a: { path: string; reference?: string; changes?: string[]; message?: string }): Promise<{ id: string }> {
    let input: fs.ReadStream;
    try {
      // Opened first so an unreadable path is a one-line error before anything is made.
      const fd = fs.openSync(a.path, 'r');
      input = fs.createReadStream('', { fd });
    } catch (err) {
      throw invalidArgument(`open ${a.path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (err as Error).message}`);
    }
    const { id, reference } = await importImage(this.store, { input, reference: a.reference, changes: a.changes, message: a.message });
    this.record('import', id, reference ? { name: reference } : {});
    if (reference) this.record('tag', id, { name: reference });
    return { id };
  }

  async bootstrap(reference?: string): Promise<{ id: string; reference: string }> {
    const made = await bootstrapImage(this.store, { reference });
    this.record('import', made.id, { name: made.reference });
    this.record('tag', made.id, { name: made.reference });
    return made;
  }

  private record(action: string, id: string, attributes: Record<string, string>): void {
    this.events.record({ type: 'image', action, id, time: nowNanos(), attributes });
  }
}
