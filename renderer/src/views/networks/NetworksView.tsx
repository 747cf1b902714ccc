// `strata network ls`, drawn: the host, its networks and the containers on
// them, and the ports that lead from the host into containers. A network
// here is a bridge on the host that netavark makes when the first container
// joins and removes when the last one leaves; containers on one user-defined
// network find each other by name, and no bridge forwards to another.

import { useEffect, useRef, useState } from 'react';
import type { NetworkSummary } from '../../../../engine/api';
import { ActionButton } from '../../components/ActionButton';
import { CommandLine } from '../../components/CommandLine';
import { Dialog, Field } from '../../components/Dialog';
import { Icon } from '../../components/Icon';
import { ErrorNote, Loading } from '../../components/Notes';
import { useActions } from '../../data/actions';
import { useClient } from '../../data/EngineContext';
import { affectsNetworks } from '../../data/events';
import { useQuery } from '../../data/useQuery';
import { commands } from '../../model/commands';
import { networkOrder } from '../../model/networkMap';
import { shortId } from '../../model/format';
import { NetworkMap } from './NetworkMap';

/** The width the drawing may use: its box's, followed as the window changes. */
function useWidth(): [React.RefObject<HTMLDivElement | null>, number] {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(1000);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setWidth(Math.max(600, el.clientWidth)));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  return [ref, width];
}

export function NetworksView() {
  const list = useQuery('network.list', {}, { refreshOn: affectsNetworks });
  const [creating, setCreating] = useState(false);
  const [box, width] = useWidth();
  const { run } = useActions();
  const client = useClient();
  return (
    <div className="view">
      <header className="view-head">
        <div>
          <h1>Networks</h1>
          <p className="lead">
            Each network is a bridge on this host: a container gets its own network namespace, a veth pair plugs it into the bridge, and the IPAM gives it an
            address. Containers on one user-defined network reach each other by name; networks do not reach one another.
          </p>
        </div>
      </header>
      <div className="toolbar">
        <CommandLine command={commands.networks()} />
        <div className="toolbar-actions">
          <ActionButton label="Create network…" variant="primary" icon={<Icon name="create" />} command={commands.networkCreate({ name: '' })} onPress={() => setCreating(true)} />
          <ActionButton
            label="Prune"
            icon={<Icon name="remove" />}
            command={commands.networkPrune()}
            onPress={() => void run(commands.networkPrune(), () => client.call('network.prune', {}), (r) => (r.deleted.length ? `removed ${r.deleted.join(', ')}` : 'nothing unused'))}
          />
        </div>
      </div>
      {creating && <CreateNetworkDialog onClose={() => setCreating(false)} />}
      {list.error && <ErrorNote error={list.error} what="networks" />}
      {!list.data && !list.error && <Loading what="networks" />}
      <div ref={box} className="panel nm-panel">
        {list.data && <NetworkMap networks={list.data} width={width - 40} />}
      </div>
      {list.data && <NetworkTable networks={list.data} />}
    </div>
  );
}

function removeRefusal(n: NetworkSummary): string | undefined {
  if (n.predefined) return `${n.name} is a pre-defined network and cannot be removed`;
  if (n.endpoints.length > 0) return `running containers are on it: ${n.endpoints.map((e) => e.containerName).join(', ')}`;
  return undefined;
}

function NetworkTable({ networks }: { networks: NetworkSummary[] }) {
  const { run } = useActions();
  const client = useClient();
  return (
    <div className="table-wrap">
      <table className="table" data-testid="network-list">
        <caption className="sr-only">Networks, as strata network ls lists them</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Network ID</th>
            <th scope="col">Driver</th>
            <th scope="col">Subnet</th>
            <th scope="col">Gateway</th>
            <th scope="col">Bridge</th>
            <th scope="col" className="num">
              Running on it
            </th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {[...networks].sort(networkOrder).map((n) => (
            <tr key={n.id}>
              <th scope="row">{n.name}</th>
              <td>
                <code>{shortId(n.id)}</code>
              </td>
              <td>{n.driver}</td>
              <td>{n.subnet || '—'}</td>
              <td>{n.gateway || '—'}</td>
              <td>{n.bridge ? <code>{n.bridge}</code> : '—'}</td>
              <td className="num">{n.endpoints.length}</td>
              <td>
                <ActionButton
                  label="Remove"
                  size="small"
                  variant="danger"
                  icon={<Icon name="remove" />}
                  command={commands.networkRm(n.name)}
                  disabledReason={removeRefusal(n)}
                  onPress={() => void run(commands.networkRm(n.name), () => client.call('network.remove', { ref: n.id }))}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function CreateNetworkDialog({ onClose }: { onClose(): void }) {
  const client = useClient();
  const { run } = useActions();
  const [name, setName] = useState('');
  const [subnet, setSubnet] = useState('');
  const [internal, setInternal] = useState(false);
  const options = { name: name.trim(), ...(subnet.trim() ? { subnet: subnet.trim() } : {}), internal };
  const command = commands.networkCreate(options);
  return (
    <Dialog
      title="Create a network"
      submitLabel="Create"
      command={command}
      submitDisabled={!options.name}
      onClose={onClose}
      onSubmit={() => {
        onClose();
        void run(command, () => client.call('network.create', options), (r) => shortId(r.id));
      }}
    >
      <p className="dialog-lead">A user-defined bridge network: its containers find each other by name (aardvark-dns answers at its gateway).</p>
      <Field label="Name">
        <input value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. backend" autoComplete="off" spellCheck={false} />
      </Field>
      <Field label="Subnet" hint="Optional; the engine takes a free one from its address pools when empty.">
        <input value={subnet} onChange={(e) => setSubnet(e.target.value)} placeholder="e.g. 10.67.5.0/24" autoComplete="off" spellCheck={false} className="mono" />
      </Field>
      <label className="check">
        <input type="checkbox" checked={internal} onChange={(e) => setInternal(e.target.checked)} />
        Internal (<code>--internal</code>): no route out of the network
      </label>
    </Dialog>
  );
}
