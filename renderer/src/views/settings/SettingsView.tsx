// Settings: the Docker Engine API service. Started here (or with `strata
// system service` in a terminal), it lets docker, docker-compose and
// docker-py drive this engine; the app then shows what they do as they do
// it, since they change the same store the app follows.

import { useState } from 'react';
import type { DockerApiStatus } from '../../../../engine/api';
import { ActionButton } from '../../components/ActionButton';
import { ActivityFeed } from './ActivityFeed';
import { useActions } from '../../data/actions';
import { useClient } from '../../data/EngineContext';
import { useQuery } from '../../data/useQuery';

function since(ns: number | undefined): string {
  return ns ? new Date(ns / 1e6).toLocaleTimeString([], { hourCycle: 'h23' }) : '';
}

export function SettingsView() {
  const client = useClient();
  const { run } = useActions();
  // Nothing in the event stream says the service came or went (a terminal may start it): ask now and then.
  const status = useQuery('dockerApi.status', {}, { pollMs: 2000 });
  const [busy, setBusy] = useState(false);
  const s: DockerApiStatus | undefined = status.data;

  const act = async (what: 'dockerApi.start' | 'dockerApi.stop', command: string) => {
    setBusy(true);
    await run(command, () => client.call(what, {}), (r) => (r.running ? `serving on ${r.address}` : 'stopped'));
    setBusy(false);
    status.reload();
  };

  return (
    <div className="view view-settings">
      <header className="view-head">
        <div>
          <h1>Settings</h1>
          <p className="lead">How other tools reach this engine.</p>
        </div>
      </header>
      <section className="panel docker-api" aria-labelledby="docker-api-title">
        <h2 id="docker-api-title">Docker Engine API</h2>
        <p className="panel-lead">
          The docker CLI, docker-compose and docker-py speak Docker&apos;s API. With this service running they drive Strata unchanged, on this
          same store: what they create appears in Containers and Images as it happens, and what you do here shows in their <code>docker ps</code>.
        </p>
        {status.error && <p role="alert">{status.error.message}</p>}
        {s && (
          <>
            <p className={`service-state service-${s.running ? 'running' : 'stopped'}`} role="status" aria-label="Service">
              <span className="live-dot" aria-hidden="true" />
              {s.running ? (
                <>
                  Running on <code>{s.address}</code> since {since(s.since)} (pid {s.pid}); {s.access} may connect.
                </>
              ) : (
                <>
                  Stopped. It would listen on <code>{s.address}</code>.
                </>
              )}
            </p>
            <div className="head-actions">
              {s.running ? (
                <ActionButton label="Stop the service" variant="danger" command={`kill ${s.pid}`} busy={busy} onPress={() => act('dockerApi.stop', `kill ${s.pid}`)} />
              ) : (
                <ActionButton label="Start the service" variant="primary" command={`strata system service --socket ${s.address}`} busy={busy} onPress={() => act('dockerApi.start', `strata system service --socket ${s.address}`)} />
              )}
            </div>
            <h3>In a terminal</h3>
            <p className="panel-lead">Point Docker&apos;s tools at it, then use them as usual:</p>
            <pre className="docker-host" aria-label="DOCKER_HOST">
              <code>{`export DOCKER_HOST=${s.dockerHost}\ndocker run --rm starter echo hello\ndocker-compose up -d`}</code>
            </pre>
            <p className="teach">
              Whoever can open the socket can run containers as root, as with Docker&apos;s own: it is created <code>0660</code>, owned by root and
              the group <code>strata</code> when that group exists. Another address comes from <code>hosts</code> in <code>/etc/strata/config.json</code>;
              TCP is served on 127.0.0.1 only.
            </p>
          </>
        )}
        <ActivityFeed />
      </section>
    </div>
  );
}
