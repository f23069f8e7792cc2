/* openpty(3) with the slave in raw mode, for the emulator's PTY attachment (docs/design.md §5). */
#define _GNU_SOURCE
#include "openpty.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#if defined(__APPLE__)
#include <util.h>
#else
#include <pty.h>
#endif

int hashdeck_openpty(int *master_fd, int *slave_fd, char *slave_path, size_t slave_path_len) {
  int master = -1, slave = -1;
  char name[256];
  if (openpty(&master, &slave, name, NULL, NULL) != 0) return errno ? errno : EIO;
  struct termios tio;
  if (tcgetattr(slave, &tio) != 0) goto fail;
  cfmakeraw(&tio);
  tio.c_cc[VMIN] = 1;
  tio.c_cc[VTIME] = 0;
  if (tcsetattr(slave, TCSANOW, &tio) != 0) goto fail;
  fcntl(master, F_SETFD, FD_CLOEXEC);
  fcntl(slave, F_SETFD, FD_CLOEXEC);
  strncpy(slave_path, name, slave_path_len - 1);
  slave_path[slave_path_len - 1] = '\0';
  *master_fd = master;
  *slave_fd = slave;
  return 0;
fail: {
    int err = errno ? errno : EIO;
    close(master);
    close(slave);
    return err;
  }
}

int hashdeck_close_fd(int fd) { return close(fd) == 0 ? 0 : errno; }
