// The engine's metadata database: one SQLite file (strata.db) in WAL mode so
// the CLI, the app and `strata events` can read while another process writes.
// The schema is versioned with PRAGMA user_version; each migration runs once,
// in a transaction, in order. Content (layer files, configs) lives on disk
// under the root; SQLite holds what points at it.
//
// Schema (version 1):
//   layers      one row per unpacked layer dir: layers/<chain hex>/diff
//     chain_id  sha256:<hex> ChainID (OCI image spec), primary key
//     diff_id   sha256:<hex> of the uncompressed layer tar
//     parent    chain_id of the layer below, NULL for a base layer
//     short     26-char name of the symlink layers/l/<short> -> ../<hex>/diff
//     size      bytes of the unpacked files
//   images      one row per image config stored in blobs/sha256/<hex>
//     id        sha256:<hex> of the config bytes
//     top_layer chain_id of its top layer, NULL for an image with no layers
//     parent    id of the image it was committed or built on, '' when none
//     created   unix nanoseconds from config.created
//   tags        ref ("name:tag", familiar form) -> image id
//   containers  one row per container; config is the JSON the engine made at
//               create (Config + HostConfig); state columns are Docker's
//   events      every state change, in order; seq is the stream's cursor
//
// Version 2 (registries):
//   repo_digests   ref ("name@sha256:<manifest hex>", familiar form) -> image
//                  id: the manifests an image was pulled or pushed as (RepoDigests)
//   layer_sources  where a layer's compressed blob is known to be: its digest,
//                  media type and size, at which registry and repository (and,
//                  for a foreign layer, its URLs), so a push can skip or mount it
//
// Version 3 (networks and volumes):
//   networks    one row per network: the predefined bridge, host and none, and
//               user networks; bridge is the host's bridge interface, subnet
//               and gateway IPv4 ("10.66.0.0/16", "10.66.0.1"), labels and
//               options JSON objects
//   endpoints   a running container's place on a network: its address (the
//               IPAM's allocation, unique per network), its interface in the
//               container (eth0...), the ports published through it (the
//               netavark port_mappings JSON) and the pid of the process that
//               allocated it (a crashed start's rows are known by it); gone
//               when the container stops
//   volumes     named and anonymous volumes: volumes/<name>/_data; labels and
//               options JSON objects; anonymous ones go with `rm -v` and --rm
//
// Version 4 (restart policies, crash safety):
//   containers.restart_count     Docker's RestartCount: restarts the monitor made
//                                since the last start by a user (or boot)
//   containers.manually_stopped  Docker's HasBeenManuallyStopped: stop or kill
//                                was used since that start (boot leaves an
//                                unless-stopped container down)
//   containers.monitor_offset    bytes of run/<id>/kernel.jsonl already turned
//                                into events and state (restarts, health)
//   layers.writer                who registered the layer ("pid:start time"):
//                                a layer no image uses yet is a load, pull,
//                                commit or build in progress while its writer
//                                lives, and debris once it is gone

import Database from 'better-sqlite3';

export type Db = Database.Database;

