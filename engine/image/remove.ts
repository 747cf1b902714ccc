// `docker rmi` with Docker's rules (daemon/images/image_delete.go):
//
// - By name: that tag is removed first. The last tag of an image a container
//   uses is kept unless forced. When tags remain, that is all.
// - By id: an image with exactly one tag loses it (if nothing conflicts).
// - Then the image itself goes, unless something conflicts. Hard conflicts
//   (a child image depends on it, a running or paused container uses it)
//   cannot be forced; soft ones (other tags, a stopped container) can.
//   After untagging by name, a conflict just leaves the untagged image.
// - The image's layers that no other image uses are deleted (reported by
//   chain id), and so is its parent when that is now an untagged image no
//   container uses (quietly, never forced), and so on up.
//
// One difference: Docker deletes an image a stopped container uses when
// forced, and the container keeps its layers. Strata's containers find their
// layers through their image, so the image stays (untagged, dangling) until
// the last container using it is removed; `image prune` then takes it.

import type { ImageDeleteItem } from '../api';
import { EngineError } from '../errors';
import { familiarName, familiarString, parseReference, withDefaultTag } from '../oci/reference';
import type { Store } from '../store/store';

export interface ImageUser {
  id: string;
  /** Running, paused or restarting: Docker's IsRunning. */
  running: boolean;
}

export interface RemoveDeps {
  store: Store;
  /** The containers made from an image. */
  usersOf(imageId: string): ImageUser[];
  /** Records an image event (untag, delete) as Docker logs it. */
  record(action: 'untag' | 'delete', imageId: string): void;
}

export interface RemoveOptions {
  force?: boolean;
  /** Keep untagged parents (`--no-prune`). */
  noPrune?: boolean;
}

const shortId = (id: string) => id.replace(/^sha256:/, '').slice(0, 12);

class DeleteConflict extends EngineError {
  constructor(
    imageId: string,
    readonly hard: boolean,
    readonly used: boolean,
    why: string,
  ) {
    super('Conflict', `conflict: unable to delete ${shortId(imageId)} (${hard ? 'cannot be forced' : 'must be forced'}) - ${why}`);
  }
}

/** Conflict kinds, as Docker's masks. */
const dependentChild = 1;
const runningContainer = 2;
const activeReference = 4;
const stoppedContainer = 8;
const hardConflicts = dependentChild | runningContainer;
const softConflicts = activeReference | stoppedContainer;

export function removeImage(deps: RemoveDeps, ref: string, opts: RemoveOptions = {}): ImageDeleteItem[] {
  const { images } = deps.store;
  const id = images.resolveId(ref);
  const force = !!opts.force;
  const items: ImageDeleteItem[] = [];
  let removedTag = false;
  if (!isIdPrefix(id, ref)) {
    const parsed = parseReference(ref);
    const name = familiarString(withDefaultTag(parsed));
    if (!force && refsOf(deps, id).length === 1) {
      const user = deps.usersOf(id)[0];
      if (user) {
        throw new EngineError(
          'Conflict',
          `conflict: unable to remove repository reference ${JSON.stringify(ref)} (must force) - container ${shortId(user.id)} is using its referenced image ${shortId(id)}`,
        );
      }
    }
    const { ref: untagged } = images.untag(name);
    deps.record('untag', id);
    items.push({ untagged });
    // The repository's last tag gone: its digest references go too, as Docker does.
    const repository = familiarName(parsed);
    if (parsed.digest === undefined && !images.tagsOf(id).some((t) => familiarName(parseReference(t)) === repository)) {
      for (const digested of images.repoDigestsOf(id)) {
        if (familiarName(parseReference(digested)) !== repository) continue;
        images.untag(digested);
        items.push({ untagged: digested });
      }
    }
    if (refsOf(deps, id).length > 0) return items;
    removedTag = true;
  } else if (refsOf(deps, id).length === 1) {
    const conflict = findConflict(deps, id, hardConflicts | (force ? 0 : softConflicts & ~activeReference));
    if (conflict) throw conflict;
    untagAll(deps, id, items);
  }
  deleteImage(deps, id, force, !opts.noPrune, removedTag, items);
  return items;
}

/** Docker's isImageIDPrefix: the user named the image by (a prefix of) its id. */
function isIdPrefix(id: string, ref: string): boolean {
  return id.startsWith(ref) || id.slice('sha256:'.length).startsWith(ref);
}

/** Tags and digest references ("name@sha256:…") of an image. */
function refsOf(deps: RemoveDeps, id: string): string[] {
  return [...deps.store.images.tagsOf(id), ...deps.store.images.repoDigestsOf(id)];
}

function untagAll(deps: RemoveDeps, id: string, items: ImageDeleteItem[]): void {
  for (const tag of refsOf(deps, id)) {
    deps.store.images.untag(tag);
    deps.record('untag', id);
    items.push({ untagged: tag });
  }
}

/**
 * Deletes the image when nothing conflicts (soft conflicts ignored when
 * forced), then its unused layers, then (prune) its parent. Quiet: a
 * conflict ends it silently unless the image is dangling and unused.
 */
function deleteImage(deps: RemoveDeps, id: string, force: boolean, prune: boolean, quiet: boolean, items: ImageDeleteItem[]): void {
  const { images, layers } = deps.store;
  const conflict = findConflict(deps, id, hardConflicts | (force ? 0 : softConflicts));
  if (conflict) {
    const dangling = refsOf(deps, id).length === 0 && images.children(id).length === 0;
    if (quiet && (!dangling || conflict.used)) return;
    throw conflict;
  }
  const image = images.getImage(id);
  untagAll(deps, id, items);
  // Forced past stopped containers: they still need the image's row (see the top of this file).
  if (deps.usersOf(id).length > 0) return;
  const chain = image.topLayer ? layers.layerChain(image.topLayer).map((l) => l.chainId) : [];
  images.deleteImage(id);
  deps.record('delete', id);
  items.push({ deleted: id });
  for (const layer of layers.removeUnusedLayers(chain)) items.push({ deleted: layer.chainId });
  if (prune && image.parent && images.has(image.parent)) deleteImage(deps, image.parent, false, true, true, items);
}

function findConflict(deps: RemoveDeps, id: string, mask: number): DeleteConflict | null {
  const { images } = deps.store;
  if (mask & dependentChild && images.children(id).length > 0) {
    return new DeleteConflict(id, true, false, 'image has dependent child images');
  }
  const users = mask & (runningContainer | stoppedContainer) ? deps.usersOf(id) : [];
  const running = users.find((u) => u.running);
  if (mask & runningContainer && running) {
    return new DeleteConflict(id, true, true, `image is being used by running container ${shortId(running.id)}`);
  }
  if (mask & activeReference && refsOf(deps, id).length > 0) {
    return new DeleteConflict(id, false, false, 'image is referenced in multiple repositories');
  }
  const stopped = users.find((u) => !u.running);
  if (mask & stoppedContainer && stopped) {
    return new DeleteConflict(id, false, true, `image is being used by stopped container ${shortId(stopped.id)}`);
  }
  return null;
}
