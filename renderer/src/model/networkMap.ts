// Where everything goes in the Networks picture: the host as a band across
// the top (its published ports are doors in it), each network a group below
// (its name, subnet, gateway and bridge in a header), each container a box
// inside the groups it is on (its address, interface and aliases), and an
// arrow from each published port down to the container it leads to. Pure,
// so it can be tested without a browser; the view draws it.

import type { NetworkEndpoint, NetworkSummary, PublishedPort } from '../../../engine/api';

export interface MapNode {
  key: string;
  containerId: string;
  name: string;
  /** A running container's place on this network; absent for one that joins when it starts. */
  endpoint?: NetworkEndpoint;
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface MapGroup {
  network: NetworkSummary;
  x: number;
  y: number;
  w: number;
  h: number;
  nodes: MapNode[];
}

export interface PortArrow {
  key: string;
  port: PublishedPort;
  /** "127.0.0.1:8080 → 80/tcp" */
  label: string;
  /** Where the door is, on the host band's lower edge. */
  x1: number;
  y1: number;
  /** Where its label goes: staggered, so neighbouring doors' labels do not overlap. */
  labelY: number;
  /** The top of the container's box it leads to. */
  x2: number;
  y2: number;
  containerId: string;
}

export interface NetworkMap {
  width: number;
  height: number;
  host: { x: number; y: number; w: number; h: number };
  groups: MapGroup[];
  arrows: PortArrow[];
}

export const mapSizes = { nodeW: 190, nodeH: 74, gap: 14, header: 96, empty: 30, pad: 16, hostH: 64, lane: 30, labelLine: 18, maxCols: 3 };

/** The default bridge first, then user networks by name, then host and none: the order Docker lists them. */
export function networkOrder(a: NetworkSummary, b: NetworkSummary): number {
  const rank = (n: NetworkSummary) => (n.name === 'bridge' ? 0 : n.predefined ? 2 : 1);
  return rank(a) - rank(b) || (rank(a) === 2 ? (a.name === 'host' ? -1 : 1) : a.name.localeCompare(b.name));
}

export const portLabel = (p: PublishedPort) => `${p.hostIp}:${p.hostPort} → ${p.containerPort}/${p.protocol}`;

export function layoutNetworkMap(networks: readonly NetworkSummary[], width: number): NetworkMap {
  const s = mapSizes;
  const sorted = [...networks].sort(networkOrder);
  const doors = networks.reduce((n, net) => n + net.endpoints.reduce((m, e) => m + e.ports.length, 0), 0);
  // Room under the host for one line of door labels each (up to four rows, then they repeat).
  const labelRows = Math.min(4, doors);
  const groups: MapGroup[] = [];
  let x = s.pad;
  let y = s.hostH + s.lane + labelRows * s.labelLine;
  let rowHeight = 0;
  for (const network of sorted) {
    const members = [
      ...network.endpoints.map((e) => ({ containerId: e.containerId, name: e.containerName, endpoint: e as NetworkEndpoint | undefined })),
      ...network.stopped.map((c) => ({ containerId: c.containerId, name: c.containerName, endpoint: undefined })),
    ];
    const cols = Math.max(1, Math.min(s.maxCols, members.length));
    const rows = Math.ceil(members.length / cols);
    const w = Math.max(300, cols * s.nodeW + (cols - 1) * s.gap + 2 * s.pad);
    const h = s.header + (rows === 0 ? s.empty : rows * s.nodeH + (rows - 1) * s.gap) + s.pad;
    if (x > s.pad && x + w > width - s.pad) {
      x = s.pad;
      y += rowHeight + s.gap * 2;
      rowHeight = 0;
    }
    const nodes = members.map((m, i) => ({
      key: `${network.id}/${m.containerId}`,
      containerId: m.containerId,
      name: m.name,
      endpoint: m.endpoint,
      x: x + s.pad + (i % cols) * (s.nodeW + s.gap),
      y: y + s.header + Math.floor(i / cols) * (s.nodeH + s.gap),
      w: s.nodeW,
      h: s.nodeH,
    }));
    groups.push({ network, x, y, w, h, nodes });
    x += w + s.gap * 2;
    rowHeight = Math.max(rowHeight, h);
  }
  const height = y + rowHeight + s.pad;
  const mapWidth = Math.max(width, ...groups.map((g) => g.x + g.w + s.pad));
  const host = { x: s.pad, y: s.pad / 2, w: mapWidth - 2 * s.pad, h: s.hostH - s.pad / 2 };
  const arrows: PortArrow[] = [];
  for (const g of groups) {
    for (const n of g.nodes) {
      const ports = n.endpoint?.ports ?? [];
      ports.forEach((port, i) => {
        // Doors spread across the box's width, so each arrow and label stands apart.
        const x2 = n.x + ((i + 1) * n.w) / (ports.length + 1);
        const labelY = host.y + host.h + s.labelLine * (1 + (arrows.length % Math.max(1, labelRows)));
        arrows.push({ key: `${n.key}/${port.hostIp}:${port.hostPort}/${port.protocol}`, port, label: portLabel(port), x1: x2, y1: host.y + host.h, labelY, x2, y2: n.y, containerId: n.containerId });
      });
    }
  }
  return { width: mapWidth, height, host, groups, arrows };
}
