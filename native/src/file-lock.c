/* Exclusive, non-blocking advisory lock on a file descriptor (see file-lock.h). */
#include "file-lock.h"

#include <errno.h>

#ifdef _WIN32
#include <io.h>
#include <windows.h>

int hashdeck_try_lock(int fd) {
  HANDLE h = (HANDLE)_get_osfhandle(fd);
  if (h == INVALID_HANDLE_VALUE) return EBADF;
  OVERLAPPED ov = {0};
  if (LockFileEx(h, LOCKFILE_EXCLUSIVE_LOCK | LOCKFILE_FAIL_IMMEDIATELY, 0, 1, 0, &ov)) return 0;
  return GetLastError() == ERROR_LOCK_VIOLATION ? HASHDECK_LOCK_BUSY : EIO;
}
#else
#include <sys/file.h>

int hashdeck_try_lock(int fd) {
  for (;;) {
    if (flock(fd, LOCK_EX | LOCK_NB) == 0) return 0;
    if (errno == EINTR) continue;
    return errno == EWOULDBLOCK ? HASHDECK_LOCK_BUSY : errno;
  }
}
#endif
