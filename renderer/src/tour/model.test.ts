import { describe, expect, it } from 'vitest';
import { initialTour, keyAction, needsRun, stepIds, tourReducer, type TourEvent, type TourState } from './model';

const run = (events: TourEvent[], from: TourState = initialTour()) => events.reduce(tourReducer, from);

describe('the tour model', () => {
  it('has one step per idea of CONCEPTS.md, in the order a learner meets them', () => {
    expect(stepIds).toEqual([
      'image', 'container', 'running', 'happiness', 'metadata', 'ps', 'stop', 'kill', 'pause',
      'copyup', 'rm', 'commit', 'build', 'imagesAll', 'saveExport', 'pull', 'end',
    ]);
  });

  it('moves forward and back within its steps, and a step runs only when first reached', () => {
    let s = initialTour();
    expect(needsRun(s)).toBe(true);
    s = run([{ type: 'started', id: 'image' }, { type: 'finished', id: 'image', facts: { image: 'starter' } }], s);
    expect(needsRun(s)).toBe(false);
    s = run([{ type: 'back' }], s);
    expect(s.index).toBe(0);
    s = run([{ type: 'next' }], s);
    expect(s.index).toBe(1);
    expect(needsRun(s)).toBe(true);
    s = run(Array.from({ length: 40 }, () => ({ type: 'next' }) as const), s);
    expect(s.index).toBe(stepIds.length - 1);
    expect(run([{ type: 'go', index: -3 }], s).index).toBe(0);
  });

  it('records each command once, with how it ended, and starts a replay afresh', () => {
    let s = run([
      { type: 'started', id: 'stop' },
      { type: 'command', id: 'stop', command: 'strata run -d x', status: 'running' },
      { type: 'command', id: 'stop', command: 'strata run -d x', status: 'done' },
      { type: 'command', id: 'stop', command: 'strata stop -t 3 x', status: 'running' },
      { type: 'command', id: 'stop', command: 'strata stop -t 3 x', status: 'failed' },
      { type: 'failed', id: 'stop', message: 'boom' },
    ]);
    expect(s.records.stop).toMatchObject({
      status: 'failed',
      error: 'boom',
      runs: 1,
      commands: [
        { command: 'strata run -d x', status: 'done' },
        { command: 'strata stop -t 3 x', status: 'failed' },
      ],
    });
    s = run([{ type: 'started', id: 'stop' }], s);
    expect(s.records.stop).toMatchObject({ status: 'running', commands: [], runs: 2 });
  });

  it('restarts at the first step with nothing run', () => {
    const s = run([{ type: 'next' }, { type: 'started', id: 'container' }, { type: 'restart' }]);
    expect(s).toEqual(initialTour());
  });

  it('reads a clicker and a keyboard alike', () => {
    expect(['ArrowRight', 'PageDown', 'ArrowLeft', 'PageUp', 'r', 'Home', 'Escape', 'x'].map(keyAction)).toEqual([
      'next', 'next', 'back', 'back', 'replay', 'restart', 'leave', undefined,
    ]);
  });
});
