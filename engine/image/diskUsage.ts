// `docker system df`: what the engine root holds. Every layer is counted
// once however many images share it; an image's shared size is what of it
// other images use too; a container's size is its writable layer, counted as
// Docker's directory.Size does (every non-directory once per inode).

import type { DiskUsage, DiskUsageContainer } from '../api';
import { HeldDir } from '../fs/heldDir';
import type { ContainerRow } from '../store/containers';
import type { Store } from '../store/store';

export function diskUsage(store: Store, containers: ContainerRow[], upperDir: (id: string) => string): Omit<DiskUsage, 'volumes'> {
  const { images, layers } = store;
  const chains = new Map<string, Array<{ chainId: string; size: number }>>();
  const users = new Map<string, number>(); // chain id -> images using it
  for (const image of images.listImages({ all: true })) {
    const top = images.getImage(image.id).topLayer;
    const chain = top ? layers.layerChain(top).map((l) => ({ chainId: l.chainId, size: l.size })) : [];
    chains.set(image.id, chain);
    for (const l of chain) users.set(l.chainId, (users.get(l.chainId) ?? 0) + 1);
  }
  const layerSizes = new Map<string, number>();
  for (const chain of chains.values()) for (const l of chain) layerSizes.set(l.chainId, l.size);
  const containerCount = new Map<string, number>();
  for (const c of containers) containerCount.set(c.imageId, (containerCount.get(c.imageId) ?? 0) + 1);

  return {
    layersSize: [...layerSizes.values()].reduce((a, b) => a + b, 0),
    images: images.listImages().map((image) => {
      const chain = chains.get(image.id) ?? [];
      return {
        id: image.id,
        repoTags: image.repoTags,
        created: image.created,
        size: image.size,
        sharedSize: chain.filter((l) => (users.get(l.chainId) ?? 0) > 1).reduce((a, l) => a + l.size, 0),
        containers: containerCount.get(image.id) ?? 0,
      };
    }),
    containers: containers.map(
      (c): DiskUsageContainer => ({
        id: c.id,
        names: [c.name],
        image: c.imageRef,
        state: c.state,
        sizeRw: treeSize(upperDir(c.id)),
        created: Math.floor(c.created / 1e9),
      }),
    ),
  };
}

/**
 * Bytes of every non-directory under `dir`, each inode once (0 when the dir
 * is gone). A container may be rewriting it meanwhile: it is read through
 * held directories, so a symlink swapped in cannot make it count the host's.
 */
export function treeSize(dir: string): number {
  const seen = new Set<number>();
  let total = 0;
  const walk = (d: HeldDir): void => {
    for (const entry of d.entries()) {
      if (entry.isDirectory()) {
        d.withDir(entry.name, walk);
        continue;
      }
      const st = d.lstat(entry.name);
      if (st !== null && !st.isDirectory() && st.size > 0 && !seen.has(st.ino)) {
        seen.add(st.ino);
        total += st.size;
      }
    }
  };
  try {
    HeldDir.within(dir, walk);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  return total;
}
