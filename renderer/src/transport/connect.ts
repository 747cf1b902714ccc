// How the renderer reaches the engine: through Electron's preload bridge when
// it runs in the app, else through the browser host's websocket, guarded by
// the token in the fragment of the address the host printed
// (http://127.0.0.1:PORT/#token=...). The token is taken out of the address
// at once (so it is not left in the address bar, the tab's history or a
// screenshot) and kept in this page's memory only: no cookie, no storage,
// no URL the page requests. It travels as a websocket subprotocol; a file
// is saved through a single-use download ticket asked for over the socket.

import type { StreamName } from '../../../engine/api';
import type { SaveOutcome, StrataBridge } from '../../../electron/bridge';
import { handshakeProtocols } from '../../../engine/host/wire';
import { createRemoteClient, toEngineError, type RemoteClient } from './client';
import { electronPort } from './electron';
import { websocketPort } from './websocket';

export type { SaveOutcome };

export interface AppEngine extends RemoteClient {
  readonly shell: 'electron' | 'browser';
  /**
   * Saves the bytes of a stream (image.save, container.export) to a file:
   * Electron asks where with its native dialog and writes it; the browser
   * downloads it into the user's downloads.
   */
  saveStream(name: StreamName, arg: unknown, suggestedName: string): Promise<SaveOutcome>;
}

const tokenPrefix = '#token=';

/**
 * Why the page has no engine: the address carried no token, the host
 * refused the one it carried (an earlier run's, or mistyped), or no host
 * answers at all. The app draws its own screen for each (app/NoEngine.tsx).
 */
export class NotConnected extends Error {
  constructor(
    readonly reason: 'no-token' | 'token-refused' | 'unreachable',
    message: string,
  ) {
    super(message);
    this.name = 'NotConnected';
  }
}

/** The host's token from the address's fragment, which is then removed from the address (and the history entry). */
export function takeToken(win: Pick<Window, 'location' | 'history'>): string | undefined {
  const { hash, pathname, search } = win.location;
  if (!hash.startsWith(tokenPrefix)) return undefined;
  win.history.replaceState(win.history.state, '', `${pathname}${search}`);
  return hash.slice(tokenPrefix.length) || undefined;
}

/** Whether the host that served this page still answers (its page is public: no token needed). */
async function hostAnswers(): Promise<boolean> {
  try {
    await fetch('/', { method: 'HEAD', cache: 'no-store' });
    return true;
  } catch {
    return false;
  }
}

/** Follows a same-origin link the way a click does, so the browser saves what it answers. */
function followDownload(href: string, suggestedName: string): void {
  const link = document.createElement('a');
  link.href = href;
  link.download = suggestedName;
  link.rel = 'noopener';
  document.body.appendChild(link);
  link.click();
  link.remove();
}

export async function connectEngine(): Promise<AppEngine> {
  const bridge = (window as unknown as { strata?: StrataBridge }).strata;
  if (bridge) {
    return Object.assign(createRemoteClient(electronPort(bridge)), {
      shell: 'electron' as const,
      async saveStream(name: StreamName, arg: unknown, suggestedName: string) {
        const r = await bridge.save(name, arg, suggestedName);
        if ('error' in r) throw toEngineError(r.error);
        return r.outcome;
      },
    });
  }
  const token = takeToken(window);
  if (!token) {
    throw new NotConnected(
      'no-token',
      'this page holds no access token: it lives only in the memory of the page it was given to, so a reload or a new tab drops it',
    );
  }
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const port = websocketPort(`${scheme}//${location.host}/ws`, { protocols: handshakeProtocols(token) });
  try {
    await port.ready;
  } catch (err) {
    // A browser is told nothing of why a handshake failed; a host that still serves its page refused the token.
    if (await hostAnswers()) throw new NotConnected('token-refused', 'the Strata host refused this page’s access token');
    throw new NotConnected('unreachable', (err as Error).message);
  }
  const client = createRemoteClient(port);
  return Object.assign(client, {
    shell: 'browser' as const,
    async saveStream(name: StreamName, arg: unknown, suggestedName: string): Promise<SaveOutcome> {
      followDownload(await client.download(name, arg, suggestedName), suggestedName);
      return { kind: 'download' };
    },
  });
}
