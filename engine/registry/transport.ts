// HTTP to registries, on undici: one connection pool per origin, TLS with
// the registry's own CA and client certificate from certs.d, proxies from the
// environment, redirects followed (blob downloads are often redirected to a
// storage service: the Authorization header stays behind on another origin).
//
// Which scheme: HTTPS always, except for registries that may be insecure
// (loopback, or listed in the settings), which Docker reaches over HTTPS
// without verifying the certificate and falls back to plain HTTP when the
// server does not speak TLS. One difference: a certs.d directory for such a
// registry means its owner gave a CA, so its certificate is verified.

import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import tls from 'node:tls';
import { Agent, ProxyAgent, request, type Dispatcher } from 'undici';
import { unavailable } from '../errors';
import { certDirs, type RegistrySettings } from './settings';
import { isInsecure, proxyFor } from './hosts';

export interface HttpRequest {
  method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  headers?: Record<string, string>;
  body?: string | Buffer | Readable;
  signal?: AbortSignal;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Readable & { text(): Promise<string>; dump(): Promise<void> };
  /** Where the answer came from, after redirects. */
  url: URL;
}

interface TlsFiles {
  ca?: string[];
  cert?: string;
  key?: string;
  /** A certs.d directory existed for the host. */
  configured: boolean;
}

const maxRedirects = 10;

export class Transport {
  private readonly dispatchers = new Map<string, Dispatcher>();
  private readonly schemes = new Map<string, Promise<'https' | 'http'>>();

  constructor(readonly settings: RegistrySettings) {}

  /** The base URL of a registry host ("https://host:port"), probing plain HTTP only where allowed. */
  async base(host: string, signal?: AbortSignal): Promise<URL> {
    let scheme = this.schemes.get(host);
    if (!scheme) {
      scheme = this.pickScheme(host, signal);
      this.schemes.set(host, scheme);
      scheme.catch(() => this.schemes.delete(host));
    }
    return new URL(`${await scheme}://${host}`);
  }

  private async pickScheme(host: string, signal?: AbortSignal): Promise<'https' | 'http'> {
    if (!isInsecure(this.settings, host)) return 'https';
    try {
      const res = await this.send(new URL(`https://${host}/v2/`), { method: 'GET', signal });
      await res.body.dump();
      return 'https';
    } catch (err) {
      // A certificate that fails a CA its owner configured is an answer, not a reason to drop TLS.
      if (signal?.aborted || (err as { certificate?: boolean }).certificate) throw err;
      return 'http';
    }
  }

  /** One request; redirects followed. Network and TLS failures are Unavailable with Go's wording. */
  async send(url: URL, req: HttpRequest): Promise<HttpResponse> {
    let current = url;
    let headers = { ...(req.headers ?? {}) };
    let method = req.method;
    let body = req.body;
    for (let hop = 0; ; hop++) {
      let res: Dispatcher.ResponseData;
      try {
        res = await request(current, {
          method,
          headers: { 'user-agent': 'strata (docker compatible)', ...headers },
          body,
          signal: req.signal,
          dispatcher: this.dispatcher(current),
          headersTimeout: 60_000,
          bodyTimeout: 60_000,
        });
      } catch (err) {
        if (req.signal?.aborted) throw err;
        throw networkError(method, current, err);
      }
      const location = res.headers.location;
      if (res.statusCode >= 300 && res.statusCode < 400 && typeof location === 'string' && hop < maxRedirects) {
        await res.body.dump();
        const next = new URL(location, current);
        if (next.origin !== current.origin) {
          const { authorization: _dropped, ...rest } = headers;
          headers = rest;
        }
        if (res.statusCode === 303) {
          method = method === 'HEAD' ? 'HEAD' : 'GET';
          body = undefined;
        }
        current = next;
        continue;
      }
      return { status: res.statusCode, headers: res.headers, body: res.body as HttpResponse['body'], url: current };
    }
  }

