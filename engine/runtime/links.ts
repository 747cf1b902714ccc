// `rm --link /PARENT/ALIAS`: Strata makes no legacy links (--link is
// refused at create), so there is never one to forget: dockerd's answers
// when the name is no link.

import { conflict, notFound } from '../errors';

export function removeLink(ref: string): void {
  const name = ref.startsWith('/') ? ref : `/${ref}`;
  if (name.lastIndexOf('/') === 0) throw conflict('Conflict, cannot remove the default link name of the container');
  throw notFound(`No such container: ${name}`);
}
