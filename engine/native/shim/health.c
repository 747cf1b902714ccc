#include "health.h"

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cgroups.h"
#include "cleanup.h"
#include "fileio.h"
#include "json.h"
#include "kernel_log.h"
#include "strbuf.h"

#define HEALTH_FILE "health.json"
#define HEALTH_FILE_MAX (1 << 20)

static const char *const status_names[] = {"starting", "healthy", "unhealthy"};

static void entry_release(struct health_entry *e)
{
  free(e->output);
  e->output = NULL;
}

static void append_entry(struct health *h, const char *start, const char *end, int exit_code, const char *output,
                         size_t len)
{
  if (h->n_log == HEALTH_LOG_MAX) {
    entry_release(&h->log[0]);
    memmove(h->log, h->log + 1, sizeof h->log[0] * (HEALTH_LOG_MAX - 1));
    h->n_log--;
  }
  struct health_entry *e = &h->log[h->n_log];
  e->output = strndup(output, len);
  if (e->output == NULL)
    return;
  snprintf(e->start, sizeof e->start, "%s", start);
  snprintf(e->end, sizeof e->end, "%s", end);
  e->exit_code = exit_code;
  h->n_log++;
}

static int bundle_path(const struct health *h, char *out, size_t len)
{
  return snprintf(out, len, "%s/%s", h->args->bundle, HEALTH_FILE) < (int) len ? 0 : -1;
}

/* Docker keeps the log across restarts of the container. */
static void load_log(struct health *h)
{
  char path[PATH_MAX];
  autofree char *text = NULL;
  size_t len;
  struct shim_err ignored;
  autojson *doc = NULL;
  if (bundle_path(h, path, sizeof path) < 0 || read_file(path, HEALTH_FILE_MAX, &text, &len, &ignored) < 0
      || json_parse(text, len, &doc, &ignored) < 0)
    return;
  const struct json_value *log = json_get(doc, "Log");
  for (size_t i = 0; json_is(log, JSON_ARRAY) && i < log->len; i++) {
    const struct json_value *e = log->items[i];
    const char *start = json_string(json_get(e, "Start")), *end = json_string(json_get(e, "End"));
    const char *output = json_string(json_get(e, "Output"));
    const struct json_value *code = json_get(e, "ExitCode");
    if (start && end && output && json_is(code, JSON_NUMBER))
      append_entry(h, start, end, atoi(code->text), output, json_get(e, "Output")->len);
  }
}

static void save(const struct health *h)
{
  autostrbuf sb = STRBUF_INIT;
  autofd dir = open(h->args->bundle, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  int r = strbuf_addf(&sb, "{\"Status\":\"%s\",\"FailingStreak\":%d,\"Log\":[", status_names[h->status], h->failing_streak);
  for (size_t i = 0; r == 0 && i < h->n_log; i++) {
    const struct health_entry *e = &h->log[i];
    r = strbuf_addf(&sb, "%s{\"Start\":\"%s\",\"End\":\"%s\",\"ExitCode\":%d,\"Output\":", i ? "," : "", e->start,
                    e->end, e->exit_code);
    r = r ?: strbuf_add_json_string(&sb, e->output, strlen(e->output));
    r = r ?: strbuf_addstr(&sb, "}");
  }
  r = r ?: strbuf_addstr(&sb, "]}\n");
  struct shim_err ignored;
  if (r == 0 && dir >= 0)
    write_file_atomic(dir, HEALTH_FILE, sb.data, sb.len, &ignored);
}

void health_init(struct health *h, const struct shim_args *args, int record_fd)
{
  memset(h, 0, sizeof *h);
  health_probe_init(&h->probe);
  h->record_fd = record_fd;
  if (args->health_process == NULL)
    return;
  h->args = args;
  load_log(h);
}

void health_begin(struct health *h, pid_t pid)
{
  if (h->args == NULL)
    return;
  h->init_pid = pid;
  h->started_ms = monotonic_ms();
  h->next_ms = h->started_ms + h->args->health_interval_ns / 1000000;
  h->status = HEALTH_STARTING;
  h->failing_streak = 0;
  save(h);
}

void health_end(struct health *h, bool stopped)
{
  if (h->args == NULL)
    return;
  if (h->probing)
    health_probe_stop(&h->probe);
  h->probing = false;
  if (stopped) {
    h->status = HEALTH_UNHEALTHY;
    save(h);
  }
}

/* moby's handleProbeResult: a success resets the streak; failures count
 * (except while starting within the start period) until `retries` of them
 * in a row make the container unhealthy. */
static void take_result(struct health *h, int exit_code, const char *output, size_t len)
{
  char end[RFC3339NANO_LEN];
  rfc3339nano(NULL, end);
  append_entry(h, h->probe.started, end, exit_code, output, len);
  enum health_status before = h->status;
  if (exit_code == 0) {
    h->failing_streak = 0;
    h->status = HEALTH_HEALTHY;
  } else if (h->status != HEALTH_STARTING
             || h->probe.started_ms - h->started_ms >= h->args->health_start_period_ns / 1000000) {
    if (++h->failing_streak >= h->args->health_retries)
      h->status = HEALTH_UNHEALTHY;
  }
  save(h);
  if (h->status != before)
    kernel_step_write(h->record_fd, "health_status", "status", status_names[h->status], "time", end, NULL);
}

static void start_probe(struct health *h)
{
  struct shim_err err = {0};
  if (health_probe_start(&h->probe, h->init_pid, h->args->health_process, h->args, &err) == 0) {
    h->probing = true;
    return;
  }
  take_result(h, -1, err.msg, strlen(err.msg));
  h->next_ms = monotonic_ms() + h->args->health_interval_ns / 1000000;
}

size_t health_poll_set(void *ctx, struct pollfd *fds, int *timeout_ms)
{
  struct health *h = ctx;
  if (h->args == NULL || h->init_pid <= 0)
    return 0;
  long long deadline = h->probing ? h->probe.started_ms + h->args->health_timeout_ns / 1000000 : h->next_ms;
  long long left = deadline - monotonic_ms();
  if (left < 0)
    left = 0;
  if (*timeout_ms < 0 || left < *timeout_ms)
    *timeout_ms = left > INT_MAX ? INT_MAX : (int) left;
  return h->probing ? health_probe_poll_set(&h->probe, fds) : 0;
}

void health_dispatch(void *ctx, const struct pollfd *fds, size_t n)
{
  struct health *h = ctx;
  if (h->args == NULL || h->init_pid <= 0)
    return;
  long long now = monotonic_ms();
  if (h->probing && health_probe_dispatch(&h->probe, fds, n)) {
    int code = health_probe_result(&h->probe);
    h->probing = false;
    take_result(h, code, h->probe.output, h->probe.output_len);
    h->next_ms = monotonic_ms() + h->args->health_interval_ns / 1000000;
  } else if (h->probing && now >= h->probe.started_ms + h->args->health_timeout_ns / 1000000) {
    char timeout[32], message[96];
    health_probe_stop(&h->probe);
    h->probing = false;
    go_duration(h->args->health_timeout_ns, timeout, sizeof timeout);
    int len = snprintf(message, sizeof message, "Health check exceeded timeout (%s)", timeout);
    take_result(h, -1, message, (size_t) len);
    h->next_ms = monotonic_ms() + h->args->health_interval_ns / 1000000;
  } else if (!h->probing && now >= h->next_ms) {
    if (cgroups_frozen(h->args->cgroups, h->args->n_cgroups))
      h->next_ms = now + h->args->health_interval_ns / 1000000;
    else
      start_probe(h);
  }
}
