/* The flasher-stub command protocol (SLIP framing, command dispatch, flash sessions). */
#ifndef STUB_PROTOCOL_H
#define STUB_PROTOCOL_H

/* Sends the OHAI greeting and serves commands. Returns after RUN_USER_CODE (no reply is sent)
 * or when the link is gone. */
void stub_run(void);

#endif
