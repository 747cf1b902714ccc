#include "sync.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

int sync_pair(int fds[2], struct shim_err *err)
{
  if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds) < 0)
    return fail_errno(err, "socketpair `sync`");
  return 0;
}

static int send_message(int fd, char type, const void *payload, size_t len, int passed_fd)
{
  char buf[1 + SYNC_PAYLOAD_MAX];
  if (len > SYNC_PAYLOAD_MAX)
    len = SYNC_PAYLOAD_MAX;
  buf[0] = type;
  if (len)
    memcpy(buf + 1, payload, len);
  struct iovec iov = {.iov_base = buf, .iov_len = len + 1};
  struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};
  union {
    struct cmsghdr align;
    char space[CMSG_SPACE(sizeof(int))];
  } control;
  if (passed_fd >= 0) {
    mh.msg_control = control.space;
    mh.msg_controllen = sizeof control.space;
    struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);
    cm->cmsg_level = SOL_SOCKET;
    cm->cmsg_type = SCM_RIGHTS;
    cm->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(cm), &passed_fd, sizeof(int));
  }
  ssize_t n;
  do
    n = sendmsg(fd, &mh, MSG_NOSIGNAL);
  while (n < 0 && errno == EINTR);
  return n < 0 ? -errno : 0;
}

int sync_send(int fd, char type, const void *payload, size_t len)
{
  return send_message(fd, type, payload, len, -1);
}

int sync_send_fd(int fd, char type, int passed_fd)
{
  return send_message(fd, type, NULL, 0, passed_fd);
}

int sync_send_fail(int fd, const struct shim_err *err)
{
  char buf[1 + sizeof err->msg];
  size_t len = strnlen(err->msg, sizeof err->msg - 1);
  buf[0] = (char) (err->code ? err->code : EXIT_SETUP);
  memcpy(buf + 1, err->msg, len);
  return sync_send(fd, SYNC_FAIL, buf, len + 1);
}

static void take_passed_fd(struct msghdr *mh, struct sync_msg *msg)
{
  for (struct cmsghdr *cm = CMSG_FIRSTHDR(mh); cm != NULL; cm = CMSG_NXTHDR(mh, cm))
    if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS && cm->cmsg_len >= CMSG_LEN(sizeof(int)))
      memcpy(&msg->fd, CMSG_DATA(cm), sizeof(int));
}

int sync_recv(int fd, struct sync_msg *msg)
{
  char buf[1 + SYNC_PAYLOAD_MAX];
  struct iovec iov = {.iov_base = buf, .iov_len = sizeof buf};
  union {
    struct cmsghdr align;
    char space[CMSG_SPACE(sizeof(int))];
  } control;
  struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.space,
                      .msg_controllen = sizeof control.space};
  ssize_t n;
  do
    n = recvmsg(fd, &mh, MSG_CMSG_CLOEXEC);
  while (n < 0 && errno == EINTR);
  if (n < 0)
    return -errno;
  if (n == 0)
    return 0;
  msg->type = buf[0];
  msg->len = (size_t) n - 1;
  memcpy(msg->payload, buf + 1, msg->len);
  msg->payload[msg->len] = '\0';
  msg->fd = -1;
  take_passed_fd(&mh, msg);
  return 1;
}

int sync_expect(int fd, char type, struct shim_err *err)
{
  struct sync_msg msg;
  int r = sync_recv(fd, &msg);
  if (r < 0)
    return fail_with(err, EXIT_SETUP, -r, "read `sync`");
  if (r == 0)
    return fail_with(err, EXIT_SETUP, 0, "the other side of the sync channel exited");
  if (msg.type == SYNC_FAIL)
    return sync_failure(&msg, err);
  if (msg.type != type)
    return fail_with(err, EXIT_SETUP, 0, "sync: expected message '%c', got '%c'", type, msg.type);
  return 0;
}

int sync_failure(const struct sync_msg *msg, struct shim_err *err)
{
  int code = msg->len > 0 ? (unsigned char) msg->payload[0] : EXIT_SETUP;
  return fail_with(err, code, 0, "%s", msg->len > 1 ? msg->payload + 1 : "setup failed");
}
