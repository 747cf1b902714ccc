// The distribution API for one repository of one registry: manifests by tag
// or digest, blobs (with Range, to resume), uploads and mounts, tags. Every
// request carries the authorization its scopes need (auth.ts); a 401 that
// brings a new challenge is answered once more with a fresh token.

import type { Readable } from 'node:stream';
import { notFound } from '../errors';
import { Authorizer } from './auth';
import type { Credentials } from './credentials';
import { registryError, RegistryError } from './registryErrors';
import type { HttpRequest, HttpResponse, Transport } from './transport';

/** A registry host as requests reach it. */
export class RegistrySession {
  readonly authorizer: Authorizer;
  private pinged: Promise<void> | undefined;

  constructor(
    readonly transport: Transport,
    /** host[:port] requests go to. */
    readonly host: string,
    credentials: () => Promise<Credentials | undefined>,
    /** A base URL to use instead of the host's (a mirror). */
    readonly baseOverride?: string,
    offline = false,
  ) {
    this.authorizer = new Authorizer(transport, credentials, offline);
  }

  async base(signal?: AbortSignal): Promise<URL> {
    return this.baseOverride ? new URL(this.baseOverride) : this.transport.base(this.host, signal);
  }

  /** GET /v2/: whether the registry speaks the API, and which authentication it wants. */
  ping(signal?: AbortSignal): Promise<void> {
    this.pinged ??= (async () => {
      const url = new URL('v2/', withSlash(await this.base(signal)));
      const res = await this.transport.send(url, { method: 'GET', signal });
      const text = await res.body.text();
      if (res.status === 200 || res.status === 401) this.authorizer.learn(res);
      else throw registryError(res.status, text, `Get ${JSON.stringify(url.href)}`);
    })();
    this.pinged.catch(() => (this.pinged = undefined));
    return this.pinged;
  }

