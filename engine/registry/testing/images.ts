// Test images made without Strata: layer tars written by GNU tar from
// directories the test fills, a config and manifest.json written here, the
// archive tarred by GNU tar, and pushed to a registry by skopeo. Also a
// multi-platform index written through the registry API.

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export interface LayerSpec {
  /** Files of the layer: path → content (those under bin/ executable). */
  files: Record<string, string | Buffer>;
  createdBy?: string;
}

export interface BuiltImage {
  archive: string;
  configDigest: string;
  diffIds: string[];
}

const sha256 = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

/** A docker-archive (legacy layout, as `docker save` of Docker 20.10) of these layers. */
export function dockerArchive(dir: string, name: string, layers: LayerSpec[], opts: { architecture?: string; cmd?: string[] } = {}): BuiltImage {
  const work = fs.mkdtempSync(path.join(dir, 'img-'));
  const out = path.join(work, 'archive');
  fs.mkdirSync(out);
  const diffIds: string[] = [];
  const layerNames: string[] = [];
  layers.forEach((layer, i) => {
    const root = path.join(work, `layer${i}`);
    for (const [file, content] of Object.entries(layer.files)) {
      fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      fs.writeFileSync(path.join(root, file), content, { mode: file.startsWith('bin/') ? 0o755 : 0o644 });
    }
    fs.mkdirSync(root, { recursive: true });
    const tarFile = path.join(work, `layer${i}.tar`);
    execFileSync('tar', ['--sort=name', '--mtime=@1600000000', '--owner=0', '--group=0', '--numeric-owner', '-C', root, '-cf', tarFile, '.']);
    const diffId = sha256(fs.readFileSync(tarFile));
    diffIds.push(diffId);
    const layerName = `${diffId.slice(7)}.tar`;
    fs.renameSync(tarFile, path.join(out, layerName));
    layerNames.push(layerName);
  });
  const config = Buffer.from(
    JSON.stringify({
      architecture: opts.architecture ?? 'amd64',
      os: 'linux',
      created: '2024-01-02T03:04:05Z',
      config: { Cmd: opts.cmd ?? ['/bin/sh'], Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'] },
      rootfs: { type: 'layers', diff_ids: diffIds },
      history: layers.map((l, i) => ({ created: '2024-01-02T03:04:05Z', created_by: l.createdBy ?? `/bin/sh -c #(nop) ADD layer ${i}` })),
    }),
  );
  const configDigest = sha256(config);
  fs.writeFileSync(path.join(out, `${configDigest.slice(7)}.json`), config);
  fs.writeFileSync(path.join(out, 'manifest.json'), JSON.stringify([{ Config: `${configDigest.slice(7)}.json`, RepoTags: [name], Layers: layerNames }]));
  const archive = path.join(dir, `${path.basename(work)}.tar`);
  execFileSync('tar', ['-C', out, '-cf', archive, '.']);
  fs.rmSync(work, { recursive: true, force: true });
  return { archive, configDigest, diffIds };
}

/** skopeo copy of an archive to `host/repo:tag` (plain HTTP or unverified TLS: a test registry). */
export function skopeoPush(archive: string, target: string, extra: string[] = []): void {
  execFileSync('skopeo', ['copy', '--quiet', '--dest-tls-verify=false', ...extra, `docker-archive:${archive}`, `docker://${target}`], { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** skopeo inspect --raw of a pushed image's manifest. */
export function skopeoManifest(target: string, extra: string[] = []): Record<string, unknown> {
  return JSON.parse(execFileSync('skopeo', ['inspect', '--raw', '--tls-verify=false', ...extra, `docker://${target}`], { encoding: 'utf8' }));
}
