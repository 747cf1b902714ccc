#include "ports.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cleanup.h"
#include "fileio.h"

#define ATTACHMENT_MAX_BYTES (1 << 20)

static int hold_one(struct held_ports *held, const char *ip, unsigned port, bool tcp, struct shim_err *err)
{
  struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t) port)};
  const char *shown = ip[0] ? ip : "0.0.0.0";
  if (inet_pton(AF_INET, shown, &addr.sin_addr) != 1)
    return fail_with(err, EXIT_SETUP, 0, "invalid host IP `%s`", ip);
  int *bigger = realloc(held->fds, (held->count + 1) * sizeof *held->fds);
  if (bigger == NULL)
    return fail_with(err, EXIT_SETUP, ENOMEM, "ports");
  held->fds = bigger;
  autofd fd = socket(AF_INET, (tcp ? SOCK_STREAM : SOCK_DGRAM) | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return fail_errno(err, "socket");
  int one = 1;
  /* TCP: reusable past TIME_WAIT, exclusive while listening (nothing is ever accepted:
   * netavark's DNAT takes the traffic first). UDP: no SO_REUSEADDR, so no one can share it. */
  if (tcp && setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0)
    return fail_errno(err, "setsockopt `SO_REUSEADDR`");
  if (bind(fd, (struct sockaddr *) &addr, sizeof addr) < 0 || (tcp && listen(fd, 1) < 0)) {
    if (errno == EADDRINUSE)
      return fail_with(err, EXIT_SETUP, 0, "Bind for %s:%u failed: port is already allocated", shown, port);
    return fail_errno(err, "bind `%s:%u/%s`", shown, port, tcp ? "tcp" : "udp");
  }
  held->fds[held->count++] = steal_fd(&fd);
  return 0;
}

static int hold_mapping(struct held_ports *held, const struct json_value *m, struct shim_err *err)
{
  uint64_t port = 0, range = 1;
  const char *ip = json_string(json_get(m, "host_ip"));
  const char *protocol = json_string(json_get(m, "protocol"));
  if (json_u64(json_get(m, "host_port"), &port) < 0 || (json_get(m, "range") && json_u64(json_get(m, "range"), &range) < 0)
      || port == 0 || range == 0 || port + range - 1 > 65535 || protocol == NULL)
    return fail_with(err, EXIT_SETUP, 0, "port_mappings: bad entry");
  bool tcp = strcmp(protocol, "tcp") == 0;
  if (!tcp && strcmp(protocol, "udp") != 0)
    return fail_with(err, EXIT_SETUP, 0, "port_mappings: protocol `%s` is not tcp or udp", protocol);
  for (uint64_t p = port; p < port + range; p++)
    if (hold_one(held, ip ? ip : "", (unsigned) p, tcp, err) < 0)
      return -1;
  return 0;
}

static int hold_attachment(const struct network_plan *plan, const char *name, struct held_ports *held,
                           struct shim_err *err)
{
  autofree char *path = NULL, *text = NULL;
  size_t len;
  if (asprintf(&path, "%s/%s", plan->dir, name) < 0)
    return fail_with(err, EXIT_SETUP, ENOMEM, "ports");
  autojson *doc = NULL;
  if (read_file(path, ATTACHMENT_MAX_BYTES, &text, &len, err) < 0 || json_parse(text, len, &doc, err) < 0)
    return -1;
  const struct json_value *list = json_get(doc, "port_mappings");
  for (size_t i = 0; json_is(list, JSON_ARRAY) && i < list->len; i++)
    if (hold_mapping(held, list->items[i], err) < 0)
      return -1;
  return 0;
}

int ports_hold(const struct network_plan *plan, struct held_ports *held, struct shim_err *err)
{
  char **names;
  size_t count;
  held->fds = NULL;
  held->count = 0;
  if (network_attachments(plan, &names, &count, err) < 0)
    return -1;
  int r = 0;
  for (size_t i = 0; i < count && r == 0; i++)
    r = hold_attachment(plan, names[i], held, err);
  network_names_free(names, count);
  if (r < 0)
    ports_release(held);
  return r;
}

void ports_release(struct held_ports *held)
{
  for (size_t i = 0; i < held->count; i++)
    close(held->fds[i]);
  free(held->fds);
  held->fds = NULL;
  held->count = 0;
}
