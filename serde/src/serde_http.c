// SPDX-License-Identifier: Apache-2.0
/* The serde's HTTP transport to the Schema Registry, over libcurl. It owns
 * the parsed URL list (userinfo split off and percent-decoded, trailing '/'
 * dropped), a pool of curl easy handles kept between calls so connections
 * stay alive, the request headers, TLS and timeout options, the response
 * size cap, and the retry loop (backoff with full jitter, then the next URL).
 * It knows no REST paths and no JSON: serde_client.c builds targets and reads
 * answers. */
#include <curl/curl.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "serde_client.h"

#define HTTP_MAX_BODY ((size_t)16 * 1024 * 1024) /* an answer larger than this is refused */
#define HTTP_POOL_MAX 16                         /* idle handles kept for reuse */
#define HTTP_CLIENT_VERSION "weir-serde/0.1"
#define HTTP_CT_V1 "application/vnd.schemaregistry.v1+json"

/* One entry of schema.registry.url. */
typedef struct http_url {
  char *base; /* scheme://host[:port][/path]: no userinfo, no trailing '/' */
  char *user; /* basic auth (decoded), NULL for none */
  char *pass;
} http_url_t;

/* A pooled easy handle; curl writes transfer errors into errbuf. */
typedef struct http_conn {
  CURL *curl;
  char errbuf[CURL_ERROR_SIZE];
} http_conn_t;

struct serde_http {
  http_url_t *urls;
  size_t n_urls;
  atomic_size_t current; /* the URL that answered last: the next call starts there */
  struct curl_slist *headers_get;
  struct curl_slist *headers_body; /* headers_get + Content-Type */
  char *ssl_ca, *ssl_cert, *ssl_key, *ssl_key_password;
  bool ssl_verify_host;
  long connect_timeout_ms, request_timeout_ms;
  int max_retries;
  long retry_wait_ms, retry_max_wait_ms;
  pthread_mutex_t lock; /* guards pool and n_pool only; never held during I/O */
  http_conn_t *pool[HTTP_POOL_MAX];
  size_t n_pool;
};

/* The body of one attempt, capped at HTTP_MAX_BODY. */
typedef struct http_sink {
  serde_buf_t buf;
  bool too_big;
  bool nomem;
} http_sink_t;

/* ---- process-wide libcurl initialisation ---------------------------------------- */

static pthread_once_t global_once = PTHREAD_ONCE_INIT;
static CURLcode global_rc = CURLE_FAILED_INIT;

