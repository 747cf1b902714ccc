// `events --filter` as dockerd's daemon/events/filter.go decides, and the
// event stream's --since/--until on a real engine.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../api';
import { collect, tempEngine, type TempEngine } from '../testing/tempEngine';
import { FilterArgs } from './args';
import { eventMatches } from './events';

const start: EngineEvent = { type: 'container', action: 'start', id: 'abc123def456', time: 1, attributes: { image: 'busybox:latest', name: 'web', team: 'a' } };
const execStart: EngineEvent = { ...start, action: 'exec_start: sh -c true' };
const tag: EngineEvent = { type: 'image', action: 'tag', id: 'sha256:0123', time: 1, attributes: { name: 'busybox:1.36' } };
const mount: EngineEvent = { type: 'kernel', step: 'mount', id: 'abc123def456', time: 1, detail: { type: 'overlay' } };

const passes = (filters: Record<string, string[]>, e: EngineEvent) => eventMatches(new FilterArgs(filters), e);

describe('events --filter', () => {
  it('matches a container by id or name, whole or by prefix, whatever the event type', () => {
    expect(passes({ container: ['web'] }, start)).toBe(true);
    expect(passes({ container: ['abc1'] }, start)).toBe(true);
    expect(passes({ container: ['we'] }, start)).toBe(true);
    expect(passes({ container: ['db'] }, start)).toBe(false);
    // As dockerd: a container filter holds image events too, to their id or name.
    expect(passes({ container: ['web'] }, tag)).toBe(false);
    expect(passes({ container: ['abc'] }, mount)).toBe(true);
  });

  it('matches an image by id, name, or name without its tag, and a container by its image', () => {
    expect(passes({ image: ['busybox'] }, start)).toBe(true);
    expect(passes({ image: ['busybox:latest'] }, start)).toBe(true);
    expect(passes({ image: ['busybox'] }, tag)).toBe(true);
    expect(passes({ image: ['sha256:0123'] }, tag)).toBe(true);
    expect(passes({ image: ['alpine'] }, tag)).toBe(false);
  });

  it('matches event, type and label; exec_create and the like by prefix', () => {
    expect(passes({ event: ['start'] }, start)).toBe(true);
    expect(passes({ event: ['stop'] }, start)).toBe(false);
    expect(passes({ event: ['exec_start'] }, execStart)).toBe(true);
    expect(passes({ event: ['start', 'die'] }, start)).toBe(true);
    expect(passes({ type: ['image'] }, start)).toBe(false);
    expect(passes({ type: ['kernel'] }, mount)).toBe(true);
    expect(passes({ label: ['team=a'] }, start)).toBe(true);
    expect(passes({ label: ['team=b'] }, start)).toBe(false);
    expect(passes({ label: ['team'], event: ['start'], container: ['web'] }, start)).toBe(true);
  });
});

describe('events --since/--until on an engine', () => {
  let engine: TempEngine;
  beforeAll(async () => {
    engine = await tempEngine();
  });
  afterAll(() => engine.dispose());

  it('replays what happened between since and until, then ends', async () => {
    const before = Date.now() * 1e6;
    // No network: the events are looked at here, not netavark.
    const { id } = await engine.client.call('container.create', { image: engine.image, cmd: ['true'], name: 'replayed', networkMode: 'none' });
    await collect(engine.client, id);
    const after = (Date.now() + 1) * 1e6; // event times have more than milliseconds
    const seen: EngineEvent[] = [];
    await new Promise<void>((resolve, reject) =>
      engine.client.open('events', { since: before, until: after, filters: { container: ['replayed'], type: ['container'] } }, {
        onMessage: (e) => seen.push(e),
        onEnd: (err) => (err ? reject(new Error(err.message)) : resolve()),
      }),
    );
    expect(seen.map((e) => (e.type === 'kernel' ? e.step : e.action))).toEqual(['create', 'attach', 'start', 'die']);
    expect(seen.every((e) => e.id === id)).toBe(true);
  });

  it('ends a live stream at until', async () => {
    const until = (Date.now() + 300) * 1e6;
    const started = Date.now();
    await new Promise<void>((resolve) => engine.client.open('events', { until }, { onMessage() {}, onEnd: () => resolve() }));
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  });

  it('refuses until before since', async () => {
    const err = await new Promise<string>((resolve) => engine.client.open('events', { since: 2e18, until: 1e18 }, { onMessage() {}, onEnd: (e) => resolve(e?.message ?? '') }));
    expect(err).toContain('cannot be after');
  });
});
