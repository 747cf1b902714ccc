// Where the Docker API service listens: a unix socket (the default,
// unix:///run/strata/docker.sock, or the first of daemon.json's `hosts` in
// Strata's settings file), or TCP on 127.0.0.1 only when asked — whoever
// can connect can run containers as root, so the service never listens on
// an address other hosts can reach.

import path from 'node:path';
import { loadConfig } from '../config';
import { invalidArgument } from '../errors';

export type ListenAddress = { kind: 'unix'; path: string } | { kind: 'tcp'; host: '127.0.0.1'; port: number };

export const defaultServiceAddress = 'unix:///run/strata/docker.sock';

export function parseAddress(text: string): ListenAddress {
  const value = text.trim();
  if (value.startsWith('unix://')) {
    const file = value.slice('unix://'.length);
    if (!path.isAbsolute(file)) throw invalidArgument(`invalid socket address ${JSON.stringify(text)}: the path must be absolute (unix:///PATH)`);
    return { kind: 'unix', path: path.normalize(file) };
  }
  if (value.startsWith('tcp://')) {
    const m = /^tcp:\/\/([^/:]+|\[[^\]]+\])(?::(\d+))?\/?$/.exec(value);
    if (!m) throw invalidArgument(`invalid socket address ${JSON.stringify(text)}: expected tcp://127.0.0.1:PORT`);
    if (m[1] !== '127.0.0.1' && m[1] !== 'localhost') {
      throw invalidArgument(
        `refusing to listen on ${m[1]}: the Docker API runs containers as root for whoever connects, so Strata serves TCP on 127.0.0.1 only`,
      );
    }
    const port = m[2] === undefined ? 2375 : Number(m[2]);
    if (!Number.isInteger(port) || port > 65535) throw invalidArgument(`invalid port in ${JSON.stringify(text)}: expected 0 (any free port) to 65535`);
    return { kind: 'tcp', host: '127.0.0.1', port };
  }
  throw invalidArgument(`invalid socket address ${JSON.stringify(text)}: expected unix:///PATH or tcp://127.0.0.1:PORT`);
}

export function formatAddress(a: ListenAddress): string {
  return a.kind === 'unix' ? `unix://${a.path}` : `tcp://${a.host}:${a.port}`;
}

/** The address the service takes when none is given: the settings file's `hosts`, else the default socket. */
export function configuredAddress(configRoot?: string): ListenAddress {
  const hosts = loadConfig(configRoot).strings('hosts');
  return parseAddress(hosts[0] ?? defaultServiceAddress);
}
