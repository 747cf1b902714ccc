// How the app writes ids, sizes and times: Docker's words (go-units), so the
// GUI reads like `strata images` and `strata ps` in the terminal next to it.

import { humanDuration, humanSizeWithPrecision } from '../../../engine/humanize';

/** The 12 hex characters Docker shows for an image or container id. */
export function shortId(id: string): string {
  const hex = id.startsWith('sha256:') ? id.slice(7) : id;
  return hex.slice(0, 12);
}

/** A digest shortened for a label: "sha256:3f2a9c1e0b7d". */
export function shortDigest(digest: string): string {
  const [algo, hex] = digest.includes(':') ? digest.split(':', 2) : ['sha256', digest];
  return `${algo}:${hex.slice(0, 12)}`;
}

/** `docker images` SIZE: three significant digits, decimal units ("1.98MB"). */
export function size(bytes: number): string {
  return humanSizeWithPrecision(bytes, 3);
}

/** "3 minutes ago" from unix seconds. */
export function ago(unixSeconds: number, nowMs = Date.now()): string {
  if (!unixSeconds) return '';
  return `${humanDuration(Math.max(0, nowMs - unixSeconds * 1000))} ago`;
}

/** "3 minutes ago" from an RFC 3339 time; '' when absent or Go's zero time. */
export function agoIso(iso: string, nowMs = Date.now()): string {
  const t = Date.parse(iso);
  if (!iso || Number.isNaN(t) || t <= 0) return '';
  return `${humanDuration(Math.max(0, nowMs - t))} ago`;
}

export function percent(ratio: number): string {
  if (!Number.isFinite(ratio)) return '—';
  const p = ratio * 100;
  return `${p >= 99.95 || p === 0 ? p.toFixed(0) : p.toFixed(1)}%`;
}

/** "name:tag" split for the REPOSITORY and TAG columns; dangling images are <none>. */
export function repoTag(ref: string | undefined): { repository: string; tag: string } {
  if (!ref) return { repository: '<none>', tag: '<none>' };
  const colon = ref.lastIndexOf(':');
  if (colon <= ref.lastIndexOf('/')) return { repository: ref, tag: 'latest' };
  return { repository: ref.slice(0, colon), tag: ref.slice(colon + 1) };
}

/** The history's created_by, as `docker history` shows it: the shell prefix of RUN dropped. */
export function instruction(createdBy: string): string {
  const s = createdBy.trim();
  const nop = /^\/bin\/sh -c #\(nop\)\s*/.exec(s);
  if (nop) return s.slice(nop[0].length).trim();
  const run = /^\/bin\/sh -c\s+/.exec(s);
  if (run) return `RUN ${s.slice(run[0].length)}`;
  return s;
}

/**
 * An image's dates as the app writes them: when its config says it was
 * created, and, when this store got it much later (a starter image whose
 * files are dated by the host's busybox, an old image loaded today), that too.
 */
export function imageDates(created: number, added: number, nowMs = Date.now()): { created: string; added?: string } {
  const made = ago(created, nowMs) || 'date not recorded';
  return added - created > 3600 ? { created: made, added: `added here ${ago(added, nowMs)}` } : { created: made };
}

/**
 * What a layer is called in the app: a commit's message (`commit -m`, the
 * history's comment) when it has one, since that says why the layer exists;
 * otherwise the instruction that made it. `by` is that instruction when the
 * message took the title.
 */
export function layerTitle(e: { createdBy: string; comment: string }): { title: string; by?: string } {
  const made = instruction(e.createdBy);
  if (e.comment.trim()) return made ? { title: e.comment.trim(), by: made } : { title: e.comment.trim() };
  return { title: made };
}