  /** A request to a path under /v2/, authorized for `scopes`. */
  async request(path: string, req: HttpRequest & { scopes: readonly string[] }): Promise<HttpResponse> {
    await this.ping(req.signal);
    const url = path.startsWith('http') ? new URL(path) : new URL(path.replace(/^\//, ''), withSlash(await this.base(req.signal)));
    const send = async () => {
      const auth = await this.authorizer.header(req.scopes, req.signal);
      return this.transport.send(url, { ...req, headers: { ...(req.headers ?? {}), ...(auth ? { authorization: auth } : {}) } });
    };
    let res = await send();
    const replayable = req.body === undefined || typeof req.body === 'string' || Buffer.isBuffer(req.body);
    if (res.status === 401 && replayable && this.authorizer.refused(res)) {
      await res.body.dump();
      res = await send();
    }
    return res;
  }
}

function withSlash(u: URL): URL {
  return u.href.endsWith('/') ? u : new URL(`${u.href}/`);
}

export interface FetchedManifest {
  bytes: Buffer;
  mediaType: string;
  /** sha256 of the bytes as served. */
  digest: string;
}

export const manifestAccept = [
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.v1+prettyjws',
  'application/json',
].join(', ');

/** One repository (e.g. "library/ubuntu") of a registry. */
export class Repository {
  readonly pullScope: string;
  readonly pushScope: string;

  constructor(
    readonly session: RegistrySession,
    readonly name: string,
  ) {
    this.pullScope = `repository:${name}:pull`;
    this.pushScope = `repository:${name}:pull,push`;
  }

  private path(rest: string): string {
    return `/v2/${this.name}/${rest}`;
  }

  /** A failed answer as an error: `<Verb> "<url>": <registry's words>`. */
  async fail(res: HttpResponse, method: string): Promise<RegistryError> {
    const text = await res.body.text().catch(() => '');
    const verb = method[0] + method.slice(1).toLowerCase();
    return registryError(res.status, text, `${verb} ${JSON.stringify(res.url.href)}`);
  }

  async getManifest(reference: string, scopes = [this.pullScope], signal?: AbortSignal): Promise<FetchedManifest> {
    const res = await this.session.request(this.path(`manifests/${reference}`), { method: 'GET', headers: { accept: manifestAccept }, scopes, signal });
    if (res.status !== 200) throw await this.fail(res, 'GET');
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res.body) {
      size += (chunk as Buffer).length;
      // A manifest is small; a registry sending megabytes is not sending one.
      if (size > 4 << 20) {
        res.body.destroy();
        throw registryError(res.status, '', `manifest ${reference} is larger than 4 MiB`);
      }
      chunks.push(chunk as Buffer);
    }
    const bytes = Buffer.concat(chunks);
    const { sha256Digest } = await import('../oci/digest');
    const mediaType = String(res.headers['content-type'] ?? '').split(';')[0]!.trim();
    return { bytes, mediaType, digest: sha256Digest(bytes) };
  }

  /** The digest a tag points at now, or null when there is no such manifest. */
  async headManifest(reference: string, signal?: AbortSignal): Promise<{ digest: string; mediaType: string } | null> {
    const res = await this.session.request(this.path(`manifests/${reference}`), { method: 'HEAD', headers: { accept: manifestAccept }, scopes: [this.pullScope], signal });
    await res.body.dump();
    if (res.status === 404) return null;
    if (res.status !== 200) throw await this.fail(res, 'HEAD');
    const digest = res.headers['docker-content-digest'];
    return typeof digest === 'string' ? { digest, mediaType: String(res.headers['content-type'] ?? '').split(';')[0]! } : null;
  }

  async putManifest(reference: string, bytes: Buffer, mediaType: string, signal?: AbortSignal): Promise<string | undefined> {
    const res = await this.session.request(this.path(`manifests/${reference}`), {
      method: 'PUT',
      headers: { 'content-type': mediaType },
      body: bytes,
      scopes: [this.pushScope],
      signal,
    });
    if (res.status !== 201 && res.status !== 200 && res.status !== 202) throw await this.fail(res, 'PUT');
    await res.body.dump();
    const digest = res.headers['docker-content-digest'];
    return typeof digest === 'string' ? digest : undefined;
  }

  /** A blob's bytes from `offset` on (a Range request when offset > 0); `partial` tells whether the server honoured it. */
  async getBlob(digest: string, offset: number, signal?: AbortSignal): Promise<{ body: Readable; partial: boolean; length: number | undefined }> {
    const headers: Record<string, string> = offset > 0 ? { range: `bytes=${offset}-` } : {};
    const res = await this.session.request(this.path(`blobs/${digest}`), { method: 'GET', headers, scopes: [this.pullScope], signal });
    if (res.status === 416 && offset > 0) {
      await res.body.dump();
      return this.getBlob(digest, 0, signal);
    }
    if (res.status !== 200 && res.status !== 206) throw await this.fail(res, 'GET');
    const length = Number(res.headers['content-length']);
    return { body: res.body, partial: res.status === 206, length: Number.isFinite(length) ? length : undefined };
  }

  /** The blob's size when the repository has it, else null. */
  async headBlob(digest: string, scopes = [this.pushScope], signal?: AbortSignal): Promise<number | null> {
    const res = await this.session.request(this.path(`blobs/${digest}`), { method: 'HEAD', scopes, signal });
    await res.body.dump();
    if (res.status === 404) return null;
    if (res.status !== 200) throw await this.fail(res, 'HEAD');
    return Number(res.headers['content-length'] ?? 0);
  }

  /**
   * Starts an upload; with `mountFrom` asks the registry to link the blob
   * from another repository instead (201: mounted, nothing to send).
   */
  async startUpload(mount?: { digest: string; from: string }, signal?: AbortSignal): Promise<{ mounted: true } | { mounted: false; location: string }> {
    const query = mount ? `?mount=${encodeURIComponent(mount.digest)}&from=${encodeURIComponent(mount.from)}` : '';
    const scopes = mount ? [this.pushScope, `repository:${mount.from}:pull`] : [this.pushScope];
    const res = await this.session.request(this.path(`blobs/uploads/${query}`), { method: 'POST', headers: { 'content-length': '0' }, body: '', scopes, signal });
    if (res.status === 201 && mount) {
      await res.body.dump();
      return { mounted: true };
    }
    if (res.status !== 202) throw await this.fail(res, 'POST');
    await res.body.dump();
    return { mounted: false, location: this.location(res) };
  }

  /** One chunk of an upload (Content-Range from `offset`); returns where the next goes. */
  async patchUpload(location: string, chunk: Buffer, offset: number, signal?: AbortSignal): Promise<string> {
    const res = await this.session.request(location, {
      method: 'PATCH',
      headers: {
        'content-type': 'application/octet-stream',
        'content-range': `${offset}-${offset + chunk.length - 1}`,
        'content-length': String(chunk.length),
      },
      body: chunk,
      scopes: [this.pushScope],
      signal,
    });
    if (res.status !== 202) throw await this.fail(res, 'PATCH');
    await res.body.dump();
    return this.location(res);
  }

  /** Ends an upload, with the last bytes (the whole blob, for a monolithic upload). */
  async finishUpload(location: string, digest: string, body: Buffer, signal?: AbortSignal): Promise<void> {
    const url = new URL(location);
    url.searchParams.set('digest', digest);
    const res = await this.session.request(url.href, {
      method: 'PUT',
      headers: { 'content-type': 'application/octet-stream', 'content-length': String(body.length) },
      body,
      scopes: [this.pushScope],
      signal,
    });
    if (res.status !== 201 && res.status !== 204) throw await this.fail(res, 'PUT');
    await res.body.dump();
  }

  /** Every tag of the repository (following the Link header's pages). */
  async tags(signal?: AbortSignal): Promise<string[]> {
    const out: string[] = [];
    let next: string | null = this.path('tags/list');
    while (next) {
      const res: HttpResponse = await this.session.request(next, { method: 'GET', scopes: [this.pullScope], signal });
      if (res.status !== 200) throw await this.fail(res, 'GET');
      const body = JSON.parse(await res.body.text()) as { tags?: string[] | null };
      out.push(...(body.tags ?? []));
      const link = res.headers.link;
      const m = typeof link === 'string' ? /<([^>]+)>;\s*rel="?next"?/.exec(link) : null;
      next = m ? new URL(m[1]!, res.url).href : null;
    }
    if (out.length === 0) throw notFound(`no tags found in repository ${this.name}`);
    return out;
  }

  /** Upload locations may be relative to the request. */
  private location(res: HttpResponse): string {
    const loc = res.headers.location;
    if (typeof loc !== 'string') throw registryError(res.status, '', 'the registry started an upload without a Location');
    return new URL(loc, res.url).href;
  }
}
