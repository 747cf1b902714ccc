/* netavark 1.4 keeps isolated bridges apart with FORWARD's jump into
 * NETAVARK_ISOLATION_1, which holds one rule per bridge. It deletes that one
 * jump whenever any isolated network's last container leaves, though every
 * other isolated network on the host (this engine's, another engine's,
 * Podman's) still relies on it: until the next setup puts it back, networks
 * reach one another. So beside netavark's jump Strata keeps one of its own
 * that netavark's teardown does not take for its rule (it carries a comment).
 * Like netavark's own NETAVARK_FORWARD jump it stays: it leads into a chain
 * netavark never removes, and is empty when no network is isolated. */
#ifndef STRATA_SHIM_ISOLATION_H
#define STRATA_SHIM_ISOLATION_H

#include <stdbool.h>

#include "error.h"
#include "json.h"

/* Whether netavark isolates the network of these options (one attachment's):
 * not internal (no firewall rules at all then), with the isolate option. */
bool isolation_applies(const struct json_value *options);

/* Puts Strata's jump first in FORWARD unless it is there. Run under the
 * host-wide network lock, after netavark set up an isolated network. */
int isolation_keep(struct shim_err *err);

#endif
