import { describe, expect, it } from 'vitest';
import { endPull, layerStage, reducePull, startPull } from './pullProgress';

const layer = (digest: string, exists: boolean) => ({ digest, size: 100, mediaType: 'm', diffId: digest, chainId: digest, createdBy: '', exists, sharedWith: exists ? ['base:1'] : [] });

describe('pull progress', () => {
  it('folds Docker’s lines and each layer’s state, bytes and speed', () => {
    let s = startPull('x:1', '');
    s = reducePull(s, { type: 'status', id: '1', text: 'Pulling from x' });
    s = reducePull(s, { type: 'image', reference: 'x', repository: 'x', platform: 'linux/amd64', manifestDigest: 'sha256:m', imageId: 'sha256:i', layers: [layer('sha256:a', true), layer('sha256:b', false)] });
    s = reducePull(s, { type: 'layer', id: 'a', digest: 'sha256:a', status: 'Already exists' });
    s = reducePull(s, { type: 'layer', id: 'b', digest: 'sha256:b', status: 'Downloading', current: 40, total: 100, bytesPerSecond: 400 });
    expect(s.image!.layers.map(layerStage)).toEqual(['shared', 'downloading']);
    expect(s.image!.layers[1]).toMatchObject({ current: 40, bytesPerSecond: 400 });
    s = reducePull(s, { type: 'layer', id: 'b', digest: 'sha256:b', status: 'Pull complete' });
    s = reducePull(s, { type: 'pulled', reference: 'x:1', imageId: 'sha256:i', digest: 'sha256:m', upToDate: false });
    s = endPull(s, {});
    expect(s.phase).toBe('pulled');
    expect(s.image!.layers.map(layerStage)).toEqual(['shared', 'done']);
    expect(s.lines).toEqual(['1: Pulling from x', 'a: Already exists', 'b: Pull complete']);
  });
});