static void global_init(void) {
  global_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

/* ---- URL list ------------------------------------------------------------------ */

static int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* Percent-decodes s[0..n) into a new string (free()). A '%' not followed by
 * two hex digits is kept as is; %00 is refused (*bad), since curl takes
 * credentials as C strings. NULL with *bad false = out of memory. */
static char *pct_decode(const char *s, size_t n, bool *bad) {
  *bad = false;
  char *out = serde__malloc(n + 1);
  if (!out) return NULL;
  size_t j = 0;
  for (size_t i = 0; i < n; i++) {
    int hi = s[i] == '%' && i + 2 < n ? hex_value(s[i + 1]) : -1;
    int lo = hi >= 0 ? hex_value(s[i + 2]) : -1;
    if (hi >= 0 && lo >= 0) {
      out[j] = (char)(hi * 16 + lo);
      if (out[j] == '\0') {
        *bad = true;
        free(out);
        return NULL;
      }
      j++;
      i += 2;
    } else {
      out[j++] = s[i];
    }
  }
  out[j] = '\0';
  return out;
}

/* Splits "user:password" (the first ':' ends the user; the password may hold
 * any character) into decoded (pct) or verbatim strings. */
static serde_code_t userinfo_split(const char *s, size_t n, bool pct, http_url_t *u, serde_error_t *err) {
  const char *colon = memchr(s, ':', n);
  size_t ulen = colon ? (size_t)(colon - s) : n;
  const char *p = colon ? colon + 1 : s + n;
  size_t plen = colon ? n - ulen - 1 : 0;
  bool bad_u = false, bad_p = false;
  u->user = pct ? pct_decode(s, ulen, &bad_u) : serde__strndup(s, ulen);
  u->pass = pct ? pct_decode(p, plen, &bad_p) : serde__strndup(p, plen);
  if (bad_u || bad_p) {
    return serde__fail(err, SERDE_ERR_CONF, "schema.registry.url: user info holds an encoded NUL (%%00)");
  }
  if (!u->user || !u->pass) {
    return serde__fail(err, SERDE_ERR_NOMEM, "out of memory");
  }
  return SERDE_OK;
}

/* The part of a URL that is safe to show in messages: no userinfo. */
static void url_redacted(const char *s, size_t n, char *out, size_t size) {
  const char *at = memrchr(s, '@', n);
  if (at) {
    const char *scheme_end = memmem(s, n, "://", 3);
    int slen = scheme_end && scheme_end < at ? (int)(scheme_end - s) + 3 : 0;
    snprintf(out, size, "%.*s***@%.*s", slen, s, (int)(n - (size_t)(at + 1 - s)), at + 1);
  } else {
    snprintf(out, size, "%.*s", (int)n, s);
  }
}

/* The length of "http://" or "https://" at the start of s, else 0. */
static size_t scheme_len(const char *s, size_t n) {
  if (n >= 7 && strncasecmp(s, "http://", 7) == 0) return 7;
  if (n >= 8 && strncasecmp(s, "https://", 8) == 0) return 8;
  return 0;
}

/* Why host[:port][/path] (after the userinfo) cannot be a base URL, or NULL. */
static const char *hostpart_problem(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c <= 0x20 || c == 0x7f) return "holds a space or control character";
    if (c == '?' || c == '#') return "has a query or fragment";
  }
  if (n == 0 || s[0] == '/' || s[0] == ':') return "has no host";
  return NULL;
}

/* Parses one trimmed entry of schema.registry.url. The userinfo ends at the
 * last '@' of the entry, so a password may hold unencoded '@', ':' or '/';
 * an '@' in the base path must be written %40. */
static serde_code_t url_parse(const char *s, size_t n, size_t index, http_url_t *u, serde_error_t *err) {
  char shown[256];
  url_redacted(s, n, shown, sizeof shown);
  size_t skip = scheme_len(s, n);
  if (skip == 0) {
    return serde__fail(err, SERDE_ERR_CONF,
                       "schema.registry.url entry %zu (\"%s\") is not an http:// or https:// URL", index + 1,
                       shown);
  }
  const char *rest = s + skip;
  size_t rest_len = n - skip;
  const char *at = memrchr(rest, '@', rest_len);
  if (at) {
    serde_code_t rc = userinfo_split(rest, (size_t)(at - rest), true, u, err);
    if (rc != SERDE_OK) return rc;
    rest_len -= (size_t)(at + 1 - rest);
    rest = at + 1;
  }
  while (rest_len > 0 && rest[rest_len - 1] == '/') rest_len--; /* targets start with '/' */
  const char *problem = hostpart_problem(rest, rest_len);
  if (problem) {
    return serde__fail(err, SERDE_ERR_CONF, "schema.registry.url entry %zu (\"%s\") %s", index + 1, shown,
                       problem);
  }
  u->base = serde__malloc(skip + rest_len + 1);
  if (!u->base) return serde__fail(err, SERDE_ERR_NOMEM, "out of memory");
  memcpy(u->base, s, skip);
  memcpy(u->base + skip, rest, rest_len);
  u->base[skip + rest_len] = '\0';
  return SERDE_OK;
}

static void url_fini(http_url_t *u) {
  free(u->base);
  free(u->user);
  free(u->pass);
}

