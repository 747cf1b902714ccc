import { describe, expect, it } from 'vitest';
import type { ImageSummary } from '../../../engine/api';
import { isLocalImage, isPullable, isReference } from './reference';

describe('isReference', () => {
  it('takes the names the engine tags with', () => {
    for (const ok of ['myapp', 'myapp:v2', 'team/app:1.0', 'localhost:5000/x/y:z', 'a__b', 'a-b.c']) expect(isReference(ok), ok).toBe(true);
  });
  it('refuses upper case, empty parts and bad tags', () => {
    for (const bad of ['MyApp', 'app:', ':v1', 'a//b', 'app:-v', 'app name']) expect(isReference(bad), bad).toBe(false);
  });
});

const digest = `sha256:${'ab'.repeat(32)}`;

describe('isPullable', () => {
  it('takes references, with or without a digest', () => {
    for (const ok of ['ubuntu', 'ubuntu:24.04', '127.0.0.1:5000/team/app:1', `ubuntu@${digest}`, `docker.io/library/ubuntu@${digest}`]) expect(isPullable(ok), ok).toBe(true);
  });
  it('refuses image ids and what is no reference', () => {
    for (const bad of [digest, 'ab'.repeat(32), 'Ubuntu', `ubuntu@${digest.slice(0, -1)}`, 'ubuntu@latest', '']) expect(isPullable(bad), bad).toBe(false);
  });
});

describe('isLocalImage', () => {
  const images = [
    { id: `sha256:0123abcd${'0'.repeat(56)}`, repoTags: ['starter:latest', 'team/app:v1'] },
    { id: `sha256:fedc${'1'.repeat(60)}`, repoTags: ['ubuntu:24.04'] },
  ] as ImageSummary[];

  it('finds a tag as the engine does: :latest when none, Docker Hub’s long names', () => {
    for (const here of ['starter', 'starter:latest', 'docker.io/library/starter', 'docker.io/team/app:v1', 'ubuntu:24.04', 'docker.io/library/ubuntu:24.04']) {
      expect(isLocalImage(images, here), here).toBe(true);
    }
    for (const missing of ['ubuntu', 'ubuntu:22.04', 'team/app', 'library/team/app:v1', '127.0.0.1:5000/starter', 'docker.io/library/team/app:v1']) {
      expect(isLocalImage(images, missing), missing).toBe(false);
    }
  });

  it('finds an image by its id or the start of it', () => {
    expect(isLocalImage(images, '0123abcd')).toBe(true);
    expect(isLocalImage(images, `sha256:fedc${'1'.repeat(60)}`)).toBe(true);
    expect(isLocalImage(images, '0123abce')).toBe(false);
  });
});
