import { describe, expect, it } from 'vitest';
// The lifecycle table of engine/api.ts, which the engine's checks and the app's buttons share.
import { refusal, type ContainerState, type Operation } from './api';

// Docker's answers for every operation in every state a user can reach.
const table: [Operation, ContainerState, boolean][] = [
  ['start', 'created', true],
  ['start', 'exited', true],
  ['start', 'running', true],
  ['start', 'paused', false],
  ['pause', 'running', true],
  ['pause', 'paused', false],
  ['pause', 'exited', false],
  ['pause', 'created', false],
  ['unpause', 'paused', true],
  ['unpause', 'running', false],
  ['unpause', 'exited', false],
  ['kill', 'running', true],
  ['kill', 'paused', true],
  ['kill', 'exited', false],
  ['kill', 'created', false],
  ['stop', 'exited', true],
  ['stop', 'created', true],
  ['remove', 'exited', true],
  ['remove', 'created', true],
  ['remove', 'running', false],
  ['remove', 'paused', false],
  ['exec', 'running', true],
  ['exec', 'paused', false],
  ['exec', 'exited', false],
  ['attach', 'exited', false],
  // restarting: the back-off of a restart policy (measured on dockerd 20.10)
  ['start', 'restarting', true],
  ['stop', 'restarting', true],
  ['kill', 'restarting', true],
  ['pause', 'restarting', false],
  ['unpause', 'restarting', false],
  ['exec', 'restarting', false],
  ['attach', 'restarting', false],
  ['commit', 'restarting', true],
  ['remove', 'restarting', false],
];

describe('lifecycle rules', () => {
  it.each(table)('%s on a %s container: allowed=%s', (op, state, allowed) => {
    expect(refusal(op, state, 'c1') === undefined).toBe(allowed);
  });
  it('uses Docker words for the classic refusals', () => {
    expect(refusal('start', 'paused', 'c1')).toBe('cannot start a paused container, try unpause instead');
    expect(refusal('remove', 'running', 'c1')).toContain('container is running: stop the container before removing or force remove');
    expect(refusal('pause', 'exited', 'c1')).toBe('Container c1 is not running');
    expect(refusal('unpause', 'running', 'c1')).toBe('Container c1 is not paused');
  });
  it("says a restarting container has no process yet, in Docker's words", () => {
    expect(refusal('exec', 'restarting', 'c1')).toBe('Container c1 is restarting, wait until the container is running');
    expect(refusal('pause', 'restarting', 'c1')).toBe('Container c1 is restarting, wait until the container is running');
    expect(refusal('attach', 'restarting', 'c1')).toBe('You cannot attach to a restarting container, wait until it is running');
    expect(refusal('unpause', 'restarting', 'c1')).toBe('Container c1 is not paused');
    expect(refusal('remove', 'restarting', 'c1', true)).toBeUndefined();
  });
  it('lets force remove a running container', () => {
    expect(refusal('remove', 'running', 'c1', true)).toBeUndefined();
  });
});