const migrations: string[] = [
  `
  CREATE TABLE layers (
    chain_id TEXT PRIMARY KEY,
    diff_id  TEXT NOT NULL,
    parent   TEXT REFERENCES layers(chain_id),
    short    TEXT NOT NULL UNIQUE,
    size     INTEGER NOT NULL,
    created  INTEGER NOT NULL
  );
  CREATE INDEX layers_parent ON layers(parent);

  CREATE TABLE images (
    id        TEXT PRIMARY KEY,
    top_layer TEXT REFERENCES layers(chain_id),
    parent    TEXT NOT NULL DEFAULT '',
    created   INTEGER NOT NULL,
    added     INTEGER NOT NULL
  );
  CREATE INDEX images_parent ON images(parent);
  CREATE INDEX images_top_layer ON images(top_layer);

  CREATE TABLE tags (
    ref      TEXT PRIMARY KEY,
    image_id TEXT NOT NULL REFERENCES images(id),
    tagged   INTEGER NOT NULL
  );
  CREATE INDEX tags_image ON tags(image_id);

  CREATE TABLE containers (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    image_id    TEXT NOT NULL REFERENCES images(id),
    image_ref   TEXT NOT NULL,
    config      TEXT NOT NULL,
    state       TEXT NOT NULL,
    pid         INTEGER NOT NULL DEFAULT 0,
    monitor_pid INTEGER NOT NULL DEFAULT 0,
    exit_code   INTEGER NOT NULL DEFAULT 0,
    error       TEXT NOT NULL DEFAULT '',
    created     INTEGER NOT NULL,
    started_at  INTEGER NOT NULL DEFAULT 0,
    finished_at INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX containers_image ON containers(image_id);
  CREATE INDEX containers_state ON containers(state);

  CREATE TABLE events (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    time       INTEGER NOT NULL,
    type       TEXT NOT NULL,
    action     TEXT NOT NULL,
    id         TEXT NOT NULL,
    attributes TEXT NOT NULL
  );
  `,
  `
  CREATE TABLE repo_digests (
    ref      TEXT PRIMARY KEY,
    image_id TEXT NOT NULL REFERENCES images(id),
    added    INTEGER NOT NULL
  );
  CREATE INDEX repo_digests_image ON repo_digests(image_id);

  CREATE TABLE layer_sources (
    diff_id    TEXT NOT NULL,
    digest     TEXT NOT NULL,
    media_type TEXT NOT NULL,
    size       INTEGER NOT NULL,
    registry   TEXT NOT NULL,
    repository TEXT NOT NULL,
    urls       TEXT NOT NULL DEFAULT '',
    added      INTEGER NOT NULL,
    PRIMARY KEY (diff_id, digest, registry, repository)
  );
  `,
  `
  CREATE TABLE networks (
    id       TEXT PRIMARY KEY,
    name     TEXT NOT NULL UNIQUE,
    driver   TEXT NOT NULL,
    bridge   TEXT NOT NULL DEFAULT '',
    subnet   TEXT NOT NULL DEFAULT '',
    gateway  TEXT NOT NULL DEFAULT '',
    internal INTEGER NOT NULL DEFAULT 0,
    dns      INTEGER NOT NULL DEFAULT 0,
    labels   TEXT NOT NULL DEFAULT '{}',
    options  TEXT NOT NULL DEFAULT '{}',
    created  INTEGER NOT NULL
  );

  CREATE TABLE endpoints (
    network_id   TEXT NOT NULL REFERENCES networks(id),
    container_id TEXT NOT NULL REFERENCES containers(id) ON DELETE CASCADE,
    ip           TEXT NOT NULL,
    interface    TEXT NOT NULL,
    ports        TEXT NOT NULL DEFAULT '[]',
    pid          INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (network_id, container_id),
    UNIQUE (network_id, ip),
    UNIQUE (container_id, interface)
  );
  CREATE INDEX endpoints_container ON endpoints(container_id);

  CREATE TABLE volumes (
    name      TEXT PRIMARY KEY,
    driver    TEXT NOT NULL,
    labels    TEXT NOT NULL DEFAULT '{}',
    options   TEXT NOT NULL DEFAULT '{}',
    anonymous INTEGER NOT NULL DEFAULT 0,
    created   INTEGER NOT NULL
  );
  `,
  `
  ALTER TABLE containers ADD COLUMN restart_count INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE containers ADD COLUMN manually_stopped INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE containers ADD COLUMN monitor_offset INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE layers ADD COLUMN writer TEXT NOT NULL DEFAULT '';
  `,
];

export const schemaVersion = migrations.length;

/** Opens (creating if needed) and migrates the database at `file`. */
export function openDb(file: string): Db {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 10000');
  db.pragma('foreign_keys = ON');
  migrate(db);
  return db;
}

function migrate(db: Db): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > migrations.length) {
    throw new Error(`strata.db has schema version ${current}, newer than this strata (${migrations.length})`);
  }
  for (let v = current; v < migrations.length; v++) {
    // IMMEDIATE: two processes opening a new root at once must not both migrate.
    db.transaction(() => {
      const now = db.pragma('user_version', { simple: true }) as number;
      if (now !== v) return;
      db.exec(migrations[v]);
      db.pragma(`user_version = ${v + 1}`);
    }).immediate();
  }
}
