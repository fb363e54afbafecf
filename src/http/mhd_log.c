/* libmicrohttpd's messages in the JSON log; see mhd_log.h. */
#include "util/common.h"

#include "http/mhd_log.h"
#include "util/buf.h"
#include "util/log.h"

/* Length modifiers of one conversion. */
enum len_mod { LEN_NONE, LEN_HH, LEN_H, LEN_L, LEN_LL, LEN_Z, LEN_J };

static enum len_mod
length_of(const char **p)
{
	if (**p == 'h' && (*p)[1] == 'h')
		return (*p += 2), LEN_HH;
	if (**p == 'l' && (*p)[1] == 'l')
		return (*p += 2), LEN_LL;
	switch (**p) {
	case 'h':
		return (*p)++, LEN_H;
	case 'l':
		return (*p)++, LEN_L;
	case 'z':
		return (*p)++, LEN_Z;
	case 'j':
		return (*p)++, LEN_J;
	default:
		return LEN_NONE;
	}
}

/* One integer argument of the given length and signedness. */
static void
add_int(struct buf *b, va_list *ap, enum len_mod m, int is_signed)
{
	if (is_signed) {
		long long v = m == LEN_LL ? va_arg(*ap, long long) :
		    m == LEN_L            ? va_arg(*ap, long) :
		    m == LEN_Z            ? (long long)va_arg(*ap, ssize_t) :
		    m == LEN_J            ? (long long)va_arg(*ap, intmax_t) :
		                            va_arg(*ap, int);

		buf_printf(b, "%lld", v);
	} else {
		unsigned long long v = m == LEN_LL ?
		    va_arg(*ap, unsigned long long) :
		    m == LEN_L ? va_arg(*ap, unsigned long) :
		    m == LEN_Z ? va_arg(*ap, size_t) :
		    m == LEN_J ? (unsigned long long)va_arg(*ap, uintmax_t) :
		                 va_arg(*ap, unsigned);

		buf_printf(b, "%llu", v);
	}
}

/*
 * fmt with its numbers filled in and every string argument as "…";
 * -1 at a conversion it does not know (the caller logs fmt as it is).
 */
static int
format_redacted(struct buf *b, const char *fmt, va_list *ap)
{
	const char *p = fmt;

	while (*p != '\0') {
		enum len_mod m;

		if (*p != '%' || p[1] == '%') {
			buf_addc(b, *p);
			p += *p == '%' ? 2 : 1;
			continue;
		}
		p++;
		p += strspn(p, "#0- +'.0123456789");
		m = length_of(&p);
		switch (*p) {
		case 'd':
		case 'i':
			add_int(b, ap, m, 1);
			break;
		case 'u':
		case 'x':
		case 'X':
			add_int(b, ap, m, 0);
			break;
		case 's':
			if (m != LEN_NONE)
				return -1;
			/* A URL may be here, and a URL may carry a token. */
			(void)va_arg(*ap, const char *);
			buf_adds(b, "\xe2\x80\xa6");
			break;
		case 'p':
			(void)va_arg(*ap, void *);
			buf_adds(b, "\xe2\x80\xa6");
			break;
		default:
			return -1;
		}
		p++;
	}
	return 0;
}

/*
 * Messages about a peer that left in the middle of a request (a closed
 * tab, a tus client that will resume: a harmless retry) are routine, at
 * info; matched on the format, as substrings.
 */
static const char *const routine[] = {
	"closed by remote side",
	"Connection reset",
	"connection reset",
	"Failed to receive",
	"Failed to send",
	"Socket disconnected",
};

static int
is_routine(const char *fmt)
{
	size_t i;

	for (i = 0; i < ST_ARRAY_LEN(routine); i++)
		if (strstr(fmt, routine[i]) != NULL)
			return 1;
	return 0;
}

void
mhd_log(void *cls, const char *fmt, va_list ap)
{
	struct buf b;
	va_list copy;
	size_t n;

	ST_UNUSED(cls);
	buf_init(&b, 1024);
	va_copy(copy, ap);
	if (format_redacted(&b, fmt, &copy) == -1) {
		buf_release(&b);
		buf_init(&b, 1024);
		buf_adds(&b, fmt);
	}
	va_end(copy);
	n = b.len;
	while (n > 0 && (b.data[n - 1] == '\n' || b.data[n - 1] == ' '))
		b.data[--n] = '\0';
	if (is_routine(fmt))
		log_info(
		    "client left mid-request", "{s:s}", "detail", buf_str(&b));
	else
		log_warn("libmicrohttpd", "{s:s}", "detail", buf_str(&b));
	buf_release(&b);
}
