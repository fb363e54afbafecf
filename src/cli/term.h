/* Questions on the terminal: the password (not echoed) and the SMS code. */
#ifndef ST_CLI_TERM_H
#define ST_CLI_TERM_H

/*
 * Asks on /dev/tty and reads one line (without its line end); echo 0 turns
 * echo off. NULL if there is no terminal or the line is empty or too long.
 * Free with free_secret(p, strlen(p)).
 */
char *term_ask(const char *prompt, int echo);

#endif
