// `docker manifest inspect`: the manifest or index a reference names, as
// the registry serves it (its bytes, so its digest is the registry's).

import { invalidArgument } from '../errors';
import { familiarString, parseReference, withDefaultTag } from '../oci/reference';
import { parseManifest } from './manifest';
import type { Registries } from './registries';
import { RegistryError } from './registryErrors';

export async function inspectManifest(registries: Registries, reference: string): Promise<{ mediaType: string; digest: string; raw: string }> {
  const ref = withDefaultTag(parseReference(reference));
  const endpoints = registries.pullEndpoints(ref);
  for (let i = 0; i < endpoints.length; i++) {
    try {
      const m = await endpoints[i]!.repository.getManifest(ref.digest ?? ref.tag!);
      if (ref.digest && m.digest !== ref.digest) throw invalidArgument(`manifest verification failed for digest ${ref.digest}`);
      const parsed = parseManifest(m.bytes, m.mediaType, familiarString(ref));
      return { mediaType: parsed.mediaType, digest: m.digest, raw: m.bytes.toString('utf8') };
    } catch (err) {
      if (i < endpoints.length - 1 && endpoints[i]!.mirror) continue;
      if (err instanceof RegistryError && err.status === 404) throw new RegistryError('NotFound', `no such manifest: ${familiarString(ref)}`, err.status, err.entries, err.text);
      throw err;
    }
  }
  throw invalidArgument(`no registry to ask for ${reference}`);
}
