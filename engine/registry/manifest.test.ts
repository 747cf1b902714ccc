import { describe, expect, it } from 'vitest';
import { parseManifest, selectManifest } from './manifest';
import { parsePlatform } from './platform';

const d = (n: string) => `sha256:${n.repeat(64)}`;

describe('manifests', () => {
  it('refuses schema 1 with Docker’s words', () => {
    const body = Buffer.from(JSON.stringify({ schemaVersion: 1, name: 'library/busybox', tag: '1.0', fsLayers: [] }));
    expect(() => parseManifest(body, 'application/vnd.docker.distribution.manifest.v1+prettyjws', 'busybox:1.0')).toThrow(
      'Docker Image Format v1 and Docker Image manifest version 2, schema 1 support has been removed. Suggest the author of busybox:1.0 to upgrade the image to the OCI Format or Docker Image manifest v2, schema 2. More information at https://docs.docker.com/go/deprecated-image-specs/',
    );
  });

  it('reads OCI and Docker manifests, keeps foreign layers’ URLs, refuses bad descriptors', () => {
    const m = parseManifest(
      Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: d('a'), size: 2 },
          layers: [
            { mediaType: 'application/vnd.oci.image.layer.v1.tar+zstd', digest: d('b'), size: 3 },
            { mediaType: 'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip', digest: d('c'), size: 4, urls: ['https://example.com/x', 'file:///etc/passwd'] },
          ],
        }),
      ),
      'application/vnd.oci.image.manifest.v1+json',
      'x',
    );
    expect(m).toMatchObject({ kind: 'image', layers: [{ digest: d('b') }, { digest: d('c'), urls: ['https://example.com/x'] }] });
    const bad = { schemaVersion: 2, config: { mediaType: 'x', digest: 'sha256:../../etc', size: 1 }, layers: [] };
    expect(() => parseManifest(Buffer.from(JSON.stringify(bad)), '', 'x')).toThrow(/bad descriptor/);
  });

  it('selects platforms as containerd does', () => {
    const list = [
      { mediaType: 'm', digest: d('1'), size: 1, platform: { os: 'linux', architecture: 'arm', variant: 'v7' } },
      { mediaType: 'm', digest: d('2'), size: 1, platform: { os: 'linux', architecture: 'arm64' } },
      { mediaType: 'm', digest: d('3'), size: 1, platform: { os: 'linux', architecture: 'amd64' } },
      { mediaType: 'm', digest: d('4'), size: 1, platform: { os: 'unknown', architecture: 'unknown' } },
    ];
    expect(selectManifest(list, parsePlatform('linux/amd64')).digest).toBe(d('3'));
    expect(selectManifest(list, parsePlatform('linux/arm64/v8')).digest).toBe(d('2'));
    expect(selectManifest(list, parsePlatform('aarch64')).digest).toBe(d('2'));
    expect(selectManifest(list.slice(0, 1), parsePlatform('linux/arm64')).digest).toBe(d('1'));
    expect(() => selectManifest(list, parsePlatform('linux/ppc64le'))).toThrow('no matching manifest for linux/ppc64le in the manifest list entries');
    expect(() => parsePlatform('plan9/amd64')).toThrow('"plan9/amd64": unknown operating system or architecture: invalid argument');
  });
});
