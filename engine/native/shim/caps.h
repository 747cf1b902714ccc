/* Capability sets: names as the runtime spec writes them ("CAP_CHOWN"),
 * and applying them to the calling process. */
#ifndef STRATA_SHIM_CAPS_H
#define STRATA_SHIM_CAPS_H

#include <stdint.h>

#include "error.h"
#include "json.h"

enum cap_set { CAPS_BOUNDING, CAPS_EFFECTIVE, CAPS_PERMITTED, CAPS_INHERITABLE, CAPS_AMBIENT, CAPS_SET_COUNT };

/* The bit mask of the names in the JSON array NAMES (absent = empty). */
int caps_from_names(const struct json_value *names, const char *what, uint64_t *mask, struct shim_err *err);

/* Drops every capability outside MASK from the bounding set (needs CAP_SETPCAP). */
int caps_limit_bounding(uint64_t mask, struct shim_err *err);

/* Sets the effective, permitted and inheritable sets, then the ambient one. */
int caps_apply(const uint64_t sets[CAPS_SET_COUNT], struct shim_err *err);

#endif
