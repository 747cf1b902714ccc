// Where a layer's compressed blob is known to exist: recorded when a pull
// downloads it or a push uploads it, read when a push decides whether the
// target registry has it already, can mount it from another repository, or
// must upload it (Docker's "v2 metadata"). A hint, never trusted: a push
// asks the registry before skipping anything.

import type { Db } from './db';
import { checkDigest } from '../oci/digest';

export interface LayerSource {
  diffId: string;
  digest: string;
  mediaType: string;
  size: number;
  registry: string; // host[:port]
  repository: string; // "library/ubuntu"
  /** A foreign layer's URLs (it is not pushed; its descriptor is). */
  urls: string[];
}

interface Row {
  diff_id: string;
  digest: string;
  media_type: string;
  size: number;
  registry: string;
  repository: string;
  urls: string;
}

export class LayerSources {
  private readonly putStmt;
  private readonly ofStmt;

  constructor(db: Db) {
    this.putStmt = db.prepare<[string, string, string, number, string, string, string, bigint]>(
      `INSERT INTO layer_sources (diff_id, digest, media_type, size, registry, repository, urls, added) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(diff_id, digest, registry, repository) DO UPDATE SET added = excluded.added`,
    );
    this.ofStmt = db.prepare<[string], Row>('SELECT * FROM layer_sources WHERE diff_id = ? ORDER BY added DESC');
  }

  record(s: LayerSource): void {
    this.putStmt.run(
      checkDigest(s.diffId, 'diff id'),
      checkDigest(s.digest, 'blob digest'),
      s.mediaType,
      s.size,
      s.registry,
      s.repository,
      s.urls.length ? JSON.stringify(s.urls) : '',
      BigInt(Date.now()) * 1_000_000n,
    );
  }

  /** Everything known of a layer's blobs, newest first. */
  of(diffId: string): LayerSource[] {
    return this.ofStmt.all(diffId).map((r) => ({
      diffId: r.diff_id,
      digest: r.digest,
      mediaType: r.media_type,
      size: r.size,
      registry: r.registry,
      repository: r.repository,
      urls: r.urls ? (JSON.parse(r.urls) as string[]) : [],
    }));
  }
}
