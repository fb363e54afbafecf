/*
 * The process_* metrics that Prometheus client libraries export, read
 * from getrusage, getrlimit and /proc/self at each scrape.
 */
#include "util/common.h"

#include <dirent.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "http/metrics.h"

static double start_time;

__attribute__((constructor)) static void
note_start(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	start_time = (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Entries in /proc/self/<dir> other than . and ..; -1 if unreadable. */
static long
count_entries(const char *dir)
{
	struct dirent *e;
	long n = 0;
	DIR *d = opendir(dir);

	if (d == NULL)
		return -1;
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

/* Resident and virtual bytes from /proc/self/statm; 0 if unreadable. */
static void
memory(double *rss, double *vsz)
{
	unsigned long pages_v = 0, pages_r = 0;
	long page = sysconf(_SC_PAGESIZE);
	FILE *f = fopen("/proc/self/statm", "re");

	*rss = *vsz = 0;
	if (f == NULL)
		return;
	if (fscanf(f, "%lu %lu", &pages_v, &pages_r) == 2 && page > 0) {
		*vsz = (double)pages_v * (double)page;
		*rss = (double)pages_r * (double)page;
	}
	fclose(f);
}

static int
one(struct buf *o, const char *name, const char *type, const char *help,
    double v)
{
	return buf_printf(o, "# HELP %s %s\n# TYPE %s %s\n%s %.17g\n", name,
	    help, name, type, name, v);
}

int
metrics_render_process(struct buf *o)
{
	struct rusage ru;
	struct rlimit rl;
	double cpu = 0, rss, vsz, maxfds = 0;
	long fds, threads;
	int r = 0;

	if (getrusage(RUSAGE_SELF, &ru) == 0)
		cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_stime.tv_sec +
		    ((double)ru.ru_utime.tv_usec +
		        (double)ru.ru_stime.tv_usec) /
		        1e6;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0)
		maxfds = rl.rlim_cur == RLIM_INFINITY ? 0 : (double)rl.rlim_cur;
	memory(&rss, &vsz);
	/* Counting /proc/self/fd opens one more descriptor: not counted. */
	fds = count_entries("/proc/self/fd");
	threads = count_entries("/proc/self/task");
	r |= one(o, "process_cpu_seconds_total", "counter",
	    "User and system CPU time spent in seconds.", cpu);
	r |= one(o, "process_resident_memory_bytes", "gauge",
	    "Resident memory size in bytes.", rss);
	r |= one(o, "process_virtual_memory_bytes", "gauge",
	    "Virtual memory size in bytes.", vsz);
	r |= one(o, "process_open_fds", "gauge",
	    "Number of open file descriptors.",
	    fds > 0 ? (double)(fds - 1) : 0);
	r |= one(o, "process_max_fds", "gauge",
	    "Maximum number of open file descriptors.", maxfds);
	r |= one(o, "process_threads", "gauge", "Number of OS threads.",
	    threads > 0 ? (double)threads : 0);
	r |= one(o, "process_start_time_seconds", "gauge",
	    "Start time of the process since the Unix epoch in seconds.",
	    start_time);
	return r;
}
