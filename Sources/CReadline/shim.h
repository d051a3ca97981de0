#include <stdio.h>
#include <signal.h>
#include <readline/readline.h>
#include <readline/history.h>

/* Setters and getters so Swift never touches readline's mutable globals directly (Swift 6). */
static inline void creadline_set_name(const char *name) { rl_readline_name = name; }
static inline void creadline_set_completer(rl_completion_func_t *f) { rl_attempted_completion_function = f; }
static inline void creadline_disable_default_completion(void) { rl_attempted_completion_over = 1; }
static inline void creadline_set_append_character(int c) { rl_completion_append_character = c; }
static inline void creadline_set_catch_signals(int on) { rl_catch_signals = on; }
static inline void creadline_set_instream(FILE *f) { rl_instream = f; }
static inline void creadline_set_outstream(FILE *f) { rl_outstream = f; }
/* Lets a SIGINT handler abort the current readline() call: readline returns NULL afterwards. */
static inline void creadline_set_done(void) { rl_done = 1; }
static inline const char *creadline_line_buffer(void) { return rl_line_buffer; }
