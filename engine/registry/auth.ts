// Authentication with a registry, as Docker's distribution client does it:
// GET /v2/ tells which scheme the registry wants (its WWW-Authenticate
// challenge). Basic sends the credentials on every request. Bearer trades
// them (or nothing, anonymously) at the challenge's realm for a token per
// set of scopes (repository:NAME:pull, repository:NAME:pull,push), reused
// until it expires; a refresh token kept from login is traded by POST.

import { unauthorized } from '../errors';
import type { Credentials } from './credentials';
import { registryError } from './registryErrors';
import type { HttpResponse, Transport } from './transport';

export interface Challenge {
  scheme: 'basic' | 'bearer';
  params: Record<string, string>;
}

/** The challenges of a WWW-Authenticate header: `Bearer realm="…",service="…",scope="…"`, `Basic realm="…"`. */
export function parseChallenges(header: string | string[] | undefined): Challenge[] {
  const out: Challenge[] = [];
  for (const value of Array.isArray(header) ? header : header ? [header] : []) {
    const re = /\s*([A-Za-z]+)\s*((?:[A-Za-z0-9_-]+\s*=\s*(?:"(?:[^"\\]|\\.)*"|[^,\s]*)\s*,?\s*)*)/gy;
    let m: RegExpExecArray | null;
    while ((m = re.exec(value)) && m[0] !== '') {
      const scheme = m[1]!.toLowerCase();
      const params: Record<string, string> = {};
      const param = /([A-Za-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g;
      let p: RegExpExecArray | null;
      while ((p = param.exec(m[2]!))) params[p[1]!.toLowerCase()] = p[2] !== undefined ? p[2].replace(/\\(.)/g, '$1') : p[3]!;
      if (scheme === 'basic' || scheme === 'bearer') out.push({ scheme, params });
    }
  }
  return out;
}

interface Token {
  value: string;
  expires: number; // ms since epoch
  refreshToken?: string;
}

/** One registry host's authentication state: its challenge, the credentials for it and the tokens got so far. */
export class Authorizer {
  private challenge: Challenge | null | undefined;
  private readonly tokens = new Map<string, Promise<Token>>();
  /** A refresh token the realm handed out (login keeps it instead of the password). */
  refreshToken: string | undefined;

  constructor(
    private readonly transport: Transport,
    private readonly credentials: () => Promise<Credentials | undefined>,
    /** Ask the realm for a refresh token (login). */
    private readonly offline = false,
  ) {}

  /** Learns the scheme from an answer to GET /v2/ (401 with a challenge, or 200: no auth). */
  learn(res: HttpResponse): void {
    const challenges = parseChallenges(res.headers['www-authenticate']);
    this.challenge = challenges.find((c) => c.scheme === 'bearer') ?? challenges[0] ?? null;
  }

  get known(): boolean {
    return this.challenge !== undefined;
  }

  get scheme(): 'basic' | 'bearer' | 'none' {
    return this.challenge ? this.challenge.scheme : 'none';
  }

  /** The Authorization header for a request needing `scopes`, or undefined. */
  async header(scopes: readonly string[], signal?: AbortSignal): Promise<string | undefined> {
    const c = this.challenge;
    if (!c) return undefined;
    if (c.scheme === 'basic') {
      const creds = await this.credentials();
      if (!creds) return undefined;
      return `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}`;
    }
    const key = [...scopes].sort().join(' ');
    let pending = this.tokens.get(key);
    if (pending) {
      const t = await pending.catch(() => undefined);
      if (!t || t.expires <= Date.now()) pending = undefined;
    }
    if (!pending) {
      pending = this.fetchToken(c.params, scopes, signal);
      this.tokens.set(key, pending);
      pending.catch(() => this.tokens.delete(key));
    }
    return `Bearer ${(await pending).value}`;
  }

  /**
   * A request was refused (401): takes the new challenge (a registry may ask
   * for another scope) and forgets tokens; true when trying again may help.
   */
  refused(res: HttpResponse): boolean {
    const before = JSON.stringify(this.challenge);
    this.learn(res);
    this.tokens.clear();
    return this.challenge?.scheme === 'bearer' && JSON.stringify(this.challenge) !== before;
  }

  private async fetchToken(params: Record<string, string>, scopes: readonly string[], signal?: AbortSignal): Promise<Token> {
    const realm = params.realm;
    if (!realm) throw unauthorized('the registry asked for a token without saying where to get one (no realm)');
    const url = new URL(realm);
    const creds = await this.credentials();
    const allScopes = [...new Set([...scopes, ...(params.scope ? params.scope.split(' ') : [])])];
    let res: HttpResponse;
    if (creds?.identityToken) {
      const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: creds.identityToken, client_id: 'docker', access_type: this.offline ? 'offline' : 'online' });
      if (params.service) form.set('service', params.service);
      if (allScopes.length) form.set('scope', allScopes.join(' '));
      res = await this.transport.send(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
        body: form.toString(),
        signal,
      });
    } else {
      if (params.service) url.searchParams.set('service', params.service);
      for (const s of allScopes) url.searchParams.append('scope', s);
      const headers: Record<string, string> = {};
      if (creds) {
        url.searchParams.set('account', creds.username);
        headers.authorization = `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}`;
        if (this.offline) {
          url.searchParams.set('offline_token', 'true');
          url.searchParams.set('client_id', 'docker');
        }
      }
      res = await this.transport.send(url, { method: 'GET', headers, signal });
    }
    const text = await res.body.text();
    if (res.status < 200 || res.status >= 300) {
      throw registryError(res.status, text, '');
    }
    let body: { token?: string; access_token?: string; expires_in?: number; issued_at?: string; refresh_token?: string };
    try {
      body = JSON.parse(text);
    } catch {
      throw unauthorized(`the token server at ${url.origin} answered something that is not JSON`);
    }
    const value = body.token || body.access_token;
    if (!value) throw unauthorized(`the token server at ${url.origin} answered without a token`);
    if (body.refresh_token) this.refreshToken = body.refresh_token;
    // Docker's default lifetime when the server names none: 60 s; renewed a little early.
    const lifetime = Math.max(60, Number(body.expires_in) || 60) * 1000;
    const issued = body.issued_at ? Date.parse(body.issued_at) : NaN;
    const start = Number.isFinite(issued) && Math.abs(issued - Date.now()) < lifetime ? issued : Date.now();
    return { value, expires: start + lifetime - 5_000, refreshToken: body.refresh_token };
  }
}
