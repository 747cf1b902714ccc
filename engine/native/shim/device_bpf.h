/* The device list on cgroup v2: a BPF_PROG_TYPE_CGROUP_DEVICE program,
 * written instruction by instruction, loaded and attached to the
 * container's cgroup. The kernel runs it on every open and mknod of a device
 * by a process in the cgroup; 0 refuses (EPERM), 1 allows. */
#ifndef STRATA_SHIM_DEVICE_BPF_H
#define STRATA_SHIM_DEVICE_BPF_H

#include <linux/bpf.h>
#include <stddef.h>

#include "device_list.h"
#include "error.h"

/* The program for LIST: *OUT (free it) holds *LEN instructions. */
int device_bpf_program(const struct device_list *list, struct bpf_insn **out, size_t *len, struct shim_err *err);

/* Loads the program and attaches it to the cgroup v2 directory DIR (with
 * BPF_F_ALLOW_MULTI: the programs of its ancestors still run too). The
 * attachment lasts as long as the cgroup. */
int device_bpf_attach(const char *dir, const struct bpf_insn *insns, size_t len, struct shim_err *err);

#endif
