// The ten lifecycle buttons, with exactly Docker's verbs as their names.
// Each is disabled (focusable, with the reason on hover and focus) where
// Docker would refuse it, and shows the command it equals.

import { ActionButton } from '../../components/ActionButton';
import { Icon, type IconName } from '../../components/Icon';
import type { LifecycleAction } from '../../model/lifecycle';
import { useNavigate } from '../../app/navigation';
import { useLifecycle, type ControlTarget } from './useLifecycle';

export type { ControlTarget } from './useLifecycle';

export const lifecycleIcons: Record<LifecycleAction, IconName> = {
  Create: 'create',
  Start: 'start',
  Stop: 'stop',
  Kill: 'kill',
  Pause: 'pause',
  Unpause: 'start',
  Restart: 'restart',
  Commit: 'commit',
  Export: 'export',
  Remove: 'remove',
};

const groups: Array<{ label: string; actions: LifecycleAction[] }> = [
  { label: 'Lifecycle', actions: ['Create', 'Start', 'Stop', 'Kill', 'Pause', 'Unpause', 'Restart', 'Remove'] },
  { label: 'Writable layer', actions: ['Commit', 'Export'] },
];

export function LifecycleControls({ target, onPoint, onSignal }: {
  target: ControlTarget;
  onPoint(action: LifecycleAction | null): void;
  /** Stop or Kill was pressed: the signal goes out now. */
  onSignal?(kind: 'stop' | 'kill'): void;
}) {
  const go = useNavigate();
  const life = useLifecycle(target, { onSignal, afterRemove: () => go({ view: 'containers', all: true }) });
  return (
    <div className="controls" onMouseLeave={() => onPoint(null)}>
      {groups.map((g) => (
        <div key={g.label} role="group" aria-label={g.label} className="control-group">
          <span className="control-group-label">{g.label}</span>
          <div className="control-buttons">
            {g.actions.map((a) => {
              const avail = life.availability(a);
              return (
                <span key={a} onMouseEnter={() => onPoint(a)} onFocus={() => onPoint(a)} onBlur={() => onPoint(null)}>
                  <ActionButton
                    label={a}
                    icon={<Icon name={lifecycleIcons[a]} />}
                    variant={a === 'Remove' || a === 'Kill' ? 'danger' : 'default'}
                    command={life.commandFor[a]}
                    disabledReason={avail.enabled ? undefined : avail.reason}
                    busy={life.busy === a}
                    onPress={life.press[a]}
                  />
                </span>
              );
            })}
          </div>
        </div>
      ))}
      {life.dialogs}
    </div>
  );
}
