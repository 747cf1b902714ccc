// How the renderer reaches the engine: through Electron's preload bridge when
// it runs in the app, else through the browser host's websocket, guarded by
// the token from the URL the host printed. The token moves from the URL into
// sessionStorage (and the URL is cleaned), so it is not left in the address
// bar, the history or a screenshot, yet survives a reload of the tab.

import type { StreamName } from '../../../engine/api';
import type { SaveOutcome, StrataBridge } from '../../../electron/bridge';
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

const tokenKey = 'strata.token';

/** The host's token: from `?token=` (then removed from the URL) or from this tab's sessionStorage. */
export function takeToken(win: Pick<Window, 'location' | 'history' | 'sessionStorage'>): string | undefined {
  const params = new URLSearchParams(win.location.search);
  const fromUrl = params.get('token');
  if (fromUrl) {
    win.sessionStorage.setItem(tokenKey, fromUrl);
    params.delete('token');
    const query = params.toString();
    win.history.replaceState(win.history.state, '', `${win.location.pathname}${query ? `?${query}` : ''}${win.location.hash}`);
    return fromUrl;
  }
  return win.sessionStorage.getItem(tokenKey) ?? undefined;
}

/** The browser host's download URL for a byte stream (engine/host/download.ts). */
export function downloadUrl(name: string, arg: unknown, suggestedName: string, token: string | undefined): string {
  const q = new URLSearchParams({ arg: JSON.stringify(arg ?? {}), filename: suggestedName });
  if (token) q.set('token', token);
  return `/download/${encodeURIComponent(name)}?${q}`;
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
  // Without a token the host's cookie (set by the first page load) may still let this tab in.
  const token = takeToken(window);
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const query = token ? `?token=${encodeURIComponent(token)}` : '';
  const port = websocketPort(`${scheme}//${location.host}/ws${query}`);
  try {
    await port.ready;
  } catch (err) {
    throw toEngineError({ code: 'Unavailable', message: (err as Error).message });
  }
  return Object.assign(createRemoteClient(port), {
    shell: 'browser' as const,
    async saveStream(name: StreamName, arg: unknown, suggestedName: string): Promise<SaveOutcome> {
      const link = document.createElement('a');
      link.href = downloadUrl(name, arg, suggestedName, token);
      link.download = suggestedName;
      link.rel = 'noopener';
      document.body.appendChild(link);
      link.click();
      link.remove();
      return { kind: 'download' };
    },
  });
}
