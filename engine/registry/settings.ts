// Where the registry client finds what a machine's owner configured, and the
// one place that is overridable for tests (`configRoot`, default /etc):
//
//   <configRoot>/strata/config.json   Strata's own settings, with the key
//       names of Docker's daemon.json so a file can be copied across:
//       {"insecure-registries": ["myhost:5000", "10.0.0.0/8"],
//        "registry-mirrors": ["https://mirror.example"],
//        "max-concurrent-downloads": 3, "max-concurrent-uploads": 5}
//   <configRoot>/docker/certs.d/HOST[:PORT]/      a registry's CA (*.crt) and
//   <configRoot>/containers/certs.d/HOST[:PORT]/  client certificate (*.cert + *.key)
//
// Credentials are the docker CLI's: $DOCKER_CONFIG/config.json, else
// ~/.docker/config.json (see credentials.ts).

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { invalidArgument } from '../errors';

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

interface ConfigFile {
  'insecure-registries'?: unknown;
  'registry-mirrors'?: unknown;
  'max-concurrent-downloads'?: unknown;
  'max-concurrent-uploads'?: unknown;
}

/** Reads the settings now (a pull sees the file as it is when it starts). */
export function loadSettings(overrides: SettingsOverrides = {}): RegistrySettings {
  const configRoot = path.resolve(overrides.configRoot ?? process.env.STRATA_CONFIG_ROOT ?? '/etc');
  const file = path.join(configRoot, 'strata', 'config.json');
  let config: ConfigFile = {};
  try {
    config = JSON.parse(fs.readFileSync(file, 'utf8')) as ConfigFile;
    if (typeof config !== 'object' || config === null || Array.isArray(config)) throw new Error('not a JSON object');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw invalidArgument(`invalid configuration file ${file}: ${(err as Error).message}`);
  }
  const strings = (key: keyof ConfigFile): string[] => {
    const v = config[key];
    if (v === undefined) return [];
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw invalidArgument(`invalid configuration file ${file}: ${key} must be a list of strings`);
    return v as string[];
  };
  const count = (key: keyof ConfigFile, fallback: number): number => {
    const v = config[key];
    if (v === undefined) return fallback;
    if (!Number.isSafeInteger(v) || (v as number) < 1) throw invalidArgument(`invalid configuration file ${file}: ${key} must be a positive integer`);
    return v as number;
  };
  return {
    configRoot,
    file,
    insecureRegistries: strings('insecure-registries'),
    mirrors: strings('registry-mirrors').map((m) => m.replace(/\/+$/, '')),
    maxConcurrentDownloads: count('max-concurrent-downloads', 3),
    maxConcurrentUploads: count('max-concurrent-uploads', 5),
    dockerConfigDir: path.resolve(overrides.dockerConfigDir ?? process.env.DOCKER_CONFIG ?? path.join(os.homedir(), '.docker')),
    indexServer: 'https://index.docker.io',
  };
}

/** The certs.d directories that may hold files for `host` (host or host:port). */
export function certDirs(settings: RegistrySettings, host: string): string[] {
  return [path.join(settings.configRoot, 'docker', 'certs.d', host), path.join(settings.configRoot, 'containers', 'certs.d', host)];
}
