/* Records of what the launcher really did (run/<id>/kernel.jsonl), one JSON
 * object per line: {"step":"mount","detail":{"type":"overlay",...}}. The
 * engine turns them into `kernel` events for the app's teaching views.
 * Detail values are strings. Recording is best effort: a failure to record
 * never fails the container. */
#ifndef STRATA_SHIM_KERNEL_LOG_H
#define STRATA_SHIM_KERNEL_LOG_H

#include <stddef.h>

/* In the container's first process: sends the record over the sync channel
 * (the monitor writes it). Arguments after STEP: key, value, ..., NULL. */
void kernel_step_send(int sync_fd, const char *step, ...) __attribute__((sentinel));

/* In the monitor: appends the record to the open kernel.jsonl (fd < 0: none). */
void kernel_step_write(int log_fd, const char *step, ...) __attribute__((sentinel));

/* In the monitor: appends a record received from the container. */
void kernel_line_append(int log_fd, const char *line, size_t len);

#endif
