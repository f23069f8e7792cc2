#ifndef HASHDECK_FILE_LOCK_H
#define HASHDECK_FILE_LOCK_H
/*
 * An exclusive advisory lock on an open file, released by the kernel when the descriptor is
 * closed or the process dies (however it dies). Returns 0 when locked, HASHDECK_LOCK_BUSY when
 * another open file description holds it, or an errno value.
 */
#define HASHDECK_LOCK_BUSY (-1)
int hashdeck_try_lock(int fd);
#endif
