/* Small file-system helpers. */
#ifndef ST_FSUTIL_H
#define ST_FSUTIL_H

#include <sys/types.h>

/* mkdir -p with mode for the folders it creates; 0 or -1 (errno). */
int mkdir_p(const char *path, mode_t mode);
/* mkdir -p of the folder that holds file path. */
int mkdir_parent(const char *path, mode_t mode);

#endif
