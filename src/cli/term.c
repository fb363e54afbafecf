/* Terminal questions; see term.h. */
#include "util/common.h"

#include <fcntl.h>
#include <signal.h>
#include <termios.h>
#include <unistd.h>

#include "cli/term.h"

#define LINE_MAX_BYTES 1024

char *
term_ask(const char *prompt, int echo)
{
	struct termios old, quiet;
	char line[LINE_MAX_BYTES + 2];
	size_t n = 0;
	int fd, restore = 0;
	char ch;
	char *out = NULL;

	if ((fd = open("/dev/tty", O_RDWR | O_CLOEXEC)) == -1)
		return NULL;
	if (write(fd, prompt, strlen(prompt)) < 0)
		goto out;
	if (!echo && tcgetattr(fd, &old) == 0) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
		quiet.c_lflag |= ICANON;
		restore = tcsetattr(fd, TCSAFLUSH, &quiet) == 0;
	}
	while (read(fd, &ch, 1) == 1 && ch != '\n') {
		if (n < sizeof(line) - 1)
			line[n++] = ch;
	}
	if (n > 0 && line[n - 1] == '\r')
		n--;
	if (restore) {
		(void)tcsetattr(fd, TCSAFLUSH, &old);
		(void)!write(fd, "\n", 1);
	}
	if (n > 0 && n <= LINE_MAX_BYTES)
		out = xmemdup0(line, n);
out:
	explicit_bzero(line, sizeof(line));
	close(fd);
	return out;
}
