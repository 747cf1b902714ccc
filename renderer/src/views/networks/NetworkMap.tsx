// The Networks picture, drawn with d3's link paths: the host across the top,
// each published port a door in it with an arrow down to the container it
// leads to; each network a group with its subnet, gateway and bridge; each
// container a box with its address, interface and aliases (a container on
// two networks is in both groups, with an address on each). Containers that
// join a network when they start are drawn dashed, without an address.

import { linkVertical } from 'd3';
import { useMemo } from 'react';
import type { NetworkSummary } from '../../../../engine/api';
import { layoutNetworkMap, type MapGroup, type MapNode } from '../../model/networkMap';
import { fitText } from '../../model/stackLayout';
import { formatRoute } from '../../app/routes';
import { useNavigate } from '../../app/navigation';

/** Two lines under the name: the addresses, then where the bridge is. */
const groupWords = (n: NetworkSummary): [string, string] => {
  if (n.driver === 'host') return ["the host's own network", 'shared: no isolation'];
  if (n.driver === 'null') return ['no network', 'only its own loopback'];
  return [`${n.subnet} · gateway ${n.gateway}`, `bridge ${n.bridge} on the host`];
};

const badges = (n: NetworkSummary): string[] => {
  if (n.driver !== 'bridge') return [];
  return [n.name === 'bridge' ? 'default bridge' : 'user-defined', n.dns ? 'DNS by name' : 'no DNS', ...(n.internal ? ['internal: no route out'] : [])];
};

function Group({ g }: { g: MapGroup }) {
  const n = g.network;
  return (
    <g className={`nm-group nm-${n.driver} ${n.internal ? 'is-internal' : ''}`} role="group" aria-label={`Network ${n.name}: ${groupWords(n).join(', ')}`} data-testid={`network-${n.name}`}>
      <rect x={g.x} y={g.y} width={g.w} height={g.h} rx={14} className="nm-group-box" />
      <text x={g.x + 14} y={g.y + 22} className="nm-group-name">
        {n.name}
      </text>
      {groupWords(n).map((line, i) => (
        <text key={i} x={g.x + 14} y={g.y + 42 + i * 17} className="nm-group-facts">
          {fitText(line, Math.floor((g.w - 28) / 7.6))}
        </text>
      ))}
      <text x={g.x + 14} y={g.y + 80} className="nm-group-badges">
        {fitText(badges(n).join(' · '), Math.floor((g.w - 28) / 7))}
      </text>
      {g.nodes.length === 0 && (
        <text x={g.x + 14} y={g.y + 110} className="nm-empty">
          no containers
        </text>
      )}
      {g.nodes.map((node) => (
        <Node key={node.key} node={node} network={n} />
      ))}
    </g>
  );
}

function Node({ node, network }: { node: MapNode; network: NetworkSummary }) {
  const go = useNavigate();
  const e = node.endpoint;
  const route = { view: 'container' as const, id: node.containerId, tab: 'files' as const };
  const address = e ? `${e.ip}/${e.prefixLength} on ${e.interface}` : network.driver === 'bridge' ? 'joins when it starts' : 'stopped';
  const aliases = e && e.aliases.length > 0 ? `aka ${e.aliases.join(', ')}` : '';
  return (
    <a
      href={formatRoute(route)}
      onClick={(ev) => {
        ev.preventDefault();
        go(route);
      }}
      aria-label={`${node.name}: ${address}${aliases ? `, ${aliases}` : ''}`}
      className={`nm-node ${e ? 'is-running' : 'is-stopped'}`}
      data-testid={`endpoint-${network.name}-${node.name}`}
    >
      <rect x={node.x} y={node.y} width={node.w} height={node.h} rx={8} className="nm-node-box" />
      <text x={node.x + 10} y={node.y + 22} className="nm-node-name">
        {fitText(node.name, Math.floor((node.w - 20) / 8.4))}
      </text>
      <text x={node.x + 10} y={node.y + 42} className="nm-node-ip">
        {fitText(address, Math.floor((node.w - 20) / 7.4))}
      </text>
      {aliases && (
        <text x={node.x + 10} y={node.y + 60} className="nm-node-aliases">
          {fitText(aliases, Math.floor((node.w - 20) / 7))}
        </text>
      )}
    </a>
  );
}

export function NetworkMap({ networks, width }: { networks: readonly NetworkSummary[]; width: number }) {
  const map = useMemo(() => layoutNetworkMap(networks, width), [networks, width]);
  const link = linkVertical<unknown, { x: number; y: number }>()
    .x((d) => d.x)
    .y((d) => d.y);
  return (
    <div className="nm-scroll">
      <svg className="nm" width={map.width} height={map.height} viewBox={`0 0 ${map.width} ${map.height}`} role="group" aria-label="Networks, the containers on them and the ports published from the host">
        <defs>
          <marker id="nm-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto">
            <path d="M0,0 L10,5 L0,10 z" className="nm-arrow-head" />
          </marker>
        </defs>
        <g className="nm-host" role="group" aria-label="This host">
          <rect x={map.host.x} y={map.host.y} width={map.host.w} height={map.host.h} rx={10} className="nm-host-box" />
          <text x={map.host.x + 14} y={map.host.y + 24} className="nm-host-name">
            This host
          </text>
          <text x={map.host.x + 14} y={map.host.y + 44} className="nm-host-note">
            {map.arrows.length > 0 ? 'its ports lead into containers: netavark forwards them, the container’s monitor holds them' : 'no ports published'}
          </text>
        </g>
        {map.arrows.map((a) => (
          <path key={`${a.key}-line`} d={link({ source: { x: a.x1, y: a.y1 }, target: { x: a.x2, y: a.y2 } }) ?? ''} className="nm-arrow" markerEnd="url(#nm-arrow)" />
        ))}
        {map.groups.map((g) => (
          <Group key={g.network.id} g={g} />
        ))}
        {map.arrows.map((a) => (
          <g key={`${a.key}-door`} className="nm-door" role="img" aria-label={`Published port: host ${a.label}`} data-testid="published-port">
            <rect x={a.x1 - 4} y={a.y1 - 8} width={8} height={12} className="nm-door-box" />
            <text x={a.x1 + 8} y={a.labelY} className="nm-door-label">
              {a.label}
            </text>
          </g>
        ))}
      </svg>
    </div>
  );
}
