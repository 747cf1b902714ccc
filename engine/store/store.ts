// The content side of the engine root, opened as one: blobs, layers and
// images over one database. Opening repairs what crashed writers left.

import { BlobStore } from './blobs';
import type { Db } from './db';
import { ImageStore } from './images';
import { LayerStore } from './layers';

export interface Store {
  root: string;
  db: Db;
  blobs: BlobStore;
  layers: LayerStore;
  images: ImageStore;
}

export function openStore(db: Db, root: string): Store {
  const layers = new LayerStore(db, root); // sweeps layer debris
  const images = new ImageStore(db, root);
  images.blobs.sweep();
  return { root, db, blobs: images.blobs, layers, images };
}
