// `strata images`: a row per tag (or one `<none>` row), as docker's image
// formatter builds them, so the table and `--format json` match docker's.

import type { ImageSummary } from '../../api';
import { humanDuration, humanSize, humanSizeWithPrecision } from '../../humanize';
import { goTimeString } from '../gotime';
import { truncateId } from './list';

export const imagesTable = 'table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}';
export const imagesDigestsTable = 'table {{.Repository}}\t{{.Tag}}\t{{.Digest}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}';

export const imagesTitles: Record<string, string> = {
  ID: 'IMAGE ID',
  Repository: 'REPOSITORY',
  Tag: 'TAG',
  Digest: 'DIGEST',
  CreatedSince: 'CREATED',
  CreatedAt: 'CREATED AT',
  Size: 'SIZE',
  Containers: 'CONTAINERS',
  VirtualSize: 'VIRTUAL SIZE',
  SharedSize: 'SHARED SIZE',
  UniqueSize: 'UNIQUE SIZE',
};

/** The fields of `docker images --format '{{json .}}'`, keys in Go's (sorted) order. */
export interface ImageRow {
  Containers: string;
  CreatedAt: string;
  CreatedSince: string;
  Digest: string;
  ID: string;
  Repository: string;
  SharedSize: string;
  Size: string;
  Tag: string;
  UniqueSize: string;
  VirtualSize: string;
}

/** "localhost:5000/x:y" → ["localhost:5000/x", "y"]: the tag follows the last colon after the last slash. */
export function splitRepoTag(repoTag: string): [string, string] {
  const colon = repoTag.lastIndexOf(':');
  if (colon < 0 || colon < repoTag.lastIndexOf('/')) return [repoTag, ''];
  return [repoTag.slice(0, colon), repoTag.slice(colon + 1)];
}

/** docker.io/library/busybox:latest for busybox:latest: the order docker lists an image's tags in. */
function normalized(repoTag: string): string {
  const first = repoTag.split('/')[0];
  const hasDomain = repoTag.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (hasDomain) return repoTag;
  return repoTag.includes('/') ? `docker.io/${repoTag}` : `docker.io/library/${repoTag}`;
}

/** Docker's columns: when this store got an image (`added`, the app's) is not one of them. */
export function imageRows(images: readonly Omit<ImageSummary, 'added'>[], trunc: boolean, nowMs: number, digests = false): ImageRow[] {
  const rows: ImageRow[] = [];
  for (const image of [...images].sort((a, b) => b.created - a.created)) {
    const base = {
      Containers: image.containers < 0 ? 'N/A' : String(image.containers),
      CreatedAt: goTimeString(image.created),
      CreatedSince: image.created > 0 ? `${humanDuration(nowMs - image.created * 1000)} ago` : 'N/A',
      ID: trunc ? truncateId(image.id) : image.id,
      SharedSize: 'N/A',
      Size: humanSizeWithPrecision(image.size, 3),
      UniqueSize: 'N/A',
      VirtualSize: humanSize(image.size),
    };
    const add = (Repository: string, Tag: string, Digest: string) => rows.push(sortKeys({ ...base, Repository, Tag, Digest }));
    const repoDigests = image.repoDigests ?? [];
    if (image.repoTags.length === 0 && repoDigests.length === 0) {
      add('<none>', '<none>', '<none>');
      continue;
    }
    // docker's imageFormatTaggedAndDigest: a row per tag (per tag and digest of its repository with --digests),
    // then the repositories known only by digest.
    const byRepo = new Map<string, string[]>();
    for (const d of repoDigests) {
      const at = d.lastIndexOf('@');
      byRepo.set(d.slice(0, at), [...(byRepo.get(d.slice(0, at)) ?? []), d.slice(at + 1)]);
    }
    const tags = [...image.repoTags].sort((a, b) => (normalized(a) < normalized(b) ? -1 : normalized(a) > normalized(b) ? 1 : 0));
    const tagged = new Set<string>();
    for (const repoTag of tags) {
      const [Repository, Tag] = splitRepoTag(repoTag);
      tagged.add(Repository);
      const ds = digests ? (byRepo.get(Repository) ?? []) : [];
      if (ds.length === 0) add(Repository, Tag, '<none>');
      for (const d of ds) add(Repository, Tag, d);
    }
    for (const [repo, ds] of byRepo) {
      if (tagged.has(repo)) continue;
      if (digests) for (const d of ds) add(repo, '<none>', d);
      else add(repo, '<none>', '');
    }
  }
  return rows;
}

function sortKeys(row: ImageRow): ImageRow {
  const out = {} as Record<string, string>;
  for (const key of Object.keys(row).sort()) out[key] = row[key as keyof ImageRow];
  return out as unknown as ImageRow;
}
