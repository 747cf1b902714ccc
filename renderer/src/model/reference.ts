// Image names as a person types them: whether a name is one the engine
// takes as a tag, one `run` may pull, and one this store already has (as the
// engine would find it: Docker Hub's long names, ":latest" when no tag is
// given, an image id or the start of one).

import type { ImageSummary } from '../../../engine/api';

const component = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const pattern = new RegExp(`^(?:[a-zA-Z0-9.-]+(?::\\d+)?/)?${component}(?:/${component})*(?::[\\w][\\w.-]{0,127})?$`);
const fullId = /^(sha256:)?[0-9a-f]{64}$/;
const hex = /^(sha256:)?[0-9a-f]+$/;

/** [registry/]name[:tag], lower-case path components. */
export function isReference(text: string): boolean {
  return text.length <= 255 && pattern.test(text);
}

/** A name `run` pulls when the store lacks it (as `--pull missing`): a reference, or one pinned by digest; never an image id. */
export function isPullable(text: string): boolean {
  if (fullId.test(text)) return false;
  const at = text.indexOf('@');
  if (at < 0) return isReference(text);
  return isReference(text.slice(0, at)) && /^sha256:[0-9a-f]{64}$/.test(text.slice(at + 1));
}

/** Whether `text` names one of `images`. */
export function isLocalImage(images: readonly ImageSummary[], text: string): boolean {
  const familiar = text.replace(/^(?:docker\.io|index\.docker\.io|registry-1\.docker\.io)\/(?:library\/(?=[^/]+$))?/, '');
  const name = familiar.slice(familiar.lastIndexOf('/') + 1);
  const tagged = name.includes(':') || name.includes('@') ? familiar : `${familiar}:latest`;
  const idStart = hex.test(text) ? `sha256:${text.replace(/^sha256:/, '')}` : undefined;
  return images.some((i) => i.repoTags.includes(tagged) || (idStart !== undefined && i.id.startsWith(idStart)));
}
