// `build --cache-from`: images made elsewhere (pulled, loaded) as cache
// sources, as moby's image/cache ImageCache uses them. A step hits when a
// source's history, past its parent's, records the step (created_by equal to
// the step's command) and the source starts with the parent's history and
// layers; the image the step would have made is then put together from the
// parent and the source's layer for that step, without running anything. A
// local cache hit counts only when a source was built on it. After a miss
// the sources are done with; after a hit, the rest follows that source only.

import { serializeConfig, type OciImageConfig, type RunConfig } from '../oci/config';
import type { Store } from '../store/store';
import { findCachedStep } from './cache';

export class CacheFrom {
  private sources: string[];

  constructor(
    private readonly store: Store,
    refs: readonly string[],
    warn: (text: string) => void,
  ) {
    this.sources = [];
    for (const ref of refs) {
      try {
        this.sources.push(store.images.resolveId(ref));
      } catch (err) {
        // As dockerd: an image that is not here is skipped, with a warning.
        warn(`Could not look up ${ref} for cache resolution, skipping: ${(err as Error).message}`);
      }
    }
  }

  /** The cached image for a step on `parent` that ran with `probe`, or undefined. */
  find(parent: string | null, probe: RunConfig): string | undefined {
    const local = findCachedStep(this.store, parent, probe);
    if (local !== undefined && this.sources.some((s) => this.isAncestor(local, s))) return local;
    const parentConfig = parent ? this.config(parent) : undefined;
    const depth = parentConfig?.history?.length ?? 0;
    for (const source of this.sources) {
      const target = this.config(source);
      const history = target.history ?? [];
      if (!validParent(target, parentConfig) || (probe.Cmd ?? []).join(' ') !== (history[depth]?.created_by ?? '')) continue;
      this.sources = [source];
      if (history.length - 1 === depth) return source;
      return this.restore(parent, parentConfig, target, depth, probe);
    }
    this.sources = [];
    return undefined;
  }

  private config(id: string): OciImageConfig {
    return this.store.images.getImage(id).config;
  }

  /** Whether `ancestor` is `id` or one of the images it was built on. */
  private isAncestor(ancestor: string, id: string): boolean {
    for (let at = id; at; at = this.store.images.getImage(at).parent) if (at === ancestor) return true;
    return false;
  }

  /** The image a step would have made: the parent's history and layers, and the source's for this step (restoreCachedImage). */
  private restore(parent: string | null, parentConfig: OciImageConfig | undefined, target: OciImageConfig, depth: number, probe: RunConfig): string {
    const history = [...(parentConfig?.history ?? []), target.history![depth]];
    const diffIds = [...(parentConfig?.rootfs.diff_ids ?? [])];
    if (!target.history![depth].empty_layer) {
      const layerIndex = target.history!.slice(0, depth).filter((h) => !h.empty_layer).length;
      diffIds.push(target.rootfs.diff_ids[layerIndex]);
    }
    const config: OciImageConfig = {
      architecture: target.architecture,
      os: target.os,
      ...(target.author ? { author: target.author } : {}),
      ...(history.at(-1)!.created ? { created: history.at(-1)!.created } : {}),
      config: probe,
      rootfs: { type: 'layers', diff_ids: diffIds },
      history,
    };
    return this.store.images.createImage(serializeConfig(config), parent ? { parent } : {}).id;
  }
}

/** moby's isValidParent: the image starts with the parent's history and layers (any image, without a parent). */
function validParent(image: OciImageConfig, parent: OciImageConfig | undefined): boolean {
  const history = image.history ?? [];
  if (history.length === 0) return false;
  if (!parent || ((parent.history ?? []).length === 0 && parent.rootfs.diff_ids.length === 0)) return true;
  const parentHistory = parent.history ?? [];
  if (parentHistory.length >= history.length || parent.rootfs.diff_ids.length > image.rootfs.diff_ids.length) return false;
  return (
    parentHistory.every((h, i) => JSON.stringify(h) === JSON.stringify(history[i])) &&
    parent.rootfs.diff_ids.every((d, i) => d === image.rootfs.diff_ids[i])
  );
}
