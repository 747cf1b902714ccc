// A registry's refusals in words a learner can act on, by the engine's error
// kind (never by message text), with the command that tries again.

export interface Explained {
  title: string;
  advice: string;
}

export function explainRegistryError(code: string, server: string): Explained {
  switch (code) {
    case 'Unauthorized':
      return {
        title: 'The registry wants to know who you are',
        advice: `It refused without credentials, or these credentials have no access to that repository. Log in first (strata login ${server}), or check the name: a private repository that does not exist answers the same way.`,
      };
    case 'NotFound':
      return {
        title: 'The registry has no such image',
        advice: 'Check the name and the tag. A multi-platform image may also have no image for the platform asked for.',
      };
    case 'Unavailable':
      return {
        title: 'Could not talk to the registry safely',
        advice: `The registry could not be reached, or its certificate is not trusted here. A private registry’s CA goes in /etc/docker/certs.d/${server}/ca.crt; a registry without TLS must be listed under "insecure-registries" in /etc/strata/config.json.`,
      };
    case 'InvalidArgument':
      return { title: 'That is not something Strata can pull', advice: 'Image references look like name[:tag] or host:port/name[:tag].' };
    default:
      return { title: 'The pull failed', advice: 'The message below is the engine’s own.' };
  }
}

/** The registry a reference lives at, as `strata login` names it. */
export function registryOf(reference: string): string {
  const first = reference.split('/')[0] ?? '';
  return reference.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost') ? first : 'docker.io';
}
