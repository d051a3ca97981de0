#define _GNU_SOURCE
#include "CSerialShim.h"

#ifdef __linux__
#include <asm/termbits.h>   /* struct termios2, BOTHER (do not include <termios.h> here) */
#include <asm/ioctls.h>     /* TCGETS2, TCSETS2 */
#include <stdlib.h>
#include <fcntl.h>
#include <unistd.h>
#include <errno.h>

int ioctl(int fd, unsigned long request, ...);

int cserial_set_custom_baud(int fd, unsigned int rate) {
    struct termios2 t;
    if (ioctl(fd, TCGETS2, &t) != 0) return -1;
    t.c_cflag &= ~(CBAUD | (CBAUD << IBSHIFT));
    t.c_cflag |= BOTHER | (BOTHER << IBSHIFT);
    t.c_ispeed = rate;
    t.c_ospeed = rate;
    return ioctl(fd, TCSETS2, &t);
}

int cserial_get_baud(int fd, unsigned int *input_rate, unsigned int *output_rate) {
    struct termios2 t;
    if (ioctl(fd, TCGETS2, &t) != 0) return -1;
    if (input_rate) *input_rate = t.c_ispeed;
    if (output_rate) *output_rate = t.c_ospeed;
    return 0;
}

int cserial_open_pty_master(char *name_buffer, unsigned long name_buffer_length) {
    int fd = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) return -1;
    if (grantpt(fd) != 0 || unlockpt(fd) != 0 || ptsname_r(fd, name_buffer, name_buffer_length) != 0) {
        int saved = errno;
        close(fd);
        errno = saved;
        return -1;
    }
    return fd;
}
#else
#include <errno.h>
int cserial_set_custom_baud(int fd, unsigned int rate) { (void)fd; (void)rate; errno = ENOTSUP; return -1; }
int cserial_get_baud(int fd, unsigned int *i, unsigned int *o) { (void)fd; (void)i; (void)o; errno = ENOTSUP; return -1; }
int cserial_open_pty_master(char *n, unsigned long l) { (void)n; (void)l; errno = ENOTSUP; return -1; }
#endif
