#ifndef STRATA_SHIM_START_H
#define STRATA_SHIM_START_H

/* strata-shim start --bundle DIR --run DIR [--cgroup PATH]... [--attach-fd N] [--log FILE] */
int start_main(int argc, char **argv);

#endif
