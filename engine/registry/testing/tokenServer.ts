// A small token issuer speaking Docker's token protocol, for a test registry
// configured with auth.token: GET /token?service=…&scope=…[&account=…]
// with optional basic auth (and offline_token=true for a refresh token), or
// POST /token with grant_type=refresh_token. It grants every asked action
// to known users and only `pull` to anonymous requests when `anonymousPull`,
// and signs RS256 JWTs carrying its certificate (x5c), which the registry
// trusts through its rootcertbundle. It records what it was asked.

import { createSign, randomBytes, X509Certificate } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TokenRequest {
  method: string;
  account: string | null;
  scopes: string[];
  granted: boolean;
}

export interface TokenServer {
  realm: string;
  service: string;
  issuer: string;
  requests: TokenRequest[];
  stop(): Promise<void>;
}

const b64url = (b: Buffer | string) => Buffer.from(b).toString('base64url');

export async function startTokenServer(opts: {
  key: string;
  cert: string;
  users: Record<string, string>;
  anonymousPull?: boolean;
  service?: string;
}): Promise<TokenServer> {
  const service = opts.service ?? 'strata-test-registry';
  const issuer = 'strata-test-issuer';
  const der = new X509Certificate(opts.cert).raw.toString('base64');
  const refreshTokens = new Map<string, string>();
  const requests: TokenRequest[] = [];

  const sign = (account: string, scopes: string[], known: boolean) => {
    const access = scopes.map((s) => {
      const [type, name, actions] = s.split(':');
      const asked = (actions ?? '').split(',').filter(Boolean);
      return { type, name, actions: known ? asked : opts.anonymousPull ? asked.filter((a) => a === 'pull') : [] };
    });
    const now = Math.floor(Date.now() / 1000);
    const header = { typ: 'JWT', alg: 'RS256', x5c: [der] };
    const claims = { iss: issuer, sub: account, aud: service, exp: now + 300, nbf: now - 10, iat: now, jti: randomBytes(8).toString('hex'), access };
    const body = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
    const signature = createSign('RSA-SHA256').update(body).sign(opts.key);
    return `${body}.${b64url(signature)}`;
  };

  const refuse = (res: http.ServerResponse) => {
    res.writeHead(401, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'incorrect username or password' }] }));
  };

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    let body = '';
    for await (const c of req) body += c;
    let account: string | null = null;
    let scopes: string[] = [];
    let offline = false;
    if (req.method === 'POST') {
      const form = new URLSearchParams(body);
      account = refreshTokens.get(form.get('refresh_token') ?? '') ?? null;
      scopes = (form.get('scope') ?? '').split(' ').filter(Boolean);
      if (!account) {
        requests.push({ method: 'POST', account: null, scopes, granted: false });
        return refuse(res);
      }
    } else {
      scopes = url.searchParams.getAll('scope');
      offline = url.searchParams.get('offline_token') === 'true';
      const auth = req.headers.authorization;
      if (auth?.startsWith('Basic ')) {
        const [user, ...rest] = Buffer.from(auth.slice(6), 'base64').toString().split(':');
        if (opts.users[user!] !== rest.join(':')) {
          requests.push({ method: 'GET', account: user ?? null, scopes, granted: false });
          return refuse(res);
        }
        account = user!;
      }
    }
    requests.push({ method: req.method ?? 'GET', account, scopes, granted: true });
    const token = sign(account ?? '', scopes, account !== null);
    const answer: Record<string, unknown> = { token, access_token: token, expires_in: 300, issued_at: new Date().toISOString() };
    if (offline && account) {
      const refresh = randomBytes(16).toString('hex');
      refreshTokens.set(refresh, account);
      answer.refresh_token = refresh;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(answer));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    realm: `http://127.0.0.1:${port}/token`,
    service,
    issuer,
    requests,
    stop: () => new Promise((r) => server.close(() => r())),
  };
}
