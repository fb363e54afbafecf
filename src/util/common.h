/*
 * The first include of every .c file: feature macros, the system headers
 * nearly every module needs, and a few project-wide helpers.
 */
#ifndef ST_COMMON_H
#define ST_COMMON_H

#define _GNU_SOURCE 1

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "util/xmalloc.h"

#define ST_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define ST_UNUSED(x) ((void)(x))

#ifndef ST_VERSION
#define ST_VERSION "dev"
#endif

#endif