/* Fills http->urls from the comma-separated list (empty entries skipped). */
static serde_code_t urls_parse(serde_http_t *http, const char *list, serde_error_t *err) {
  size_t cap = 1;
  for (const char *p = list; *p; p++) cap += *p == ',';
  http->urls = serde__calloc(cap, sizeof *http->urls);
  if (!http->urls) return serde__fail(err, SERDE_ERR_NOMEM, "out of memory");
  const char *p = list;
  while (*p) {
    const char *end = strchr(p, ',');
    if (!end) end = p + strlen(p);
    const char *a = p, *b = end;
    while (a < b && (*a == ' ' || *a == '\t')) a++;
    while (b > a && (b[-1] == ' ' || b[-1] == '\t')) b--;
    if (b > a) {
      serde_code_t rc = url_parse(a, (size_t)(b - a), http->n_urls, &http->urls[http->n_urls], err);
      http->n_urls++; /* counted even on failure, so destroy frees what was set */
      if (rc != SERDE_OK) return rc;
    }
    p = *end ? end + 1 : end;
  }
  if (http->n_urls == 0) {
    return serde__fail(err, SERDE_ERR_CONF, "schema.registry.url is not set");
  }
  return SERDE_OK;
}

/* basic.auth.user.info ("user:password", verbatim) replaces userinfo in the URLs. */
static serde_code_t user_info_apply(serde_http_t *http, const char *user_info, serde_error_t *err) {
  if (!strchr(user_info, ':')) {
    return serde__fail(err, SERDE_ERR_CONF, "basic.auth.user.info must be \"user:password\"");
  }
  for (size_t i = 0; i < http->n_urls; i++) {
    http_url_t *u = &http->urls[i];
    free(u->user);
    free(u->pass);
    u->user = u->pass = NULL;
    serde_code_t rc = userinfo_split(user_info, strlen(user_info), false, u, err);
    if (rc != SERDE_OK) return rc;
  }
  return SERDE_OK;
}

/* ---- headers ------------------------------------------------------------------- */

static struct curl_slist *headers_add(struct curl_slist *list, const char *h, bool *ok) {
  struct curl_slist *l = *ok ? curl_slist_append(list, h) : NULL;
  if (!l) *ok = false;
  return l ? l : list;
}

/* Accept as the Python client sends it; Content-Type only with a body. */
static serde_code_t headers_build(serde_http_t *http, const char *bearer, serde_error_t *err) {
  char *auth = NULL;
  if (bearer) {
    if (strpbrk(bearer, "\r\n")) {
      return serde__fail(err, SERDE_ERR_CONF, "bearer.auth.token holds a line break");
    }
    size_t n = strlen(bearer) + sizeof "Authorization: Bearer ";
    auth = serde__malloc(n);
    if (!auth) return serde__fail(err, SERDE_ERR_NOMEM, "out of memory");
    snprintf(auth, n, "Authorization: Bearer %s", bearer);
  }
  bool ok = true;
  for (int i = 0; i < 2; i++) {
    struct curl_slist *l = NULL;
    l = headers_add(l, "Accept: " HTTP_CT_V1 ", application/vnd.schemaregistry+json, application/json", &ok);
    l = headers_add(l, "Confluent-Client-Version: " HTTP_CLIENT_VERSION, &ok);
    l = headers_add(l, "Confluent-Accept-Unknown-Properties: true", &ok);
    l = headers_add(l, "Expect:", &ok); /* no 100-continue round trip for large schemas */
    if (auth) l = headers_add(l, auth, &ok);
    if (i == 1) l = headers_add(l, "Content-Type: " HTTP_CT_V1, &ok);
    *(i == 0 ? &http->headers_get : &http->headers_body) = l;
  }
  free(auth);
  return ok ? SERDE_OK : serde__fail(err, SERDE_ERR_NOMEM, "out of memory");
}

/* ---- lifecycle ------------------------------------------------------------------ */

static bool has_url_userinfo(const serde_http_t *http) {
  for (size_t i = 0; i < http->n_urls; i++) {
    if (http->urls[i].user) return true;
  }
  return false;
}

static serde_code_t copy_opt(char **dst, const char *src, serde_error_t *err) {
  if (src && *src && !(*dst = serde__strdup(src))) {
    return serde__fail(err, SERDE_ERR_NOMEM, "out of memory");
  }
  return SERDE_OK;
}

