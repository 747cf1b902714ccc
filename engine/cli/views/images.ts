// `strata images`: a row per tag (or one `<none>` row), as docker's image
// formatter builds them, so the table and `--format json` match docker's.

import type { ImageSummary } from '../../api';
import { humanDuration, humanSize, humanSizeWithPrecision } from '../../humanize';
import { goTimeString } from '../gotime';
import { truncateId } from './list';

export const imagesTable = 'table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}';

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

export function imageRows(images: readonly ImageSummary[], trunc: boolean, nowMs: number): ImageRow[] {
  const rows: ImageRow[] = [];
  for (const image of [...images].sort((a, b) => b.created - a.created)) {
    const base = {
      Containers: image.containers < 0 ? 'N/A' : String(image.containers),
      CreatedAt: goTimeString(image.created),
      CreatedSince: `${humanDuration(nowMs - image.created * 1000)} ago`,
      Digest: '<none>',
      ID: trunc ? truncateId(image.id) : image.id,
      SharedSize: 'N/A',
      Size: humanSizeWithPrecision(image.size, 3),
      UniqueSize: 'N/A',
      VirtualSize: humanSize(image.size),
    };
    const tags = [...image.repoTags].sort((a, b) => (normalized(a) < normalized(b) ? -1 : normalized(a) > normalized(b) ? 1 : 0));
    if (tags.length === 0) rows.push(sortKeys({ ...base, Repository: '<none>', Tag: '<none>' }));
    for (const repoTag of tags) {
      const [Repository, Tag] = splitRepoTag(repoTag);
      rows.push(sortKeys({ ...base, Repository, Tag }));
    }
  }
  return rows;
}

function sortKeys(row: ImageRow): ImageRow {
  const out = {} as Record<string, string>;
  for (const key of Object.keys(row).sort()) out[key] = row[key as keyof ImageRow];
  return out as unknown as ImageRow;
}

/** `images REPOSITORY[:TAG]`: rows of that repository (and tag). */
export function matchesReference(row: ImageRow, reference: string): boolean {
  const [repo, tag] = splitRepoTag(reference);
  return row.Repository === repo && (tag === '' || row.Tag === tag);
}
