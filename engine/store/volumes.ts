// Volumes (schema v2 in db.ts): a row per volume; its data is the directory
// volumes/<name>/_data under the engine root, as Docker's local driver lays it out.

import type { Db } from './db';

export interface VolumeRecord {
  name: string;
  driver: 'local';
  labels: Record<string, string>;
  options: Record<string, string>;
  /** Made for an image's VOLUME or a `-v /path`: removed with its container by `rm -v` and --rm. */
  anonymous: boolean;
  created: number; // unix ns
}

interface VolumeRow {
  name: string;
  driver: string;
  labels: string;
  options: string;
  anonymous: number;
  created: number;
}

const fromRow = (r: VolumeRow): VolumeRecord => ({
  name: r.name,
  driver: 'local',
  labels: JSON.parse(r.labels) as Record<string, string>,
  options: JSON.parse(r.options) as Record<string, string>,
  anonymous: r.anonymous === 1,
  created: r.created,
});

export class VolumeStore {
  private readonly stmts;

  constructor(db: Db) {
    this.stmts = {
      insert: db.prepare(
        `INSERT OR IGNORE INTO volumes (name, driver, labels, options, anonymous, created)
         VALUES (@name, @driver, @labels, @options, @anonymous, @created)`,
      ),
      get: db.prepare<[string], VolumeRow>('SELECT * FROM volumes WHERE name = ?'),
      all: db.prepare<[], VolumeRow>('SELECT * FROM volumes ORDER BY name'),
      remove: db.prepare<[string]>('DELETE FROM volumes WHERE name = ?'),
    };
  }

  /** Adds the volume; false when one of that name exists already (it is kept as it is). */
  insert(v: VolumeRecord): boolean {
    const info = this.stmts.insert.run({
      ...v,
      labels: JSON.stringify(v.labels),
      options: JSON.stringify(v.options),
      anonymous: v.anonymous ? 1 : 0,
    });
    return info.changes === 1;
  }

  get(name: string): VolumeRecord | undefined {
    const r = this.stmts.get.get(name);
    return r && fromRow(r);
  }

  list(): VolumeRecord[] {
    return this.stmts.all.all().map(fromRow);
  }

  remove(name: string): void {
    this.stmts.remove.run(name);
  }
}