static serde_code_t http_setup(serde_http_t *http, const struct serde_conf *conf, serde_error_t *err) {
  serde_code_t rc = urls_parse(http, conf->urls ? conf->urls : "", err);
  if (rc == SERDE_OK && conf->user_info && *conf->user_info) rc = user_info_apply(http, conf->user_info, err);
  const char *bearer = conf->bearer_token && *conf->bearer_token ? conf->bearer_token : NULL;
  if (rc == SERDE_OK && bearer && has_url_userinfo(http)) {
    rc = serde__fail(err, SERDE_ERR_CONF,
                     "basic auth (basic.auth.user.info or user:password@ in schema.registry.url) and "
                     "bearer.auth.token are both set");
  }
  if (rc == SERDE_OK) rc = headers_build(http, bearer, err);
  if (rc == SERDE_OK) rc = copy_opt(&http->ssl_ca, conf->ssl_ca, err);
  if (rc == SERDE_OK) rc = copy_opt(&http->ssl_cert, conf->ssl_cert, err);
  if (rc == SERDE_OK) rc = copy_opt(&http->ssl_key, conf->ssl_key, err);
  if (rc == SERDE_OK) rc = copy_opt(&http->ssl_key_password, conf->ssl_key_password, err);
  return rc;
}

serde_http_t *serde__http_new(const struct serde_conf *conf, serde_error_t *err) {
  pthread_once(&global_once, global_init);
  if (global_rc != CURLE_OK) {
    serde__fail(err, SERDE_ERR_REGISTRY_UNAVAILABLE, "curl_global_init failed: %s",
                curl_easy_strerror(global_rc));
    return NULL;
  }
  serde_http_t *http = serde__calloc(1, sizeof *http);
  if (!http) {
    serde__fail(err, SERDE_ERR_NOMEM, "out of memory");
    return NULL;
  }
  if (pthread_mutex_init(&http->lock, NULL) != 0) {
    free(http);
    serde__fail(err, SERDE_ERR_NOMEM, "pthread_mutex_init failed");
    return NULL;
  }
  atomic_init(&http->current, 0);
  http->ssl_verify_host = conf->ssl_verify_host;
  http->connect_timeout_ms = conf->connect_timeout_ms > 0 ? conf->connect_timeout_ms : 0;
  http->request_timeout_ms = conf->request_timeout_ms > 0 ? conf->request_timeout_ms : 0;
  http->max_retries = conf->max_retries > 0 ? (int)conf->max_retries : 0; /* bounded 0..100 by serde_conf.c */
  http->retry_wait_ms = conf->retry_wait_ms > 0 ? conf->retry_wait_ms : 0;
  http->retry_max_wait_ms = conf->retry_max_wait_ms > 0 ? conf->retry_max_wait_ms : 0;
  if (http_setup(http, conf, err) != SERDE_OK) {
    serde__http_destroy(http);
    return NULL;
  }
  return http;
}

static void conn_free(http_conn_t *conn) {
  if (conn) {
    curl_easy_cleanup(conn->curl);
    free(conn);
  }
}

void serde__http_destroy(serde_http_t *http) {
  if (!http) return;
  for (size_t i = 0; i < http->n_pool; i++) conn_free(http->pool[i]);
  for (size_t i = 0; i < http->n_urls; i++) url_fini(&http->urls[i]);
  free(http->urls);
  curl_slist_free_all(http->headers_get);
  curl_slist_free_all(http->headers_body);
  free(http->ssl_ca);
  free(http->ssl_cert);
  free(http->ssl_key);
  free(http->ssl_key_password);
  pthread_mutex_destroy(&http->lock);
  free(http);
}

void serde__http_resp_fini(serde_http_resp_t *resp) {
  if (resp) {
    free(resp->body);
    resp->body = NULL;
    resp->body_len = 0;
    resp->status = 0;
  }
}

/* ---- handle pool ---------------------------------------------------------------- */

