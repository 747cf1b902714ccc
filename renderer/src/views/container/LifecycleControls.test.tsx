import { describe, expect, it } from 'vitest';
import type { ContainerState } from '../../../../engine/api';
import { buttons, renderHtml } from '../../testing/render';
import { LifecycleControls } from './LifecycleControls';

const render = (state: ContainerState) =>
  buttons(renderHtml(<LifecycleControls target={{ id: '3f2a9c1e0b7d' + 'a'.repeat(52), name: 'web', state, image: 'starter' }} onPoint={() => {}} />));

describe('LifecycleControls', () => {
  it('has the ten buttons with exactly Docker’s verbs as names', () => {
    expect(render('running').map((b) => b.name)).toEqual(['Create', 'Start', 'Stop', 'Kill', 'Pause', 'Unpause', 'Restart', 'Remove', 'Commit', 'Export']);
  });

  it('disables what Docker would refuse, and describes why', () => {
    const paused = Object.fromEntries(render('paused').map((b) => [b.name, b]));
    expect(paused.Unpause.disabled).toBe(false);
    expect(paused.Pause.disabled).toBe(true);
    expect(paused.Start.disabled).toBe(true);
    expect(paused.Remove.disabled).toBe(true);
    expect(paused.Pause.describedBy).toBe(true);
    const exited = Object.fromEntries(render('exited').map((b) => [b.name, b]));
    expect(exited.Start.disabled).toBe(false);
    expect(exited.Remove.disabled).toBe(false);
    expect(exited.Kill.disabled).toBe(true);
  });

  it('puts the refusal in the tooltip the button is described by', () => {
    const html = renderHtml(<LifecycleControls target={{ id: 'b'.repeat(64), name: 'web', state: 'exited', image: 'starter' }} onPoint={() => {}} />);
    expect(html).toContain('Container bbbbbbbbbbbb is not running');
  });
});
