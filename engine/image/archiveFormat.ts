// The shapes of image archives, as Docker, containerd and skopeo write them:
// Docker's manifest.json and repositories, the OCI image layout's oci-layout,
// index.json, image manifests and descriptors. Shared by save and load.

/** docker save's manifest.json: one item per image. */
export interface ManifestItem {
  /** Path of the config in the archive: "blobs/sha256/<hex>" (25+), "<hex>.json" (legacy, skopeo). */
  Config: string;
  /** Familiar or full references ("busybox:latest", "docker.io/library/busybox:latest"); null when untagged. */
  RepoTags: string[] | null;
  /** Paths of the layer tars, base first: "blobs/sha256/<diffid>", "<v1id>/layer.tar", "<hex>.tar". */
  Layers: string[];
  /** The image's parent, when the archive holds it too. */
  Parent?: string;
}

export interface Platform {
  architecture: string;
  os: string;
  variant?: string;
}

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
  platform?: Platform;
}

export interface OciManifest {
  schemaVersion: 2;
  mediaType?: string;
  config: Descriptor;
  layers: Descriptor[];
}

export interface OciIndex {
  schemaVersion: 2;
  mediaType?: string;
  manifests: Descriptor[];
}

export const mediaTypes = {
  index: 'application/vnd.oci.image.index.v1+json',
  manifest: 'application/vnd.oci.image.manifest.v1+json',
  config: 'application/vnd.oci.image.config.v1+json',
  layer: 'application/vnd.oci.image.layer.v1.tar',
  dockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
} as const;

/** containerd's annotation: the full reference an index entry stands for. */
export const imageNameAnnotation = 'io.containerd.image.name';
/** OCI's annotation: the tag (Docker writes the tag; other tools a whole reference). */
export const refNameAnnotation = 'org.opencontainers.image.ref.name';

export const ociLayoutFile = 'oci-layout';
export const ociLayoutContent = '{"imageLayoutVersion":"1.0.0"}';
export const indexFile = 'index.json';
export const manifestFile = 'manifest.json';
export const repositoriesFile = 'repositories';

/** "blobs/sha256/<hex>" for a digest. */
export function blobPath(digest: string): string {
  return `blobs/${digest.replace(':', '/')}`;
}
