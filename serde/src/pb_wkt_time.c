// SPDX-License-Identifier: Apache-2.0
/* The JSON text of google.protobuf.Timestamp (RFC 3339, UTC "Z" on output,
 * any offset on input) and google.protobuf.Duration ("1.5s"), with the
 * ranges Java's Timestamps and Durations enforce: years 0001..9999 and
 * +-10,000 years of seconds. Pure conversions between text and
 * (seconds, nanos); walking messages is pb_wkt_json.c's business. */
#include <inttypes.h>

#include "pb_int.h"

#define TS_MIN_SECONDS (-62135596800LL) /* 0001-01-01T00:00:00Z */
#define TS_MAX_SECONDS 253402300799LL   /* 9999-12-31T23:59:59Z */
#define DUR_MAX_SECONDS 315576000000LL
#define NANOS 1000000000

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar. Eras
 * of 400 years (146,097 days) keep the arithmetic exact for any year. */
static int64_t days_from_civil(int64_t y, int m, int d) {
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;                         /* [0, 399] */
  int64_t mp = m > 2 ? m - 3 : m + 9;                  /* March = 0 */
  int64_t doy = (153 * mp + 2) / 5 + d - 1;            /* [0, 365] */
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy; /* [0, 146096] */
  return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d) {
  z += 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  *d = (int)(doy - (153 * mp + 2) / 5 + 1);
  *m = (int)(mp < 10 ? mp + 3 : mp - 9);
  *y = yoe + era * 400 + (*m <= 2);
}

static int days_in_month(int64_t y, int m) {
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : days[m - 1];
}

/* ".021", ".000021", ".000000021" or nothing, as Java prints nanos. */
static void put_fraction(char *out, size_t size, int32_t nanos) {
  if (nanos == 0) {
    out[0] = '\0';
  } else if (nanos % 1000000 == 0) {
    snprintf(out, size, ".%03d", (int)(nanos / 1000000));
  } else if (nanos % 1000 == 0) {
    snprintf(out, size, ".%06d", (int)(nanos / 1000));
  } else {
    snprintf(out, size, ".%09d", (int)nanos);
  }
}

bool serde__pb_timestamp_format(int64_t seconds, int32_t nanos, char out[PB_TIME_TEXT_MAX]) {
  if (seconds < TS_MIN_SECONDS || seconds > TS_MAX_SECONDS || nanos < 0 || nanos >= NANOS) {
    return false;
  }
  int64_t days = seconds >= 0 ? seconds / 86400 : -((-seconds + 86399) / 86400);
  int64_t secs = seconds - days * 86400;
  int64_t y = 0;
  int m = 0, d = 0;
  civil_from_days(days, &y, &m, &d);
  char frac[12];
  put_fraction(frac, sizeof frac, nanos);
  snprintf(out, PB_TIME_TEXT_MAX, "%04d-%02d-%02dT%02d:%02d:%02d%sZ", (int)y, m, d, (int)(secs / 3600),
           (int)(secs / 60 % 60), (int)(secs % 60), frac);
  return true;
}

/* n decimal digits at s[*at] (exactly n). */
static bool digits(const char *s, size_t len, size_t *at, int n, int *out) {
  int v = 0;
  for (int i = 0; i < n; i++) {
    if (*at >= len || s[*at] < '0' || s[*at] > '9') {
      return false;
    }
    v = v * 10 + (s[(*at)++] - '0');
  }
  *out = v;
  return true;
}

static bool expect(const char *s, size_t len, size_t *at, char c) {
  if (*at < len && s[*at] == c) {
    (*at)++;
    return true;
  }
  return false;
}

/* "." and 1..9 digits, right-padded to nanoseconds; nothing is 0. */
static bool fraction(const char *s, size_t len, size_t *at, int32_t *nanos) {
  *nanos = 0;
  if (!expect(s, len, at, '.')) {
    return true;
  }
  int n = 0;
  int32_t v = 0;
  while (*at < len && s[*at] >= '0' && s[*at] <= '9') {
    if (++n > 9) {
      return false;
    }
    v = v * 10 + (s[(*at)++] - '0');
  }
  for (int i = n; i < 9; i++) {
    v *= 10;
  }
  *nanos = v;
  return n > 0;
}

/* "Z" or "+HH:MM" / "-HH:MM" as seconds east of UTC. */
static bool zone(const char *s, size_t len, size_t *at, int64_t *offset) {
  *offset = 0;
  if (expect(s, len, at, 'Z')) {
    return true;
  }
  int sign = expect(s, len, at, '+') ? 1 : expect(s, len, at, '-') ? -1 : 0;
  int hh = 0, mm = 0;
  if (!sign || !digits(s, len, at, 2, &hh) || !expect(s, len, at, ':') || !digits(s, len, at, 2, &mm) ||
      hh > 23 || mm > 59) {
    return false;
  }
  *offset = sign * (hh * 3600 + mm * 60);
  return true;
}

bool serde__pb_timestamp_parse(const char *s, size_t n, int64_t *seconds, int32_t *nanos) {
  size_t at = 0;
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
  int64_t offset = 0;
  if (!digits(s, n, &at, 4, &y) || !expect(s, n, &at, '-') || !digits(s, n, &at, 2, &mo) ||
      !expect(s, n, &at, '-') || !digits(s, n, &at, 2, &d) || !expect(s, n, &at, 'T') ||
      !digits(s, n, &at, 2, &h) || !expect(s, n, &at, ':') || !digits(s, n, &at, 2, &mi) ||
      !expect(s, n, &at, ':') || !digits(s, n, &at, 2, &sec) || !fraction(s, n, &at, nanos) ||
      !zone(s, n, &at, &offset) || at != n) {
    return false;
  }
  if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23 || mi > 59 || sec > 59) {
    return false;
  }
  int64_t t = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec - offset;
  if (t < TS_MIN_SECONDS || t > TS_MAX_SECONDS) {
    return false;
  }
  *seconds = t;
  return true;
}

bool serde__pb_duration_format(int64_t seconds, int32_t nanos, char out[PB_TIME_TEXT_MAX]) {
  if (seconds < -DUR_MAX_SECONDS || seconds > DUR_MAX_SECONDS || nanos <= -NANOS || nanos >= NANOS ||
      (seconds < 0 && nanos > 0) || (seconds > 0 && nanos < 0)) {
    return false;
  }
  bool neg = seconds < 0 || nanos < 0;
  char frac[12];
  put_fraction(frac, sizeof frac, nanos < 0 ? -nanos : nanos);
  snprintf(out, PB_TIME_TEXT_MAX, "%s%" PRId64 "%ss", neg ? "-" : "", seconds < 0 ? -seconds : seconds, frac);
  return true;
}

bool serde__pb_duration_parse(const char *s, size_t n, int64_t *seconds, int32_t *nanos) {
  size_t at = 0;
  bool neg = expect(s, n, &at, '-');
  int64_t v = 0;
  size_t start = at;
  while (at < n && s[at] >= '0' && s[at] <= '9') {
    v = v * 10 + (s[at++] - '0');
    if (v > DUR_MAX_SECONDS) {
      return false;
    }
  }
  if (at == start || !fraction(s, n, &at, nanos) || !expect(s, n, &at, 's') || at != n) {
    return false;
  }
  *seconds = neg ? -v : v;
  *nanos = neg ? -*nanos : *nanos;
  return true;
}
