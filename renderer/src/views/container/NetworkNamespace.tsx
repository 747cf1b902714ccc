// The container's network namespace as the kernel has it: its interfaces
// (eth0 is one end of a veth pair whose other end, on the host, is plugged
// into the network's bridge) and its routes. Beside the processes, so a
// learner sees that "a container's network" is a namespace like the others.

import type { NetworkNamespaceView } from '../../../../engine/api';

export function NetworkNamespace({ view }: { view: NetworkNamespaceView }) {
  return (
    <section className="netns" data-testid="network-namespace" aria-label="Network namespace">
      <p className="netns-title">
        Network namespace <code>{view.namespace.replace(/^net:/, '')}</code>
      </p>
      <ul className="netns-ifaces" aria-label="Interfaces">
        {view.interfaces.map((i) => (
          <li key={i.index} className={`netns-iface ${i.up ? 'is-up' : 'is-down'}`}>
            <strong>{i.name}</strong> {i.up ? 'up' : 'down'}
            {i.addresses.length > 0 && (
              <>
                {' '}
                · <code>{i.addresses.join(', ')}</code>
              </>
            )}
            {i.name !== 'lo' && i.mac && (
              <>
                {' '}
                · <span className="netns-mac">{i.mac}</span>
              </>
            )}
            {i.peer && (
              <span className="netns-peer">
                {' '}
                · veth pair: its other end is <code>{i.peer}</code> on the host
              </span>
            )}
          </li>
        ))}
      </ul>
      {view.routes.length > 0 && (
        <ul className="netns-routes" aria-label="Routes">
          {view.routes.map((r) => (
            <li key={`${r.destination} ${r.device}`}>
              <code>
                {r.destination}
                {r.gateway ? ` via ${r.gateway}` : ''} dev {r.device}
                {r.source ? ` src ${r.source}` : ''}
                {r.metric !== undefined ? ` metric ${r.metric}` : ''}
              </code>
            </li>
          ))}
        </ul>
      )}
      {!view.routes.some((r) => r.destination === 'default') && <p className="netns-note">No default route: nothing outside these networks is reachable.</p>}
    </section>
  );
}
