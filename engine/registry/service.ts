// The engine's registry requests and streams: pull and push as streams
// (closing one cancels the transfer), login, logout, search and manifest
// inspect as requests. Each operation reads the settings afresh and opens
// its own connections, closed when it ends.

import path from 'node:path';
import type { LoginResult, PullMessage, PullOptions, PushMessage, PushOptions, SearchResult } from '../api';
import { asEngineError, EngineError } from '../errors';
import type { StreamCallbacks, StreamHandle } from '../rpc/client';
import type { Db } from '../store/db';
import type { EventLog } from '../store/events';
import { LayerSources } from '../store/layerSources';
import type { Store } from '../store/store';
import { Downloads } from './download';
import { TransferProgress } from './progress';
import { Registries } from './registries';
import type { SettingsOverrides } from './settings';

export interface RegistryDeps {
  store: Store;
  db: Db;
  events: EventLog;
  overrides: SettingsOverrides;
}

export class RegistryService {
  private readonly sources: LayerSources;
  private readonly downloads: Downloads;

  constructor(private readonly deps: RegistryDeps) {
    this.sources = new LayerSources(deps.db);
    this.downloads = new Downloads(path.join(deps.store.root, 'downloads'));
  }

  pullStream(arg: PullOptions, cb: StreamCallbacks<PullMessage>): StreamHandle<never> {
    return this.transfer('pull', cb, async (registries, progress, signal) => {
      const { pull } = await import('./pull');
      await pull({ ...this.deps, sources: this.sources, downloads: this.downloads, registries }, arg, progress, signal);
    });
  }

  /**
   * A pull as a build's FROM runs it: resolves when done, its lines said as
   * a terminal-less docker prints them (each layer once it is in place).
   */
  pullQuietly(arg: PullOptions, say: (line: string) => void, signal: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const handle = this.pullStream(arg, {
        onMessage(m) {
          if (m.type === 'status' && !m.text.startsWith('Error: ')) say(m.id ? `${m.id}: ${m.text}` : m.text);
          else if (m.type === 'layer' && (m.status === 'Pull complete' || m.status === 'Already exists')) say(`${m.id}: ${m.status}`);
        },
        onEnd: (err) => (err ? reject(EngineError.fromPayload(err)) : resolve()),
      });
      signal.addEventListener('abort', () => handle.close(), { once: true });
    });
  }

  pushStream(arg: PushOptions, cb: StreamCallbacks<PushMessage>): StreamHandle<never> {
    return this.transfer('push', cb, async (registries, progress, signal) => {
      const { push } = await import('./push');
      await push({ ...this.deps, sources: this.sources, registries }, arg, progress, signal);
    });
  }

  async login(a: { server?: string; username: string; password: string }): Promise<LoginResult> {
    const { login } = await import('./login');
    return this.with((r) => login(r, a));
  }

  async logout(a: { server?: string }): Promise<{ server: string; removed: boolean }> {
    const { logout } = await import('./login');
    return this.with((r) => logout(r, a.server));
  }

  async search(a: { term: string; limit?: number; stars?: number; official?: boolean; automated?: boolean }): Promise<SearchResult[]> {
    const { search } = await import('./search');
    return this.with((r) => search(r, a));
  }

  async manifest(a: { reference: string }): Promise<{ mediaType: string; digest: string; raw: string }> {
    const { inspectManifest } = await import('./inspect');
    return this.with((r) => inspectManifest(r, a.reference));
  }

  private async with<T>(work: (r: Registries) => Promise<T>): Promise<T> {
    const registries = new Registries(this.deps.overrides);
    try {
      return await work(registries);
    } finally {
      await registries.close();
    }
  }

  private transfer<M extends PullMessage | PushMessage>(
    kind: 'pull' | 'push',
    cb: StreamCallbacks<M>,
    work: (r: Registries, progress: TransferProgress<M>, signal: AbortSignal) => Promise<void>,
  ): StreamHandle<never> {
    const abort = new AbortController();
    let ended = false;
    const progress = new TransferProgress<M>(this.deps.events, kind, (m) => {
      if (!ended) cb.onMessage(m);
    });
    (async () => {
      const registries = new Registries(this.deps.overrides);
      try {
        await work(registries, progress, abort.signal);
      } finally {
        await registries.close();
      }
    })().then(
      () => {
        ended = true;
        cb.onEnd();
      },
      (err) => {
        ended = true;
        const e = asEngineError(abort.signal.aborted ? new Error(`${kind} cancelled`) : err);
        progress.emit({ type: 'status', text: `Error: ${e.message}` } as M);
        cb.onEnd(e.toPayload());
      },
    );
    return { send() {}, close: () => abort.abort(new Error(`${kind} cancelled`)) };
  }
}
