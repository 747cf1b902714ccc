/* The container run by another OCI runtime (runc, crun) instead of the
 * launcher's own clone, the monitor in conmon's part (oci_runtime.c). */
#ifndef STRATA_SHIM_OCI_RUNTIME_H
#define STRATA_SHIM_OCI_RUNTIME_H

#include "error.h"

struct monitor;

/* What the monitor keeps of the runtime for the end (the spec is gone by then); name NULL: strata's own launcher. */
struct oci_runtime {
  char *name, *path, *root_path;
};

/* Mounts the root, has the runtime create and start the container; sets the monitor's init_pid. */
int oci_runtime_launch(struct monitor *m, struct shim_err *err);
/* Takes a pty master the runtime sends on the console socket LISTEN_FD. */
int oci_console_receive(struct monitor *m, int listen_fd, struct shim_err *err);
/* After the container ended (or failed to start): the runtime's delete, the root unmounted. */
void oci_runtime_cleanup(struct monitor *m);
void oci_runtime_release(struct oci_runtime *r);

#endif
