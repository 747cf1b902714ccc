// `strata history` rows, as the docker CLI's history formatter builds them,
// so the table and `--format json` read as docker's.

import type { ImageHistoryItem } from '../../api';
import { humanDuration, humanSizeWithPrecision } from '../../humanize';
import { ellipsis, truncateId } from './list';

export const historyTitles = (human: boolean): Record<string, string> => ({
  ID: 'IMAGE',
  CreatedSince: human ? 'CREATED' : 'CREATED AT',
  CreatedAt: 'CREATED AT',
  CreatedBy: 'CREATED BY',
  Size: 'SIZE',
  Comment: 'COMMENT',
});

export const historyTable = 'table {{.ID}}\t{{.CreatedSince}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}';

/** The fields of `docker history --format '{{json .}}'`, keys in Go's (sorted) order. */
export interface HistoryRow {
  Comment: string;
  CreatedAt: string;
  CreatedBy: string;
  CreatedSince: string;
  ID: string;
  Size: string;
}

const two = (n: number) => String(n).padStart(2, '0');

/** Go's time.Unix(s, 0).Format(time.RFC3339), in the local zone. */
export function rfc3339(unixSeconds: number): string {
  const d = new Date(unixSeconds * 1000);
  const offset = -d.getTimezoneOffset();
  const zone = offset === 0 ? 'Z' : `${offset > 0 ? '+' : '-'}${two(Math.floor(Math.abs(offset) / 60))}:${two(Math.abs(offset) % 60)}`;
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}T${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}${zone}`;
}

export function historyRows(items: readonly ImageHistoryItem[], o: { trunc: boolean; human: boolean; nowMs: number }): HistoryRow[] {
  return items.map((h) => {
    const createdBy = h.createdBy.replace(/\t/g, ' ');
    return {
      Comment: h.comment,
      CreatedAt: rfc3339(h.created),
      CreatedBy: o.trunc ? ellipsis(createdBy, 45) : createdBy,
      CreatedSince: o.human ? `${humanDuration(o.nowMs - h.created * 1000)} ago` : rfc3339(h.created),
      ID: o.trunc ? truncateId(h.id) : h.id,
      Size: o.human ? humanSizeWithPrecision(h.size, 3) : String(h.size),
    };
  });
}
