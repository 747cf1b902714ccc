// Test support for the app views: builds an image of several layers from
// described tar entries (files, directories, symlinks, hard links, whiteouts, opaque
// markers), with a history that mixes layer and metadata-only steps, the way
// a Dockerfile build would leave it. Used by the explore tests.

import { Readable } from 'node:stream';
import tar from 'tar-stream';
import { serializeConfig, type HistoryEntry } from '../oci/config';
import type { Store } from '../store/store';

export type LayerEntry =
  | { path: string; file: string | Buffer }
  | { path: string; dir: true }
  | { path: string; symlink: string }
  | { path: string; hardlink: string } // another name for an earlier file of the same layer
  | { path: string; whiteout: true }
  | { path: string; opaque: true };

export type Step = { layer: LayerEntry[]; createdBy: string } | { metadata: string };

async function layerTar(entries: LayerEntry[]): Promise<Buffer> {
  const pack = tar.pack();
  const mtime = new Date(0);
  for (const e of entries) {
    const name = e.path.replace(/^\//, '');
    const slash = name.lastIndexOf('/');
    const [dir, base] = slash < 0 ? ['', name] : [name.slice(0, slash + 1), name.slice(slash + 1)];
    if ('file' in e) pack.entry({ name, mode: 0o644, mtime }, e.file);
    else if ('dir' in e) pack.entry({ name, type: 'directory', mode: 0o755, mtime });
    else if ('symlink' in e) pack.entry({ name, type: 'symlink', linkname: e.symlink, mode: 0o777, mtime });
    else if ('hardlink' in e) pack.entry({ name, type: 'link', linkname: e.hardlink.replace(/^\//, ''), mode: 0o755, mtime });
    else if ('whiteout' in e) pack.entry({ name: `${dir}.wh.${base}`, mode: 0o644, mtime }, '');
    else pack.entry({ name: `${name}/.wh..wh..opq`, mode: 0o644, mtime }, '');
  }
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const c of pack) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** Stores the layers and an image config with their history; tags it `reference`. Returns the image id. */
export async function makeLayeredImage(store: Store, reference: string, steps: Step[]): Promise<string> {
  let parent: string | null = null;
  const diffIds: string[] = [];
  const history: HistoryEntry[] = [];
  const created = '2024-01-02T03:04:05Z';
  for (const step of steps) {
    if ('metadata' in step) {
      history.push({ created, created_by: `/bin/sh -c #(nop)  ${step.metadata}`, empty_layer: true });
      continue;
    }
    const layer = await store.layers.registerLayer(parent, Readable.from([await layerTar(step.layer)]));
    parent = layer.chainId;
    diffIds.push(layer.diffId);
    history.push({ created, created_by: step.createdBy });
  }
  const bytes = serializeConfig({
    architecture: 'amd64',
    os: 'linux',
    created,
    config: { Cmd: ['sh'] },
    rootfs: { type: 'layers', diff_ids: diffIds },
    history,
  });
  const { id } = store.images.createImage(bytes);
  store.images.tag(reference, id);
  return id;
}
