// Where the registry client finds what a machine's owner configured, and the
// one place that is overridable for tests (`configRoot`, default /etc):
//
//   <configRoot>/strata/config.json   Strata's settings file (engine/config.ts);
//       the registry's keys, as in Docker's daemon.json:
//       {"insecure-registries": ["myhost:5000", "10.0.0.0/8"],
//        "registry-mirrors": ["https://mirror.example"],
//        "max-concurrent-downloads": 3, "max-concurrent-uploads": 5}
//   <configRoot>/docker/certs.d/HOST[:PORT]/      a registry's CA (*.crt) and
//   <configRoot>/containers/certs.d/HOST[:PORT]/  client certificate (*.cert + *.key)
//
// Credentials are the docker CLI's: $DOCKER_CONFIG/config.json, else
// ~/.docker/config.json (see credentials.ts).

import os from 'node:os';
import path from 'node:path';
import { defaultConfigRoot, loadConfig } from '../config';

export interface RegistrySettings {
  configRoot: string;
  /** Strata's settings file (it may not exist). */
  file: string;
  /** host[:port] entries and CIDR ranges whose registries may be reached over plain HTTP. */
  insecureRegistries: string[];
  /** Base URLs tried, in order, before Docker Hub for docker.io images (pull only). */
  mirrors: string[];
  maxConcurrentDownloads: number;
  maxConcurrentUploads: number;
  /** The docker CLI's configuration directory (config.json with auths, credsStore, credHelpers). */
  dockerConfigDir: string;
  /** Docker Hub's search index (https://index.docker.io); a registry named in the term is searched instead. */
  indexServer: string;
}

export interface SettingsOverrides {
  configRoot?: string;
  dockerConfigDir?: string;
}

/** Reads the settings now (a pull sees the file as it is when it starts). */
export function loadSettings(overrides: SettingsOverrides = {}): RegistrySettings {
  const config = loadConfig(overrides.configRoot !== undefined ? path.resolve(overrides.configRoot) : defaultConfigRoot());
  return {
    configRoot: config.configRoot,
    file: config.file,
    insecureRegistries: config.strings('insecure-registries'),
    mirrors: config.strings('registry-mirrors').map((m) => m.replace(/\/+$/, '')),
    maxConcurrentDownloads: config.positiveInteger('max-concurrent-downloads', 3),
    maxConcurrentUploads: config.positiveInteger('max-concurrent-uploads', 5),
    dockerConfigDir: path.resolve(overrides.dockerConfigDir ?? process.env.DOCKER_CONFIG ?? path.join(os.homedir(), '.docker')),
    indexServer: 'https://index.docker.io',
  };
}

/** The certs.d directories that may hold files for `host` (host or host:port). */
export function certDirs(settings: RegistrySettings, host: string): string[] {
  return [path.join(settings.configRoot, 'docker', 'certs.d', host), path.join(settings.configRoot, 'containers', 'certs.d', host)];
}
