// An `rmi` the engine refused: what uses the image, by the names a person
// knows (containers by name and state, images by tag), and what can be done
// — open a container, or force the removal where Docker allows it. Named by
// a tag, `-f` removes the tag and the image stays while something needs it;
// named by its id, `-f` overrides a stopped container's use, never a running
// one's nor an image built on it.

import { isLive } from '../../../../engine/api';
import type { EngineError } from '../../../../engine/errors';
import { Dialog } from '../../components/Dialog';
import { StateBadge } from '../../components/Marks';
import { ErrorNote, Loading } from '../../components/Notes';
import { useQuery } from '../../data/useQuery';
import { commands, imageName } from '../../model/commands';
import { formatRoute } from '../../app/routes';
import { useNavigate } from '../../app/navigation';
import type { ImageTarget } from './ImageActions';

export function RemoveRefusedDialog({ image, error, onClose, onForce }: { image: ImageTarget; error: EngineError; onClose(): void; onForce(): void }) {
  const go = useNavigate();
  const containers = useQuery('container.list', { all: true });
  const graph = useQuery('image.graph', {});
  const users = containers.data?.filter((c) => c.imageId === image.id) ?? [];
  const children = graph.data?.nodes.filter((n) => n.parentId === image.id) ?? [];
  const running = users.filter((c) => isLive(c.state));
  const byName = !image.id.replace(/^sha256:/, '').startsWith(image.name);
  const known = containers.data !== undefined && graph.data !== undefined;
  const tagged = (graph.data?.nodes.find((n) => n.id === image.id)?.repoTags.length ?? 0) > 0;
  const forcible = known && (byName || (running.length === 0 && children.length === 0 && tagged));
  const names = users.map((c) => c.names[0]).join(', ');
  const why = forcible
    ? undefined
    : running.length
      ? `A running container’s image cannot be removed by its id, not even with -f: stop and remove ${running.map((c) => c.names[0]).join(', ')} first.`
      : children.length
        ? 'An image built on this one needs its layers: remove that image first (-f does not override it).'
        : known
          ? `It has no tag left for -f to remove, and ${names} still needs its layers: remove ${users.length === 1 ? 'that container' : 'those containers'} first.`
          : undefined;
  return (
    <Dialog
      title={`${image.name} is in use`}
      submitLabel="Remove anyway (-f)"
      command={commands.rmi(image.name, true)}
      submitDisabled={!forcible}
      submitReason={why}
      onClose={onClose}
      onSubmit={onForce}
    >
      <p className="dialog-lead">
        A container’s writable layer sits on its image’s layers, so the engine keeps an image a container uses. It said:
      </p>
      <ErrorNote error={error} />
      {!containers.data || !graph.data ? (
        <Loading what="what uses it" />
      ) : (
        <>
          {users.length > 0 && (
            <>
              <h3 className="refusal-heading">Containers made from it</h3>
              <ul className="refusal-list" aria-label={`Containers using ${image.name}`}>
                {users.map((c) => {
                  const route = { view: 'container' as const, id: c.id, tab: 'files' as const };
                  return (
                    <li key={c.id}>
                      <a
                        href={formatRoute(route)}
                        onClick={(e) => {
                          e.preventDefault();
                          onClose();
                          go(route);
                        }}
                      >
                        {c.names[0]}
                      </a>{' '}
                      <StateBadge state={c.state} /> <span className="muted">{c.status}</span>
                    </li>
                  );
                })}
              </ul>
            </>
          )}
          {children.length > 0 && (
            <>
              <h3 className="refusal-heading">Images built on it</h3>
              <ul className="refusal-list">
                {children.map((n) => (
                  <li key={n.id}>{imageName(n.id, n.repoTags)}</li>
                ))}
              </ul>
            </>
          )}
          {forcible && (
            <p className="refusal-force">
              {byName ? (
                <>
                  With <code>-f</code> the tag <code>{image.name}</code> goes. The image itself stays, untagged, while a container (running or
                  stopped) is made from it: a container’s writable layer sits on its image’s layers.
                </>
              ) : (
                <>
                  With <code>-f</code> the image loses its tags although {users.length === 1 ? 'a stopped container was' : 'stopped containers were'} made from it.
                  It stays, untagged, until the last of {users.length === 1 ? 'that container' : 'those containers'} is removed.
                </>
              )}
            </p>
          )}
        </>
      )}
    </Dialog>
  );
}