static size_t sink_write(char *data, size_t size, size_t nmemb, void *userdata) {
  http_sink_t *sink = userdata;
  size_t n = size * nmemb;
  if (n > HTTP_MAX_BODY - sink->buf.len) {
    sink->too_big = true;
    return 0; /* aborts the transfer with CURLE_WRITE_ERROR */
  }
  if (serde__buf_put(&sink->buf, data, n) != SERDE_OK) {
    sink->nomem = true;
    return 0;
  }
  return n;
}

/* The options every request of this transport shares, set once per handle. */
static CURLcode conn_configure(const serde_http_t *http, http_conn_t *conn) {
  CURL *c = conn->curl;
  CURLcode rc = CURLE_OK;
#define SET(opt, val) \
  if (rc == CURLE_OK) rc = curl_easy_setopt(c, opt, val)
  SET(CURLOPT_NOSIGNAL, 1L);
  SET(CURLOPT_ERRORBUFFER, conn->errbuf);
  SET(CURLOPT_CONNECTTIMEOUT_MS, http->connect_timeout_ms);
  SET(CURLOPT_TIMEOUT_MS, http->request_timeout_ms);
  SET(CURLOPT_PROTOCOLS_STR, "http,https");
  SET(CURLOPT_FOLLOWLOCATION, 0L);
  SET(CURLOPT_PATH_AS_IS, 1L); /* targets are encoded by the caller; no dot-segment squashing */
  SET(CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)HTTP_MAX_BODY);
  SET(CURLOPT_WRITEFUNCTION, sink_write);
  SET(CURLOPT_USERAGENT, HTTP_CLIENT_VERSION);
  SET(CURLOPT_TCP_KEEPALIVE, 1L);
  SET(CURLOPT_SSL_VERIFYPEER, 1L);
  SET(CURLOPT_SSL_VERIFYHOST, http->ssl_verify_host ? 2L : 0L);
  if (http->ssl_ca) SET(CURLOPT_CAINFO, http->ssl_ca);
  if (http->ssl_cert) SET(CURLOPT_SSLCERT, http->ssl_cert);
  if (http->ssl_key) SET(CURLOPT_SSLKEY, http->ssl_key);
  if (http->ssl_key_password) SET(CURLOPT_KEYPASSWD, http->ssl_key_password);
#undef SET
  return rc;
}

static serde_code_t conn_take(serde_http_t *http, http_conn_t **out, serde_error_t *err) {
  pthread_mutex_lock(&http->lock);
  http_conn_t *conn = http->n_pool ? http->pool[--http->n_pool] : NULL;
  pthread_mutex_unlock(&http->lock);
  if (!conn) {
    conn = serde__calloc(1, sizeof *conn);
    if (!conn || !(conn->curl = curl_easy_init())) {
      free(conn);
      return serde__fail(err, SERDE_ERR_NOMEM, "out of memory (curl_easy_init)");
    }
    CURLcode rc = conn_configure(http, conn);
    if (rc != CURLE_OK) {
      conn_free(conn);
      return serde__fail(err, rc == CURLE_OUT_OF_MEMORY ? SERDE_ERR_NOMEM : SERDE_ERR_CONF,
                         "libcurl refused an option: %s", curl_easy_strerror(rc));
    }
  }
  *out = conn;
  return SERDE_OK;
}

static void conn_give_back(serde_http_t *http, http_conn_t *conn) {
  pthread_mutex_lock(&http->lock);
  if (http->n_pool < HTTP_POOL_MAX) {
    http->pool[http->n_pool++] = conn;
    conn = NULL;
  }
  pthread_mutex_unlock(&http->lock);
  conn_free(conn);
}

/* ---- one request ------------------------------------------------------------------ */

/* One serde__http_call in progress. */
typedef struct http_call {
  serde_http_t *http;
  http_conn_t *conn;
  const char *method;
  const char *target;
  const char *body;
  size_t body_len;
  serde_http_resp_t *resp; /* the last HTTP answer, final or retriable */
  serde_error_t last;      /* the last transfer error: what the caller hears if no URL answers */
} http_call_t;

