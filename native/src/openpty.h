#ifndef HASHDECK_PTY_H
#define HASHDECK_PTY_H
#include <stddef.h>
/* Returns 0 or an errno value. */
int hashdeck_openpty(int *master_fd, int *slave_fd, char *slave_path, size_t slave_path_len);
int hashdeck_close_fd(int fd);
#endif
