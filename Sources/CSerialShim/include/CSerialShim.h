#ifndef CSERIALSHIM_H
#define CSERIALSHIM_H

/// Sets any baud rate (including 74880 and other non-standard rates) with termios2/BOTHER.
/// Returns 0, or -1 with errno set.
int cserial_set_custom_baud(int fd, unsigned int rate);

/// Reads the input and output rates back with TCGETS2. Returns 0, or -1 with errno set.
int cserial_get_baud(int fd, unsigned int *input_rate, unsigned int *output_rate);

/// posix_openpt + grantpt + unlockpt + ptsname_r in one call. Returns the master fd or -1.
int cserial_open_pty_master(char *name_buffer, unsigned long name_buffer_length);

#endif
