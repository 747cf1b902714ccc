// `strata system service [--socket unix:///PATH] [--timeout SECONDS]`: the
// Docker Engine API on this engine's store, so docker, compose and docker-py
// drive Strata unchanged (export DOCKER_HOST=...). It serves until Ctrl-C or
// SIGTERM, or, with a timeout, until no client has been connected for that
// long (0, the default: never). Its state file tells the app it runs.

import type { CommandModule } from '../command';
import { OptionError } from '../session';

export const service: CommandModule = {
  flags: [
    { name: 'socket', type: 'string', help: 'Address to serve on: unix:///PATH (default unix:///run/strata/docker.sock) or tcp://127.0.0.1:PORT' },
    { name: 'timeout', short: 't', type: 'int', default: '0', help: 'Seconds without a connected client before the service exits (0: never)' },
  ],
  args: { max: 0 },
  async run(cli, flags) {
    const timeout = flags.int('timeout') ?? 0;
    if (timeout < 0) throw new OptionError(`invalid timeout ${timeout}: expected 0 or more seconds`);
    const { configuredAddress, parseAddress } = await import('../../service/address');
    const { removeServiceState, writeServiceState } = await import('../../service/state');
    const { startDockerApi } = await import('../../dockerapi/server');
    const { nowNanos } = await import('../../store/events');
    const socket = flags.string('socket');
    const address = socket ? parseAddress(socket) : configuredAddress();
    const client = cli.client as import('../../rpc/local').LocalClient;
    let stop: () => void = () => undefined;
    const stopped = new Promise<void>((resolve) => (stop = resolve));
    const api = await startDockerApi({ client, address, idleTimeoutMs: timeout * 1000, onIdle: () => stop() });
    const paths = client.engine.paths;
    writeServiceState(paths, { pid: process.pid, address: api.address, since: nowNanos(), access: api.access });
    cli.out(`Strata: serving the Docker Engine API on ${api.address} (${api.access}); export DOCKER_HOST=${api.address}\n`);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    await stopped;
    removeServiceState(paths);
    await api.close();
    return 0;
  },
};
