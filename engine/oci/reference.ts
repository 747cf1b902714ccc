// Image references with Docker's grammar and normalization (distribution's
// reference package): "busybox" means docker.io/library/busybox:latest and is
// stored and shown in its familiar form "busybox:latest". Error texts are
// Docker's, so scripts matching on them keep working.
//
//   reference  := name [ ":" tag ] [ "@" digest ]
//   name       := [domain "/"] path-component ["/" path-component]*
//   domain     := host [":" port]     host: dns labels, or [ipv6]
//   path-component := [a-z0-9]+ (separator [a-z0-9]+)*   separator: . _ __ or -+
//   tag        := [\w][\w.-]{0,127}
//   digest     := algorithm ":" hex{32,}

import { invalidArgument } from '../errors';

export interface ImageReference {
  domain: string; // "docker.io" for Docker Hub
  path: string; // "library/busybox"
  tag?: string;
  digest?: string;
}

const defaultDomain = 'docker.io';
const legacyDefaultDomain = 'index.docker.io';
const officialPrefix = 'library/';
const nameTotalLengthMax = 255;

const alphanumeric = '[a-z0-9]+';
const separator = '(?:[._]|__|[-]+)';
const pathComponent = `${alphanumeric}(?:${separator}${alphanumeric})*`;
const domainComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const host = `(?:${domainComponent}(?:\\.${domainComponent})*|\\[[a-fA-F0-9:]+\\])`;
const domainPattern = `${host}(?::[0-9]+)?`;
const namePattern = `(?:${domainPattern}/)?${pathComponent}(?:/${pathComponent})*`;
const tagPattern = '[\\w][\\w.-]{0,127}';
const digestPattern = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
const referenceRegexp = new RegExp(`^(${namePattern})(?::(${tagPattern}))?(?:@(${digestPattern}))?$`);
const fullHexId = /^[a-f0-9]{64}$/;
// Name (255) + tag (128) + the longest digest fit well under this; longer input is refused
// before any regular expression sees it.
const referenceLengthMax = 1024;

const digestHexLength: Record<string, number> = { sha256: 64, sha384: 96, sha512: 128 };

function bad(detail?: string): never {
  throw invalidArgument(detail ? `invalid reference format: ${detail}` : 'invalid reference format');
}

/** Parses a reference as the Docker CLI does (ParseNormalizedNamed): short names get docker.io/library. */
export function parseReference(input: string): ImageReference {
  if (fullHexId.test(input)) {
    throw invalidArgument(`invalid repository name (${input}), cannot specify 64-byte hexadecimal strings`);
  }
  if (input.length > referenceLengthMax) bad();
  const [domain, remainder] = splitDockerDomain(input);
  const colon = remainder.indexOf(':');
  const remoteName = colon === -1 ? remainder : remainder.slice(0, colon);
  if (remoteName.toLowerCase() !== remoteName) bad('repository name must be lowercase');

  const full = `${domain}/${remainder}`;
  const m = referenceRegexp.exec(full);
  if (!m) {
    if (referenceRegexp.test(full.toLowerCase())) bad('repository name must be lowercase');
    bad();
  }
  const [, name, tag, digest] = m;
  if (name.length > nameTotalLengthMax) bad(`repository name must not be more than ${nameTotalLengthMax} characters`);
  if (digest !== undefined) checkDigestPart(digest);
  const slash = name.indexOf('/');
  return { domain: name.slice(0, slash), path: name.slice(slash + 1), tag, digest };
}

function splitDockerDomain(name: string): [string, string] {
  const i = name.indexOf('/');
  let domain: string;
  let remainder: string;
  const first = name.slice(0, i);
  // The first component is a domain only if it looks like one: a dot, a port, localhost, or capitals.
  if (i === -1 || (!/[.:]/.test(first) && first !== 'localhost' && first.toLowerCase() === first)) {
    [domain, remainder] = [defaultDomain, name];
  } else {
    [domain, remainder] = [first, name.slice(i + 1)];
  }
  if (domain === legacyDefaultDomain) domain = defaultDomain;
  if (domain === defaultDomain && !remainder.includes('/')) remainder = officialPrefix + remainder;
  return [domain, remainder];
}

function checkDigestPart(digest: string): void {
  const colon = digest.indexOf(':');
  const algorithm = digest.slice(0, colon);
  const hex = digest.slice(colon + 1);
  const want = digestHexLength[algorithm];
  if (want === undefined) bad('unsupported digest algorithm');
  if (hex.length !== want) bad('invalid checksum digest length');
  if (!/^[a-f0-9]+$/.test(hex)) bad('invalid checksum digest format');
}

/** "busybox", "foo/bar", "localhost:5000/x/y": the name as Docker shows it. */
export function familiarName(ref: ImageReference): string {
  if (ref.domain !== defaultDomain) return `${ref.domain}/${ref.path}`;
  if (ref.path.startsWith(officialPrefix) && !ref.path.slice(officialPrefix.length).includes('/')) {
    return ref.path.slice(officialPrefix.length);
  }
  return ref.path;
}

/** The familiar form with tag and digest as given ("busybox:1.36", "busybox@sha256:..."). */
export function familiarString(ref: ImageReference): string {
  return familiarName(ref) + (ref.tag !== undefined ? `:${ref.tag}` : '') + (ref.digest !== undefined ? `@${ref.digest}` : '');
}

/** Adds the default tag "latest" when the reference has neither a tag nor a digest (Docker's TagNameOnly). */
export function withDefaultTag(ref: ImageReference): ImageReference {
  return ref.tag === undefined && ref.digest === undefined ? { ...ref, tag: 'latest' } : ref;
}

/** The "name:tag" a tag is stored under; refuses references Docker will not tag with. */
export function tagName(input: string): string {
  const ref = parseReference(input);
  if (ref.digest !== undefined) throw invalidArgument('refusing to create a tag with a digest reference');
  return familiarString(withDefaultTag(ref));
}

const containerNamePattern = /^\/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

/** Checks a container name as Docker does and returns it without a leading slash. */
export function validateContainerName(name: string): string {
  if (!containerNamePattern.test(name)) {
    throw invalidArgument(`Invalid container name (${name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`);
  }
  return name.startsWith('/') ? name.slice(1) : name;
}
