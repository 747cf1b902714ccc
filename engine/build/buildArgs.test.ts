import { describe, expect, it } from 'vitest';
import { BuildArgs } from './buildArgs';

const given = (o: Record<string, string | undefined>) => new BuildArgs(new Map(Object.entries(o)));

describe('BuildArgs', () => {
  it('passes a --build-arg only once the stage declares it', () => {
    const args = given({ A: 'aval', UNDECLARED: 'x' });
    args.startStage();
    expect(args.inEffect([])).toEqual([]);
    args.declare('A', undefined);
    args.declare('B', 'bdef');
    expect(args.inEffect([])).toEqual([
      ['A', 'aval'],
      ['B', 'bdef'],
    ]);
    expect(args.unused()).toEqual(['UNDECLARED']);
  });

  it('lets an ENV of the same name win, and records what RUN saw (Docker 20.10: |2 A=aval HTTP_PROXY=p)', () => {
    const args = given({ A: 'aval', HTTP_PROXY: 'p', NO_PROXY: 'n' });
    args.startStage();
    args.declare('A', undefined);
    args.declare('B', 'bdef');
    args.declare('HTTP_PROXY', undefined);
    const env = ['PATH=/bin', 'B=fromenv'];
    // NO_PROXY is passed to RUN without ARG, but not recorded (so a proxy change keeps the cache).
    expect(args.inEffect(env).map(([k]) => k).sort()).toEqual(['A', 'HTTP_PROXY', 'NO_PROXY']);
    expect(args.recorded(env)).toEqual(['A=aval', 'HTTP_PROXY=p']);
    expect(args.unused()).toEqual([]);
  });

  it('gives a stage ARG without default the meta ARG value, and forgets declarations at each stage', () => {
    const args = given({});
    args.declareMeta('V', 'meta');
    expect(args.metaValues().get('V')).toBe('meta');
    args.startStage();
    expect(args.inEffect([])).toEqual([]);
    args.declare('V', undefined);
    expect(args.inEffect([])).toEqual([['V', 'meta']]);
  });
});
