// An image's CREATED, as `strata images` prints it, and beside it when this
// store got the image, when that is much later: the starter image's files
// (and so its date) come from this machine's busybox, months older than the
// image, and that date is what keeps its id the same each time it is made.

import { imageDates } from '../../model/format';

export function Created({ created, added }: { created: number; added: number }) {
  const d = imageDates(created, added);
  return (
    <span
      className="created"
      title={
        d.added
          ? 'Created: the date the image itself records (part of what its id is made from; the starter image’s is its busybox file’s). Added here: when this store got it.'
          : undefined
      }
    >
      <span>{d.created}</span>
      {d.added && <span className="created-added">{d.added}</span>}
    </span>
  );
}
