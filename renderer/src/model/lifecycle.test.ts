import { describe, expect, it } from 'vitest';
import type { ContainerState } from '../../../engine/api';
import { availability, diagramState, lifecycleActions, openTransitions } from './lifecycle';

const all = (_request: string) => true;
const enabled = (state: ContainerState, has = all) =>
  lifecycleActions.filter((a) => availability(a, state, 'web', has).enabled);

describe('lifecycle buttons', () => {
  it('offers what Docker allows in each state', () => {
    expect(enabled('created')).toEqual(['Create', 'Start', 'Restart', 'Commit', 'Export', 'Remove']);
    expect(enabled('running')).toEqual(['Create', 'Stop', 'Kill', 'Pause', 'Restart', 'Commit', 'Export']);
    expect(enabled('paused')).toEqual(['Create', 'Stop', 'Kill', 'Unpause', 'Restart', 'Commit', 'Export']);
    expect(enabled('exited')).toEqual(['Create', 'Start', 'Restart', 'Commit', 'Export', 'Remove']);
  });

  it("gives Docker's reason for a refusal", () => {
    expect(availability('Pause', 'exited', 'web', all).reason).toBe('Container web is not running');
    expect(availability('Unpause', 'running', 'web', all).reason).toBe('Container web is not paused');
    expect(availability('Start', 'paused', 'web', all).reason).toBe('cannot start a paused container, try unpause instead');
    expect(availability('Remove', 'running', 'web', all).reason).toMatch(/container is running: stop the container before removing/);
    expect(availability('Kill', 'created', 'web', all).reason).toMatch(/is not running/);
  });

  it('disables commit and export until the engine serves them', () => {
    const has = (r: string) => r !== 'container.commit' && r !== 'container.export';
    expect(availability('Commit', 'running', 'web', has)).toEqual({ enabled: false, reason: 'Commit is coming with image exchange' });
    expect(enabled('exited', has)).not.toContain('Export');
  });
});

describe('lifecycle diagram', () => {
  it('lights the node for each Docker state', () => {
    expect(diagramState('restarting')).toBe('running');
    expect(diagramState('dead')).toBe('exited');
    expect(diagramState('paused')).toBe('paused');
  });

  it('opens the arrows leaving the current state', () => {
    const labels = (s: ContainerState) => openTransitions(s, 'web', all).map((t) => t.label);
    expect(labels('created')).toEqual(['start', 'rm']);
    expect(labels('running')).toEqual(['pause', 'stop · kill · exit', 'restart']);
    expect(labels('paused')).toEqual(['unpause', 'stop · kill']);
    expect(labels('exited')).toEqual(['start · restart', 'rm']);
  });
});
