// Container and image names for completion, read straight from the store's
// database, read-only: no engine is opened, nothing is reconciled or
// written, and a TAB costs one query. Nothing when the store cannot be read.

import { enginePaths } from '../../paths';

export interface StoreNames {
  containers: Array<{ name: string; state: string }>;
  /** Tags ("name:tag"), newest image first. */
  images: string[];
}

export function storeNames(env: NodeJS.ProcessEnv): StoreNames {
  try {
    const Database = require('better-sqlite3') as typeof import('better-sqlite3');
    const db = new Database(enginePaths(env.STRATA_ROOT || undefined).db, { readonly: true, fileMustExist: true });
    try {
      return {
        containers: db.prepare('SELECT name, state FROM containers ORDER BY created DESC').all() as StoreNames['containers'],
        images: (db.prepare('SELECT t.ref FROM tags t JOIN images i ON i.id = t.image_id ORDER BY i.created DESC, t.ref').all() as { ref: string }[]).map((r) => r.ref),
      };
    } finally {
      db.close();
    }
  } catch {
    return { containers: [], images: [] };
  }
}
