/* Rootless networking: pasta (passt) wires a container's namespace to the host's. */
#ifndef STRATA_SHIM_PASTA_H
#define STRATA_SHIM_PASTA_H

int pasta_main(int argc, char **argv);

#endif
