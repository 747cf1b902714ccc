// A running container's process space, drawn above its layers: the
// namespaces it has (with the kernel's inode numbers: two processes share a
// namespace exactly when these match) and its processes as a tree, PID 1 at
// the root, each with its pid inside the namespace and on the host.

import type { ContainerProcess, ContainerState, ProcessSpace as Space } from '../../../../engine/api';
import { useQuery } from '../../data/useQuery';
import { aboutContainer } from '../../data/events';
import { serves } from '../../data/capabilities';
import { NetworkNamespace } from './NetworkNamespace';

interface ProcNode {
  p: ContainerProcess;
  children: ProcNode[];
}

/** Processes as a forest by parent pid; roots are those whose parent is outside the container. */
export function processForest(processes: readonly ContainerProcess[]): ProcNode[] {
  const byPid = new Map(processes.map((p) => [p.pid, { p, children: [] as ProcNode[] }]));
  const roots: ProcNode[] = [];
  for (const n of byPid.values()) {
    const parent = byPid.get(n.p.ppid);
    if (parent && parent !== n) parent.children.push(n);
    else roots.push(n);
  }
  const sort = (list: ProcNode[]) => {
    list.sort((a, b) => a.p.nsPid - b.p.nsPid);
    for (const n of list) sort(n.children);
  };
  sort(roots);
  return roots;
}

const nsOrder = ['pid', 'mnt', 'uts', 'ipc', 'net', 'cgroup', 'user', 'time'];
const nsWords: Record<string, string> = {
  pid: 'process ids',
  mnt: 'mounts',
  uts: 'hostname',
  ipc: 'shared memory, queues',
  net: 'network',
  cgroup: 'cgroup view',
  user: 'users',
  time: 'clocks',
};

export function ProcessSpace({ id, state }: { id: string; state: ContainerState }) {
  const running = state === 'running' || state === 'paused';
  const q = useQuery('container.processes', running && serves('container.processes') ? { id } : null, {
    refreshOn: aboutContainer(id),
    pollMs: 2000,
  });
  if (!running) {
    return (
      <div className="procspace procspace-none" aria-label="Process space">
        <span className="procspace-title">No process space</span>
        <span className="procspace-note">
          {state === 'created' ? 'Created: the layers are ready, nothing runs yet. Start gives it one.' : 'Nothing runs: what its processes wrote stays in the writable layer.'}
        </span>
      </div>
    );
  }
  const data: Space | undefined = q.data;
  const namespaces = data ? Object.entries(data.namespaces).sort(([a], [b]) => nsOrder.indexOf(a) - nsOrder.indexOf(b)) : [];
  // A namespace with the host's own inode is not isolated: the kernel's names say so.
  const isShared = ([kind, name]: [string, string]) => data?.hostNamespaces?.[kind] === name;
  const own = namespaces.filter((n) => !isShared(n));
  const shared = namespaces.filter(isShared);
  return (
    <section className={`procspace ${state === 'paused' ? 'is-paused' : ''}`} aria-label="Process space" data-testid="process-space">
      <header className="procspace-head">
        <span className="procspace-title">Process space</span>
        {state === 'paused' && (
          <span className="frozen">
            <span aria-hidden="true">❄ </span>frozen by the cgroup freezer — no signal was sent
          </span>
        )}
      </header>
      {q.error && <p className="note note-error">{q.error.message}</p>}
      {data && (
        <>
          <ul className="ns-list" aria-label="Namespaces">
            {own.map(([kind, name]) => (
              <li key={kind} className="ns" title={`${nsWords[kind] ?? kind}: its own`}>
                <span className="ns-kind">{kind}</span>
                <code className="ns-inode">{name.replace(/^[a-z_]+:/, '')}</code>
              </li>
            ))}
            {shared.length > 0 && (
              <li className="ns ns-shared" title={shared.map(([k, n]) => `${k}: ${n}`).join('\n')}>
                <span className="ns-note">shared with the host:</span> {shared.map(([k]) => k).join(' · ')}
              </li>
            )}
          </ul>
          <ProcTree nodes={processForest(data.processes)} depth={0} />
          {data.network && <NetworkNamespace view={data.network} />}
        </>
      )}
    </section>
  );
}

function ProcTree({ nodes, depth }: { nodes: ProcNode[]; depth: number }) {
  return (
    <ul className={depth === 0 ? 'proc-tree' : 'proc-children'} role={depth === 0 ? 'tree' : 'group'} aria-label={depth === 0 ? 'Processes' : undefined}>
      {nodes.map((n) => (
        <li key={n.p.pid} role="treeitem" aria-expanded={n.children.length ? true : undefined} className="proc">
          <span className="proc-line">
            <span className="proc-pid" title="pid inside the container">
              PID {n.p.nsPid}
            </span>
            <code className="proc-cmd">{n.p.cmd}</code>
            <span className="proc-host" title="the same process, as the host sees it">
              host pid {n.p.pid} · {n.p.user}
            </span>
          </span>
          {n.children.length > 0 && <ProcTree nodes={n.children} depth={depth + 1} />}
        </li>
      ))}
    </ul>
  );
}
