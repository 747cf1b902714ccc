#ifndef STRATA_SHIM_NETWORK_CMD_H
#define STRATA_SHIM_NETWORK_CMD_H

/* strata-shim network setup|teardown --dir DIR [--attachment NAME]
 * One attachment (connect, disconnect) or, for teardown without one, all of
 * them and the namespace's file (the engine cleaning up after a monitor that
 * died). Prints {"ok":true} or the failure, as every command does. */
int network_main(int argc, char **argv);

#endif
