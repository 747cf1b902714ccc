// Content digests as OCI writes them: "sha256:<64 lowercase hex>". Image ids,
// diff ids, chain ids and blob names are all digests; anything arriving from a
// user, a tar or a config is validated here before it becomes part of a path.

import { invalidArgument } from '../errors';

const digestPattern = /^sha256:[0-9a-f]{64}$/;

/** The digest of some bytes (a string is hashed as UTF-8). */
export function sha256Digest(data: Uint8Array | string): string {
  // node:crypto loads on the first hash, not with the store: a listing never hashes.
  return `sha256:${process.getBuiltinModule('node:crypto').createHash('sha256').update(data).digest('hex')}`;
}

export function isDigest(value: string): boolean {
  return digestPattern.test(value);
}

/** Throws InvalidArgument unless `value` is a sha256 digest; `what` names it in the message. */
export function checkDigest(value: string, what = 'digest'): string {
  if (!isDigest(value)) throw invalidArgument(`invalid ${what}: ${JSON.stringify(value)}`);
  return value;
}

/** The 64 hex characters of a validated digest (the file or dir name it is stored under). */
export function digestHex(digest: string, what = 'digest'): string {
  return checkDigest(digest, what).slice('sha256:'.length);
}

/** ChainID of `diffId` on top of the chain `parent` (null for a base layer), per the OCI image spec. */
export function chainId(parent: string | null, diffId: string): string {
  checkDigest(diffId, 'diff id');
  if (parent === null) return diffId;
  return sha256Digest(`${checkDigest(parent, 'chain id')} ${diffId}`);
}

/** The ChainID of every prefix of `diffIds` (base first), so the last one names the whole stack. */
export function chainIds(diffIds: readonly string[]): string[] {
  const out: string[] = [];
  for (const diffId of diffIds) out.push(chainId(out.length ? out[out.length - 1] : null, diffId));
  return out;
}
