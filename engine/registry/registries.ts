// The registries a pull or push talks to, for the length of one operation:
// the settings as they are now, one transport (connection pools, TLS) and
// one session per registry host (its challenge and tokens), credentials
// from the docker CLI's store. For docker.io images the configured mirrors
// are tried first, for pulls only, each with its own credentials.

import type { ImageReference } from '../oci/reference';
import { RegistrySession, Repository } from './client';
import { CredentialStore } from './credentials';
import { dockerHubDomain, registryHost } from './hosts';
import { loadSettings, type RegistrySettings, type SettingsOverrides } from './settings';
import { Transport } from './transport';

export interface Endpoint {
  repository: Repository;
  /** A mirror: its failures fall through to the next endpoint. */
  mirror: boolean;
}

export class Registries {
  readonly settings: RegistrySettings;
  readonly transport: Transport;
  readonly credentials: CredentialStore;
  private readonly sessions = new Map<string, RegistrySession>();

  constructor(overrides: SettingsOverrides = {}) {
    this.settings = loadSettings(overrides);
    this.transport = new Transport(this.settings);
    this.credentials = new CredentialStore(this.settings.dockerConfigDir);
  }

  /** The session for a registry host (or a mirror's base URL). */
  session(host: string, base?: string): RegistrySession {
    const key = base ?? host;
    let s = this.sessions.get(key);
    if (!s) {
      s = new RegistrySession(this.transport, host, () => this.credentials.get(host), base);
      this.sessions.set(key, s);
    }
    return s;
  }

  /** Where to pull a reference from, in order. */
  pullEndpoints(ref: ImageReference): Endpoint[] {
    const out: Endpoint[] = [];
    if (ref.domain === dockerHubDomain) {
      for (const mirror of this.settings.mirrors) {
        out.push({ repository: new Repository(this.session(new URL(mirror).host, mirror), ref.path), mirror: true });
      }
    }
    out.push({ repository: this.repository(ref), mirror: false });
    return out;
  }

  /** The repository a reference names, at its own registry. */
  repository(ref: ImageReference): Repository {
    return new Repository(this.session(registryHost(ref.domain)), ref.path);
  }

  close(): Promise<void> {
    return this.transport.close();
  }
}

/** The registry host a reference's repository lives at, as layer sources record it. */
export function sourceRegistry(ref: ImageReference): string {
  return registryHost(ref.domain);
}
