// `strata port CONTAINER [PRIVATE_PORT[/PROTO]]`: the container's published
// ports from its inspect data, lines in natural order, as docker's CLI prints them.

import type { CommandModule } from '../command';

const hostPort = (ip: string, port: string) => (ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`);

/** sortorder.NaturalLess: digit runs compare as numbers. */
export function naturalLess(a: string, b: string): number {
  const chunks = (s: string) => s.match(/\d+|\D+/g) ?? [];
  const x = chunks(a);
  const y = chunks(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] === y[i]) continue;
    const both = /^\d/.test(x[i]) && /^\d/.test(y[i]);
    if (both && Number(x[i]) !== Number(y[i])) return Number(x[i]) - Number(y[i]);
    return x[i] < y[i] ? -1 : 1;
  }
  return x.length - y.length;
}

export const port: CommandModule = {
  flags: [],
  args: { min: 1, max: 2 },
  async run(cli, _flags, [ref, wanted]) {
    const c = await cli.client.call('container.inspect', { id: ref });
    const ports = c.NetworkSettings.Ports;
    const out: string[] = [];
    if (wanted !== undefined) {
      const [number, proto = 'tcp'] = wanted.split('/', 2);
      if (!/^\d+$/.test(number) || Number(number) > 65535) throw new Error(`invalid port (${number}): strconv.ParseUint: parsing "${number}": invalid syntax`);
      const frontends = ports[`${number}/${proto}`];
      if (!frontends) throw new Error(`No public port '${wanted}' published for ${ref}`);
      for (const f of frontends) out.push(hostPort(f.HostIp, f.HostPort));
    } else {
      for (const [from, frontends] of Object.entries(ports)) for (const f of frontends ?? []) out.push(`${from} -> ${hostPort(f.HostIp, f.HostPort)}`);
    }
    if (out.length > 0) cli.out(out.sort(naturalLess).join('\n') + '\n');
    return 0;
  },
};
