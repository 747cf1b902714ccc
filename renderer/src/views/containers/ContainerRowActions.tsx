// A container row's actions, fitted to a 1280-pixel window: the one action
// its state calls for (Start, or Stop while it runs) as a button, and the
// rest of its lifecycle, its logs and its terminal in a "⋯" menu, each
// greyed with Docker's reason where Docker would refuse it now.

import { isLive, type ContainerSummary } from '../../../../engine/api';
import { ActionButton } from '../../components/ActionButton';
import { Icon } from '../../components/Icon';
import { OverflowMenu, type MenuItem } from '../../components/OverflowMenu';
import { commands } from '../../model/commands';
import type { LifecycleAction } from '../../model/lifecycle';
import { useNavigate } from '../../app/navigation';
import { lifecycleIcons } from '../container/LifecycleControls';
import { useLifecycle } from '../container/useLifecycle';

const inMenu: LifecycleAction[] = ['Kill', 'Pause', 'Unpause', 'Restart', 'Commit', 'Export', 'Remove'];

export function ContainerRowActions({ c }: { c: ContainerSummary }) {
  const go = useNavigate();
  const name = c.names[0] ?? c.id.slice(0, 12);
  const life = useLifecycle({ id: c.id, name, state: c.state, image: c.image });
  const runs = isLive(c.state);
  const main: LifecycleAction = runs ? 'Stop' : 'Start';
  const avail = life.availability(main);
  const items: MenuItem[] = [
    ...inMenu.map((a) => {
      const av = life.availability(a);
      return {
        label: a === 'Commit' ? 'Commit…' : a,
        command: life.commandFor[a],
        danger: a === 'Kill' || a === 'Remove',
        onSelect: life.press[a],
        ...(av.enabled ? {} : { disabledReason: av.reason }),
      };
    }),
    { label: 'Logs', command: commands.logs(c.id, false), onSelect: () => go({ view: 'container', id: c.id, tab: 'logs' }) },
    {
      label: 'Terminal',
      command: commands.exec(c.id, ['sh']),
      onSelect: () => go({ view: 'container', id: c.id, tab: 'terminal' }),
      ...(runs ? {} : { disabledReason: `Container ${c.id.slice(0, 12)} is not running: nothing to open a shell in` }),
    },
  ];
  return (
    <div className="row-actions" role="group" aria-label={`Actions on ${name}`} onClick={(e) => e.stopPropagation()}>
      <ActionButton
        label={main}
        size="small"
        icon={<Icon name={lifecycleIcons[main]} />}
        command={life.commandFor[main]}
        disabledReason={avail.enabled ? undefined : avail.reason}
        busy={life.busy === main}
        onPress={life.press[main]}
      />
      <OverflowMenu label={`More actions on ${name}`} items={items} />
      {life.dialogs}
    </div>
  );
}
