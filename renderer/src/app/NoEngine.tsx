// What a person sees when the page has no engine to talk to: most often an
// address opened without its token (a reload, a new tab, a bookmark) or with
// an earlier run's. The app's own page is public, so the host cannot refuse
// it; the page itself says how to get a working link.

import { NotConnected } from '../transport';

const titles: Record<NotConnected['reason'], string> = {
  'no-token': 'This link needs its access token',
  'token-refused': 'This link’s access token does not work',
  unreachable: 'Strata cannot reach its engine',
};

export function NoEngine({ error }: { error: Error }) {
  const reason = error instanceof NotConnected ? error.reason : 'unreachable';
  const address = `${location.origin}/#token=…`;
  return (
    <main className="unreachable">
      <h1>{titles[reason]}</h1>
      <p>
        {reason === 'no-token'
          ? 'This address carries no token. The page keeps it in memory only, so a reload, a new tab or a bookmark starts without it.'
          : reason === 'token-refused'
            ? 'The engine’s host is running but refused the token this address carried: it belongs to an earlier run, or was cut or mistyped.'
            : `Why: ${error.message}.`}
      </p>
      <p>
        Strata’s engine runs as root on this machine, so its app answers only whoever holds this run’s access token. The terminal that
        started it shows the one address that works, with the token after <code>#token=</code>:
      </p>
      <pre>Strata: {address}</pre>
      <ul>
        <li>Open that address, copied whole: after a reload or in a new tab too.</li>
        <li>
          Closed that terminal, or opened a bookmark of an earlier run? Start the app again with <code>strata gui --browser</code> (or{' '}
          <code>npm start</code>): each run prints a new address, and old ones stop working.
        </li>
      </ul>
      <p className="why">
        Any program or web page on this computer can reach 127.0.0.1, and the engine can run any command as root: without the token, the
        page is all anyone gets.
      </p>
    </main>
  );
}
