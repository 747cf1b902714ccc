// `docker export`: a container's file system as the container sees it, one
// flat tar with no layers, whiteouts or image metadata: its writable layer,
// its init layer (the mount points the launcher binds onto, empty, as in
// Docker's export) and its image's layers, merged by overlay's rules.
// Unlike `save`, nothing in it says how the files came to be: `import` of
// it gives a one-layer image.

import type { Readable } from 'node:stream';
import { packTree } from '../fs/tarPack';
import { containerEvent, findContainer, type RuntimeContext } from '../runtime/context';
import { containerLayerDirs } from '../runtime/prepare';

export function exportContainer(ctx: RuntimeContext, ref: string): Readable {
  const row = findContainer(ctx, ref);
  const tar = packTree(containerLayerDirs(ctx, row));
  containerEvent(ctx, row, 'export');
  return tar;
}
