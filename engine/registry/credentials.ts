// Credentials where the docker CLI keeps them: config.json in $DOCKER_CONFIG
// (default ~/.docker), `auths` keyed by registry ("host:port", Docker Hub's
// "https://index.docker.io/v1/") holding base64 "user:password" or an
// identity token, unless a credential helper holds them: credHelpers[host],
// else credsStore, run as `docker-credential-NAME get|store|erase` with the
// server on stdin and JSON on stdout. The file is rewritten whole (other
// keys kept as they were), atomically, mode 0600 in a 0700 directory.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { invalidArgument, unavailable } from '../errors';
import { tempName } from '../store/liveness';
import { dockerHubAuthKey, dockerHubDomain, dockerHubRegistry } from './hosts';

export interface Credentials {
  username: string;
  password: string;
  /** An OAuth refresh token a registry handed out at login, used instead of the password. */
  identityToken?: string;
}

interface AuthEntry {
  auth?: string;
  username?: string;
  password?: string;
  identitytoken?: string;
}

interface ConfigJson {
  auths?: Record<string, AuthEntry>;
  credsStore?: string;
  credHelpers?: Record<string, string>;
  [key: string]: unknown;
}

/** The key a registry's credentials are kept under: Docker Hub's legacy URL, else host[:port]. */
export function authKey(server: string): string {
  const host = hostOf(server);
  if (host === dockerHubDomain || host === dockerHubRegistry || host === 'index.docker.io') return dockerHubAuthKey;
  return host;
}

/** "https://host:5000/v2/" → "host:5000", as Docker's ConvertToHostname. */
function hostOf(server: string): string {
  return server.replace(/^https?:\/\//, '').split('/')[0]!;
}

export class CredentialStore {
  readonly file: string;

  constructor(readonly dir: string) {
    this.file = path.join(dir, 'config.json');
  }

  async get(server: string): Promise<Credentials | undefined> {
    const key = authKey(server);
    const config = this.read();
    const helper = this.helperFor(config, key);
    if (helper) {
      const out = await runHelper(helper, 'get', key);
      if (out === null) return undefined;
      const answer = parseJson(out, `docker-credential-${helper}`) as { Username?: string; Secret?: string };
      if (!answer.Secret) return undefined;
      return answer.Username === '<token>'
        ? { username: '', password: '', identityToken: answer.Secret }
        : { username: answer.Username ?? '', password: answer.Secret };
    }
    const entry = this.entryFor(config, key);
    if (!entry) return undefined;
    let { username = '', password = '' } = entry;
    if (entry.auth) {
      const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon < 0) throw invalidArgument(`invalid auth configuration file ${this.file}: the auth of ${key} has no colon`);
      username = decoded.slice(0, colon);
      password = decoded.slice(colon + 1);
    }
    if (!username && !password && !entry.identitytoken) return undefined;
    return { username, password, ...(entry.identitytoken ? { identityToken: entry.identitytoken } : {}) };
  }

  /** Keeps credentials; returns the file when they went into it in plain text (the CLI warns). */
  async store(server: string, creds: Credentials): Promise<{ plainTextFile?: string }> {
    const key = authKey(server);
    const config = this.read();
    const helper = this.helperFor(config, key);
    if (helper) {
      const secret = creds.identityToken ?? creds.password;
      const username = creds.identityToken ? '<token>' : creds.username;
      await runHelper(helper, 'store', JSON.stringify({ ServerURL: key, Username: username, Secret: secret }));
      // The file keeps an empty entry, as the docker CLI's does, so `docker info` lists the registry.
      config.auths = { ...(config.auths ?? {}), [key]: {} };
      this.write(config);
      return {};
    }
    const entry: AuthEntry = creds.identityToken
      ? { auth: Buffer.from(`${creds.username}:`).toString('base64'), identitytoken: creds.identityToken }
      : { auth: Buffer.from(`${creds.username}:${creds.password}`).toString('base64') };
    config.auths = { ...(config.auths ?? {}), [key]: entry };
    this.write(config);
    return { plainTextFile: this.file };
  }

  /** Forgets a registry's credentials; false when there were none. */
  async erase(server: string): Promise<boolean> {
    const key = authKey(server);
    const config = this.read();
    const helper = this.helperFor(config, key);
    const had = !!(config.auths && key in config.auths) || (helper ? (await runHelper(helper, 'get', key)) !== null : false);
    if (helper && had) await runHelper(helper, 'erase', key).catch(() => undefined);
    if (config.auths && key in config.auths) {
      delete config.auths[key];
      this.write(config);
    }
    return had;
  }

  private helperFor(config: ConfigJson, key: string): string | undefined {
    return config.credHelpers?.[key] ?? config.credHelpers?.[hostOf(key)] ?? (config.credsStore || undefined);
  }

  private entryFor(config: ConfigJson, key: string): AuthEntry | undefined {
    const auths = config.auths ?? {};
    if (auths[key]) return auths[key];
    for (const [k, v] of Object.entries(auths)) if (authKey(k) === key) return v;
    return undefined;
  }

  private read(): ConfigJson {
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw err;
    }
    if (text.trim() === '') return {};
    const config = parseJson(text, this.file);
    if (typeof config !== 'object' || config === null || Array.isArray(config)) throw invalidArgument(`invalid auth configuration file ${this.file}: not a JSON object`);
    return config as ConfigJson;
  }

  private write(config: ConfigJson): void {
    fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const tmp = path.join(this.dir, tempName('.config.json-'));
    try {
      fs.writeFileSync(tmp, JSON.stringify(config, null, '\t'), { mode: 0o600 });
      fs.renameSync(tmp, this.file);
    } finally {
      fs.rmSync(tmp, { force: true });
    }
  }
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw invalidArgument(`invalid JSON from ${what}: ${(err as Error).message}`);
  }
}

/**
 * Runs `docker-credential-NAME ACTION` with `input` on stdin; resolves to its
 * output, or null when it says it has no credentials for the server.
 */
function runHelper(name: string, action: 'get' | 'store' | 'erase', input: string): Promise<string | null> {
  if (!/^[A-Za-z0-9._-]+$/.test(name)) return Promise.reject(invalidArgument(`invalid credential helper name: ${JSON.stringify(name)}`));
  const program = `docker-credential-${name}`;
  return new Promise((resolve, reject) => {
    const child = spawn(program, [action], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('error', (e: NodeJS.ErrnoException) =>
      reject(unavailable(e.code === 'ENOENT' ? `error getting credentials - err: exec: "${program}": executable file not found in $PATH` : e.message)),
    );
    child.on('close', (code) => {
      if (code === 0) return resolve(out);
      const said = (out.trim() || err.trim()).split('\n')[0] ?? '';
      if (action === 'get' && /credentials not found/i.test(said)) return resolve(null);
      reject(unavailable(`error ${action === 'get' ? 'getting' : action === 'store' ? 'storing' : 'erasing'} credentials - err: exit status ${code}, out: \`${said}\``));
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(input);
  });
}
