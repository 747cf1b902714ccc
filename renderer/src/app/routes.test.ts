import { describe, expect, it } from 'vitest';
import { defaultRoute, formatRoute, parseRoute, type Route } from './routes';

describe('routes', () => {
  const cases: Route[] = [
    { view: 'images', all: false },
    { view: 'images', all: true },
    { view: 'image', id: 'sha256:abc', tab: 'merged' },
    { view: 'image', id: 'sha256:abc', tab: 'files', layer: 3 },
    { view: 'containers', all: true },
    { view: 'containers', all: false },
    { view: 'container', id: '3f2a9c1e0b7d', tab: 'terminal' },
    { view: 'networks' },
    { view: 'volumes' },
    { view: 'build' },
    { view: 'settings' },
  ];

  it('round-trips every place through the hash', () => {
    for (const r of cases) expect(parseRoute(formatRoute(r))).toEqual(r);
  });

  it('falls back to sensible defaults', () => {
    expect(parseRoute('')).toEqual(defaultRoute);
    expect(parseRoute('#/nowhere')).toEqual(defaultRoute);
    expect(parseRoute('#/containers/abc/bogus')).toEqual({ view: 'container', id: 'abc', tab: 'files' });
  });
});