/* What one attempt came to. */
typedef enum {
  ATTEMPT_ANSWER,   /* a final HTTP answer: return it */
  ATTEMPT_RETRY,    /* retriable status or network error: back off, try again */
  ATTEMPT_NEXT_URL, /* an error retrying this URL cannot fix (TLS, bad URL): next URL */
  ATTEMPT_FATAL,    /* no point in any retry (too big, out of memory): c->last is set */
} attempt_t;

static bool status_retriable(long status) {
  return status == 408 || status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
}

/* Transfer errors that repeat identically on the same URL. */
static bool curl_error_permanent(CURLcode rc) {
  switch (rc) {
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_CLIENTCERT:
      return true;
    default:
      return false;
  }
}

/* The per-request options: URL, method, body, headers, this URL's credentials. */
static CURLcode conn_prepare(const http_call_t *c, const http_url_t *u, const char *url, http_sink_t *sink) {
  CURL *curl = c->conn->curl;
  bool has_body = c->body != NULL || strcmp(c->method, "POST") == 0 || strcmp(c->method, "PUT") == 0;
  CURLcode rc = CURLE_OK;
#define SET(opt, val) \
  if (rc == CURLE_OK) rc = curl_easy_setopt(curl, opt, val)
  SET(CURLOPT_URL, url);
  if (has_body) {
    SET(CURLOPT_POST, 1L);
    SET(CURLOPT_POSTFIELDS, c->body ? c->body : "");
    SET(CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)(c->body ? c->body_len : 0));
  } else {
    SET(CURLOPT_HTTPGET, 1L);
  }
  SET(CURLOPT_CUSTOMREQUEST, strcmp(c->method, has_body ? "POST" : "GET") == 0 ? NULL : c->method);
  SET(CURLOPT_HTTPHEADER, has_body ? c->http->headers_body : c->http->headers_get);
  SET(CURLOPT_USERNAME, u->user);
  SET(CURLOPT_PASSWORD, u->pass);
  SET(CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
  SET(CURLOPT_WRITEDATA, sink);
#undef SET
  c->conn->errbuf[0] = '\0';
  return rc;
}

/* Runs one attempt against u. With an HTTP answer, *status and sink hold
 * it; a transfer error is written to c->last. */
static attempt_t attempt_run(http_call_t *c, const http_url_t *u, http_sink_t *sink, long *status) {
  *status = 0;
  serde_buf_t url = {0};
  if (serde__buf_printf(&url, "%s%s", u->base, c->target) != SERDE_OK) {
    serde__fail(&c->last, SERDE_ERR_NOMEM, "out of memory");
    return ATTEMPT_FATAL;
  }
  const char *shown = (const char *)url.data; /* no credentials: they are never in base */
  CURLcode rc = conn_prepare(c, u, shown, sink);
  if (rc == CURLE_OK) rc = curl_easy_perform(c->conn->curl);
  attempt_t what = ATTEMPT_ANSWER;
  if (sink->nomem) {
    serde__fail(&c->last, SERDE_ERR_NOMEM, "out of memory reading the answer of %s %s", c->method, shown);
    what = ATTEMPT_FATAL;
  } else if (sink->too_big || rc == CURLE_FILESIZE_EXCEEDED) {
    serde__fail(&c->last, SERDE_ERR_REGISTRY_RESPONSE, "%s %s: the answer exceeds %zu bytes", c->method,
                shown, HTTP_MAX_BODY);
    what = ATTEMPT_FATAL;
  } else if (rc != CURLE_OK) {
    const char *detail = c->conn->errbuf;
    serde__fail(&c->last, SERDE_ERR_REGISTRY_UNAVAILABLE, "%s %s: %s%s%s", c->method, shown,
                curl_easy_strerror(rc), detail[0] ? ": " : "", detail);
    what = curl_error_permanent(rc) ? ATTEMPT_NEXT_URL : ATTEMPT_RETRY;
  } else {
    curl_easy_getinfo(c->conn->curl, CURLINFO_RESPONSE_CODE, status);
    what = status_retriable(*status) ? ATTEMPT_RETRY : ATTEMPT_ANSWER;
  }
  serde_buf_fini(&url);
  return what;
}

