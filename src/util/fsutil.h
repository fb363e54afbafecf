/* Small file-system helpers. */
#ifndef ST_FSUTIL_H
#define ST_FSUTIL_H

#include <stddef.h>
#include <sys/types.h>

/* mkdir -p with mode for the folders it creates; 0 or -1 (errno). A
 * folder it creates is made durable in its parent (fsync_parent). */
int mkdir_p(const char *path, mode_t mode);
/* mkdir -p of the folder that holds file path. */
int mkdir_parent(const char *path, mode_t mode);
/* fsync of a folder, so the names created, renamed or removed in it
 * survive a crash (fsync of a file covers its data, not its name). */
int fsync_dir(const char *path);
/* fsync_dir of the folder that holds path. */
int fsync_parent(const char *path);
/*
 * Replaces path with len bytes of data through a new 0600 file next to it
 * (O_EXCL, O_NOFOLLOW), fsync and rename, so a reader sees the old or the
 * new contents, never a mix; the folder is made 0700 if missing. 0 or -1.
 */
int fs_write_private(const char *path, const char *data, size_t len);

#endif
