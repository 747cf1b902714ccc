// An image's CREATED, as `strata images` prints it, and beside it when this
// store got the image, when that is much later: the starter image's files
// (and so its date) come from this machine's busybox, months older than the
// image, and that date is what keeps its id the same each time it is made.

import { imageDates } from '../../model/format';

export function Created({ created, added }: { created: number; added: number }) {
  const d = imageDates(created, added);
  return (
    <span className="created">
      <span>{d.created}</span>
      {d.added && <span className="created-added">{d.added}</span>}
    </span>
  );
}
