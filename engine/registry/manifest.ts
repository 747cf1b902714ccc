// Manifests as registries serve them: Docker's v2 schema 2 manifest and
// manifest list, OCI's image manifest and index. Schema 1 is refused with
// Docker's words. The kind comes from the served Content-Type, else from
// the document's own mediaType, else from its shape. Everything in a
// manifest is checked before any of it names a file or a request.

import { invalidArgument, notFound } from '../errors';
import type { Descriptor, Platform } from '../image/archiveFormat';
import { isDigest } from '../oci/digest';
import { formatPlatform, normalizePlatform, platformRank, type PlatformSpec } from './platform';

export const manifestTypes = {
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  dockerLayer: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  dockerForeignLayer: 'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip',
} as const;

const schema1Types = ['application/vnd.docker.distribution.manifest.v1+prettyjws', 'application/vnd.docker.distribution.manifest.v1+json'];

/** Layer media types Strata pulls: Docker's, and OCI's plain, gzip and zstd, distributable or not. */
const layerTypes = new Set([
  manifestTypes.dockerLayer,
  manifestTypes.dockerForeignLayer,
  'application/vnd.oci.image.layer.v1.tar',
  'application/vnd.oci.image.layer.v1.tar+gzip',
  'application/vnd.oci.image.layer.v1.tar+zstd',
  'application/vnd.oci.image.layer.nondistributable.v1.tar',
  'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip',
  'application/vnd.oci.image.layer.nondistributable.v1.tar+zstd',
]);

export interface LayerDescriptor extends Descriptor {
  /** Where a foreign (non-distributable) layer may be fetched from instead of the registry. */
  urls?: string[];
}

export type ParsedManifest =
  | { kind: 'index'; mediaType: string; manifests: Descriptor[] }
  | { kind: 'image'; mediaType: string; config: Descriptor; layers: LayerDescriptor[] };

/** A foreign layer: Docker's foreign type or OCI's non-distributable ones. */
export function isForeignLayer(d: LayerDescriptor): boolean {
  return d.mediaType === manifestTypes.dockerForeignLayer || d.mediaType.includes('.nondistributable.');
}

export function schema1Refusal(name: string): Error {
  return invalidArgument(
    `Docker Image Format v1 and Docker Image manifest version 2, schema 1 support has been removed. Suggest the author of ${name} to upgrade the image to the OCI Format or Docker Image manifest v2, schema 2. More information at https://docs.docker.com/go/deprecated-image-specs/`,
  );
}

/** Parses a manifest; `name` is the reference it was fetched for (for messages). */
export function parseManifest(bytes: Buffer, servedType: string, name: string): ParsedManifest {
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    throw invalidArgument(`invalid manifest for ${name}: ${(err as Error).message}`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw invalidArgument(`invalid manifest for ${name}: not a JSON object`);
  const declared = typeof doc.mediaType === 'string' ? doc.mediaType : '';
  if (schema1Types.includes(servedType) || schema1Types.includes(declared) || doc.schemaVersion === 1) throw schema1Refusal(name);
  const known = (t: string) => (Object.values(manifestTypes) as string[]).includes(t);
  const type = [servedType, declared].find((t) => t && t !== 'application/json' && known(t)) ?? (Array.isArray(doc.manifests) ? manifestTypes.ociIndex : manifestTypes.ociManifest);
  if (declared && servedType && known(servedType) && known(declared) && declared !== servedType) {
    throw invalidArgument(`invalid manifest for ${name}: served as ${servedType} but says it is ${declared}`);
  }
  if (type === manifestTypes.dockerList || type === manifestTypes.ociIndex) {
    if (!Array.isArray(doc.manifests)) throw invalidArgument(`invalid manifest list for ${name}: no manifests`);
    return { kind: 'index', mediaType: type, manifests: doc.manifests.map((d) => checkDescriptor(d, name)) };
  }
  if (type !== manifestTypes.dockerManifest && type !== manifestTypes.ociManifest) {
    throw invalidArgument(`unsupported manifest media type ${type} for ${name}`);
  }
  if (!Array.isArray(doc.layers)) throw invalidArgument(`invalid manifest for ${name}: no layers`);
  const config = checkDescriptor(doc.config, name);
  const layers = doc.layers.map((d) => {
    const l = checkDescriptor(d, name) as LayerDescriptor;
    if (!layerTypes.has(l.mediaType)) throw invalidArgument(`unsupported layer media type ${l.mediaType} in the manifest for ${name}`);
    const urls = (d as { urls?: unknown }).urls;
    if (Array.isArray(urls)) l.urls = urls.filter((u): u is string => typeof u === 'string' && /^https?:\/\//.test(u));
    return l;
  });
  return { kind: 'image', mediaType: type, config, layers };
}

function checkDescriptor(d: unknown, name: string): Descriptor {
  const x = d as Partial<Descriptor> | null;
  if (typeof x?.digest !== 'string' || !isDigest(x.digest) || !Number.isSafeInteger(x.size) || (x.size as number) < 0 || typeof x.mediaType !== 'string') {
    throw invalidArgument(`invalid manifest for ${name}: bad descriptor ${JSON.stringify(d ?? null).slice(0, 200)} (only sha256 digests are supported)`);
  }
  const out: Descriptor = { mediaType: x.mediaType, digest: x.digest, size: x.size as number };
  if (x.platform && typeof x.platform.os === 'string' && typeof x.platform.architecture === 'string') {
    out.platform = { os: x.platform.os, architecture: x.platform.architecture, ...(typeof x.platform.variant === 'string' ? { variant: x.platform.variant } : {}) };
  }
  if (x.annotations && typeof x.annotations === 'object') out.annotations = x.annotations;
  return out;
}

/** The index entry for `wanted`: the best-ranked compatible platform, the first of equals. */
export function selectManifest(manifests: readonly Descriptor[], wanted: PlatformSpec): Descriptor {
  let best: { d: Descriptor; rank: number } | undefined;
  for (const d of manifests) {
    if (!d.platform) continue;
    const rank = platformRank(wanted, d.platform as Platform);
    if (rank >= 0 && (!best || rank < best.rank)) best = { d, rank };
  }
  if (!best) throw notFound(`no matching manifest for ${formatPlatform(normalizePlatform(wanted))} in the manifest list entries`);
  return best.d;
}