  /** Closes every pool (open downloads end). */
  async close(): Promise<void> {
    const all = [...this.dispatchers.values()];
    this.dispatchers.clear();
    await Promise.all(all.map((d) => d.close().catch(() => undefined)));
  }

  private dispatcher(url: URL): Dispatcher {
    const proxy = proxyFor(url);
    const key = `${url.origin} ${proxy ?? ''}`;
    let d = this.dispatchers.get(key);
    if (!d) {
      const tlsOptions = url.protocol === 'https:' ? this.tlsOptions(url.host) : {};
      d = proxy
        ? new ProxyAgent({ uri: proxy, requestTls: tlsOptions })
        : new Agent({ connect: tlsOptions, connections: 8, keepAliveTimeout: 10_000 });
      this.dispatchers.set(key, d);
    }
    return d;
  }

  private tlsOptions(host: string): tls.ConnectionOptions {
    const files = readCertsDir(this.settings, host);
    const options: tls.ConnectionOptions = {};
    if (files.ca) options.ca = [...tls.rootCertificates, ...files.ca];
    if (files.cert && files.key) {
      options.cert = files.cert;
      options.key = files.key;
    }
    if (isInsecure(this.settings, host) && !files.configured) options.rejectUnauthorized = false;
    return options;
  }
}

/** certs.d as Docker reads it: every *.crt is a CA; a *.cert needs its *.key (and the other way round). */
function readCertsDir(settings: RegistrySettings, host: string): TlsFiles {
  const out: TlsFiles = { configured: false };
  for (const dir of certDirs(settings, host)) {
    let names: string[];
    try {
      names = fs.readdirSync(dir).sort();
    } catch {
      continue;
    }
    out.configured = true;
    for (const name of names) {
      const file = path.join(dir, name);
      if (name.endsWith('.crt')) (out.ca ??= []).push(fs.readFileSync(file, 'utf8'));
      else if (name.endsWith('.cert')) {
        const key = file.slice(0, -'.cert'.length) + '.key';
        if (!fs.existsSync(key)) throw unavailable(`missing key ${path.basename(key)} for client certificate ${name}. CA certificates must use the extension .crt`);
        out.cert ??= fs.readFileSync(file, 'utf8');
        out.key ??= fs.readFileSync(key, 'utf8');
      } else if (name.endsWith('.key')) {
        const cert = file.slice(0, -'.key'.length) + '.cert';
        if (!fs.existsSync(cert)) throw unavailable(`missing client certificate ${path.basename(cert)} for key ${name}`);
      }
    }
  }
  return out;
}

const tlsWords: Record<string, string> = {
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'x509: certificate signed by unknown authority',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'x509: certificate signed by unknown authority',
  SELF_SIGNED_CERT_IN_CHAIN: 'x509: certificate signed by unknown authority',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'x509: certificate signed by unknown authority',
  CERT_HAS_EXPIRED: 'x509: certificate has expired or is not yet valid',
  CERT_NOT_YET_VALID: 'x509: certificate has expired or is not yet valid',
  ERR_TLS_CERT_ALTNAME_INVALID: 'x509: certificate is not valid for this host',
  ERR_SSL_WRONG_VERSION_NUMBER: 'http: server gave HTTP response to HTTPS client',
};

/** `Get "https://host/v2/": <what went wrong>`, as Go's net/http words it. */
function networkError(method: string, url: URL, err: unknown): Error {
  const e = err as NodeJS.ErrnoException & { cause?: NodeJS.ErrnoException };
  const code = e.cause?.code ?? e.code ?? '';
  const verb = method[0] + method.slice(1).toLowerCase();
  let why = tlsWords[code];
  if (!why) {
    if (code === 'ECONNREFUSED') why = `dial tcp ${url.host}: connect: connection refused`;
    else if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') why = `dial tcp: lookup ${url.hostname}: no such host`;
    else why = (e.cause?.message ?? e.message ?? String(err)).split('\n')[0]!;
  }
  return Object.assign(unavailable(`${verb} ${JSON.stringify(url.href)}: ${why}`), { certificate: why.startsWith('x509:') });
}
