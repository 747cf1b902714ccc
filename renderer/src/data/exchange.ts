// Image exchange from the app: commit a container, tag and remove images,
// and the two byte streams that become files: save an image, export a
// container. Files go through the shell (a save dialog in Electron, a
// download in the browser), which streams the engine's bytes to disk.

import type { ImageDeleteItem, StreamName } from '../../../engine/api';
import { EngineError } from '../../../engine/errors';
import type { AppClient } from './EngineContext';

export interface CommitForm {
  reference?: string;
  message?: string;
  author?: string;
}

/** `strata commit`: the container's writable layer becomes a new read-only layer of a new image. */
export function commitContainer(client: AppClient, o: CommitForm & { id: string }): Promise<{ imageId: string }> {
  return client.call('container.commit', {
    id: o.id,
    ...(o.reference ? { reference: o.reference } : {}),
    ...(o.message ? { message: o.message } : {}),
    ...(o.author ? { author: o.author } : {}),
  });
}

/** `strata tag SOURCE TARGET`: one more name for the same image (no layer is copied). */
export function tagImage(client: AppClient, source: string, target: string): Promise<void> {
  return client.call('image.tag', { source, target });
}

/** `strata rmi [-f]`: untags, and deletes the image and its unused layers when no name is left. */
export function removeImage(client: AppClient, ref: string, force = false): Promise<ImageDeleteItem[]> {
  return client.call('image.remove', force ? { ref, force } : { ref });
}

/** What `rmi` prints, on one line: "Untagged: app:v1 · Deleted: sha256:3f2a…". */
export function describeRemoval(items: readonly ImageDeleteItem[]): string {
  return items.map((i) => ('untagged' in i ? `Untagged: ${i.untagged}` : `Deleted: ${i.deleted.slice(0, 19)}…`)).join(' · ');
}

/** `strata save -o FILE IMAGE`: every layer and its metadata, as one archive. */
export function saveImage(client: AppClient, ref: string, file: string): Promise<string> {
  return saveStreamAs(client, 'image.save', { refs: [ref] }, file);
}

/** `strata export -o FILE CONTAINER`: the merged file system as one flat tar, no layers, no metadata. */
export function exportContainer(client: AppClient, id: string, file: string): Promise<string> {
  return saveStreamAs(client, 'container.export', { id }, file);
}

async function saveStreamAs(client: AppClient, name: StreamName, arg: unknown, file: string): Promise<string> {
  if (!client.saveStream) throw new EngineError('Unavailable', 'this shell cannot save files');
  const outcome = await client.saveStream(name, arg, file);
  if (outcome.kind === 'cancelled') return 'cancelled';
  return outcome.kind === 'saved' ? `saved to ${outcome.path}` : `downloading ${file}`;
}

/** `strata push NAME`: the image's layers, config and manifest to its registry; resolves to Docker's last line. */
export function pushImage(client: AppClient, name: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let last = '';
    client.open('image.push', { reference: name }, {
      onMessage(m) {
        if (m.type === 'pushed') last = `${m.tag}: digest: ${m.digest} size: ${m.size}`;
      },
      onEnd(error) {
        if (error) reject(EngineError.fromPayload(error));
        else resolve(last);
      },
    });
  });
}
