/* Rootless mode's entry: runs a program as root of the user's own user namespace. */
#ifndef STRATA_SHIM_USERNS_H
#define STRATA_SHIM_USERNS_H

int userns_main(int argc, char **argv);

#endif