/* Full jitter: a random delay in [0, min(wait * 2^attempt, max wait)]. */
static void backoff_sleep(const serde_http_t *http, int attempt) {
  long cap = http->retry_wait_ms;
  for (int i = 0; i < attempt && cap < http->retry_max_wait_ms; i++) cap *= 2;
  if (cap > http->retry_max_wait_ms) cap = http->retry_max_wait_ms;
  if (cap <= 0) return;
  long ms = (long)arc4random_uniform((uint32_t)cap + 1);
  struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L};
  while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
  }
}

/* Moves an attempt's answer into c->resp (NUL-terminated, never NULL). */
static serde_code_t answer_keep(http_call_t *c, http_sink_t *sink, long status) {
  if (serde__buf_putc(&sink->buf, '\0') != SERDE_OK) {
    return serde__fail(&c->last, SERDE_ERR_NOMEM, "out of memory");
  }
  serde__http_resp_fini(c->resp);
  c->resp->status = status;
  c->resp->body = (char *)sink->buf.data;
  c->resp->body_len = sink->buf.len - 1;
  sink->buf = (serde_buf_t){0};
  return SERDE_OK;
}

/* Tries one URL up to 1 + max.retries times. Returns SERDE_OK with *final
 * set when an answer is final; SERDE_OK with *final false to move on (a
 * retriable answer stays in c->resp); an error code to stop. */
static serde_code_t url_try(http_call_t *c, const http_url_t *u, bool *final) {
  *final = false;
  for (int attempt = 0;; attempt++) {
    http_sink_t sink = {0};
    long status = 0;
    attempt_t what = attempt_run(c, u, &sink, &status);
    serde_code_t rc = SERDE_OK;
    if (what == ATTEMPT_FATAL) {
      rc = c->last.code;
    } else if (status != 0) {
      rc = answer_keep(c, &sink, status); /* a retriable answer is kept too */
      *final = rc == SERDE_OK && what == ATTEMPT_ANSWER;
    }
    serde_buf_fini(&sink.buf);
    if (rc != SERDE_OK || *final || what == ATTEMPT_NEXT_URL || attempt >= c->http->max_retries) {
      return rc;
    }
    backoff_sleep(c->http, attempt);
  }
}

serde_code_t serde__http_call(serde_http_t *http, const char *method, const char *target, const char *body,
                              size_t body_len, serde_http_resp_t *resp, serde_error_t *err) {
  if (!http || !method || !target || target[0] != '/' || !resp) {
    return serde__fail(err, SERDE_ERR_INVALID_ARG, "serde__http_call: bad arguments");
  }
  *resp = (serde_http_resp_t){0};
  http_call_t c = {.http = http,
                   .method = method,
                   .target = target,
                   .body = body,
                   .body_len = body_len,
                   .resp = resp,
                   .last = {.code = SERDE_OK}};
  serde_code_t rc = conn_take(http, &c.conn, err);
  if (rc != SERDE_OK) return rc;
  size_t start = atomic_load(&http->current);
  bool final = false;
  for (size_t i = 0; i < http->n_urls && rc == SERDE_OK && !final; i++) {
    size_t idx = (start + i) % http->n_urls;
    rc = url_try(&c, &http->urls[idx], &final);
    if (final) atomic_store(&http->current, idx);
  }
  conn_give_back(http, c.conn);
  if (rc == SERDE_OK && (final || resp->status != 0)) {
    return SERDE_OK; /* a final answer, or the last retriable one once every URL was tried */
  }
  serde__http_resp_fini(resp);
  if (c.last.code == SERDE_OK)
    return serde__fail(err, SERDE_ERR_REGISTRY_UNAVAILABLE, "no registry URL answered");
  return serde__fail(err, c.last.code, "%s", c.last.message);
}
