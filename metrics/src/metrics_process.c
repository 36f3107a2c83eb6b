// SPDX-License-Identifier: Apache-2.0
/* The standard process_* families (the names the Prometheus client libraries
 * use), read at scrape time from getrusage, getrlimit and /proc/self. A
 * value that cannot be read (no /proc) is left out, never invented. */
#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "metrics_int.h"

static void gauge(metrics_writer_t *w, const char *name, const char *help, double v) {
  metrics_write_header(w, name, help, "gauge");
  metrics_write_sample(w, name, NULL, NULL, 0, v);
}

/* Field `index` (1-based, as in proc(5)) of /proc/self/stat; -1 if unread.
 * Fields after the command name are counted from its closing parenthesis,
 * since the name may itself hold spaces and parentheses. */
static long long stat_field(int index) {
  char buf[1024];
  FILE *f = fopen("/proc/self/stat", "r");
  if (!f) return -1;
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[n] = '\0';
  char *p = strrchr(buf, ')');
  if (!p) return -1;
  p++;
  long long v = -1;
  for (int field = 3; field <= index; field++) {
    char *end = NULL;
    while (*p == ' ') p++;
    if (!*p) return -1;
    if (field == index) return sscanf(p, "%lld", &v) == 1 ? v : -1;
    end = strchr(p, ' ');
    if (!end) return -1;
    p = end;
  }
  return v;
}

static long long boot_time(void) {
  char line[256];
  long long btime = -1;
  FILE *f = fopen("/proc/stat", "r");
  if (!f) return -1;
  while (fgets(line, sizeof line, f))
    if (sscanf(line, "btime %lld", &btime) == 1) break;
  fclose(f);
  return btime;
}

static pthread_once_t start_once = PTHREAD_ONCE_INIT;
static double start_time = -1; /* written once under start_once */

static void start_time_read(void) {
  long long ticks = stat_field(22), btime = boot_time();
  long hz = sysconf(_SC_CLK_TCK);
  if (ticks >= 0 && btime >= 0 && hz > 0) start_time = (double)btime + (double)ticks / (double)hz;
}

static void collect_memory(metrics_writer_t *w) {
  unsigned long long vsize = 0, rss = 0;
  FILE *f = fopen("/proc/self/statm", "r");
  if (!f) return;
  int got = fscanf(f, "%llu %llu", &vsize, &rss);
  fclose(f);
  long page = sysconf(_SC_PAGESIZE);
  if (got != 2 || page <= 0) return;
  gauge(w, "process_resident_memory_bytes", "Resident memory size in bytes.", (double)rss * (double)page);
  gauge(w, "process_virtual_memory_bytes", "Virtual memory size in bytes.", (double)vsize * (double)page);
}

static void collect_fds(metrics_writer_t *w) {
  struct rlimit rl;
  DIR *d = opendir("/proc/self/fd");
  if (d) {
    double n = -1; /* the directory's own descriptor does not count */
    for (struct dirent *e = readdir(d); e; e = readdir(d))
      if (e->d_name[0] != '.') n++;
    closedir(d);
    gauge(w, "process_open_fds", "Number of open file descriptors.", n);
  }
  if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
    gauge(w, "process_max_fds", "Maximum number of open file descriptors.", (double)rl.rlim_cur);
}

void metrics__collect_process(metrics_writer_t *w) {
  struct rusage ru;
  if (getrusage(RUSAGE_SELF, &ru) == 0) {
    double cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
                 (double)ru.ru_stime.tv_usec / 1e6;
    metrics_write_header(w, "process_cpu_seconds_total", "Total user and system CPU time spent in seconds.",
                         "counter");
    metrics_write_sample(w, "process_cpu_seconds_total", NULL, NULL, 0, cpu);
  }
  collect_fds(w);
  collect_memory(w);
  pthread_once(&start_once, start_time_read);
  if (start_time >= 0)
    gauge(w, "process_start_time_seconds", "Start time of the process since unix epoch in seconds.",
          start_time);
  long long threads = stat_field(20);
  if (threads > 0) gauge(w, "process_threads", "Number of OS threads in the process.", (double)threads);
}
