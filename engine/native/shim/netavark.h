/* A container's networks, as the engine prepared them in its network dir
 * (run/<id>/network): plan.json names the netavark command and the lock, and
 * each attach-<network id>.json holds netavark's options for one network
 * (the address is the engine's IPAM's: netavark allocates none). The monitor
 * sets them all up once the container's namespace exists and tears them down
 * when the container exits; `strata-shim network` does one or all of them for
 * the engine (connect, disconnect, cleaning up after a crash). Every netavark
 * run holds one host-wide lock, as Podman's do: bridges and the shared
 * firewall chains belong to every engine on the machine. */
#ifndef STRATA_SHIM_NETAVARK_H
#define STRATA_SHIM_NETAVARK_H

#include <stddef.h>

#include "error.h"
#include "json.h"

struct network_plan {
  char *dir;
  char *netns; /* DIR/netns, the bound namespace */
  struct json_value *doc;
  const char **command; /* NULL-terminated: the netavark argv before setup|teardown */
  const char *lock;
};

int network_plan_load(const char *dir, struct network_plan *plan, struct shim_err *err);
void network_plan_release(struct network_plan *plan);

/* The attach-*.json files present now, sorted (free with network_names_free). */
int network_attachments(const struct network_plan *plan, char ***names, size_t *count, struct shim_err *err);
void network_names_free(char **names, size_t count);

/* netavark ACTION ("setup" or "teardown") for one attachment, under the lock;
 * a failure carries netavark's own message. KERNEL_FD (or -1) records it.
 * After setting up an isolated network it keeps Strata's isolation jump
 * (isolation.h) in place, under the same lock. */
int netavark_run(const struct network_plan *plan, const char *action, const char *attachment, int kernel_fd,
                 struct shim_err *err);

/* Sets up every attachment; after a failure, tears down all of them again. */
int network_setup_all(const struct network_plan *plan, int kernel_fd, struct shim_err *err);

/* Locks the network dir (the fd holds it): one teardown at a time, and none
 * while an early setup (network_early.h) is still at work. */
int network_dir_lock(const char *dir, struct shim_err *err);

/* Tears down every attachment (each one tried), then unbinds the namespace,
 * after a failure too (the first failure is reported): a teardown cannot be
 * retried. Once the namespace is unbound, there is nothing left to do. */
int network_teardown_all(const struct network_plan *plan, int kernel_fd, struct shim_err *err);

#endif
