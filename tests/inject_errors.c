/* inject_errors.c: an LD_PRELOAD shim that makes I/O fail on demand, after
 * jq's src/inject_errors.c. Used by tests/fault-injection.test.
 *
 * NKG_INJECT selects the fault; NKG_INJECT_PATH, when set, limits the
 * stream faults to files whose name contains it:
 *   read     fopen() of a matching file gives a stream whose reads fail
 *            with EIO after NKG_INJECT_AFTER bytes (default 0)
 *   write    fdopen()/fopen() for writing gives a stream whose writes fail
 *            with ENOSPC after NKG_INJECT_AFTER bytes (default 0)
 *   close    such a stream writes, but fclose() reports EIO
 *   fsync    fsync() fails with EIO
 *   rename   rename() fails with EXDEV
 *   malloc   (not provided: allocation failure aborts by design)
 * A faulty stream is made with fopencookie(); fileno() on it returns the
 * real descriptor, so fstat() and fsync() still work. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#define MAX_STREAMS 16

typedef struct {
  int fd;
  size_t done; /* bytes read or written so far */
  size_t after;
  FILE *fp;
} cookie;

static cookie *streams[MAX_STREAMS];

static const char *fault(void) {
  const char *f = getenv("NKG_INJECT");
  return f ? f : "";
}

static int matches(const char *path) {
  const char *want = getenv("NKG_INJECT_PATH");
  return !want || !*want || (path && strstr(path, want));
}

static size_t after(void) {
  const char *a = getenv("NKG_INJECT_AFTER");
  return a ? (size_t)strtoull(a, NULL, 10) : 0;
}

static ssize_t c_read(void *p, char *buf, size_t n) {
  cookie *c = p;
  if (!strcmp(fault(), "read") && c->done + n > c->after) {
    if (c->done < c->after)
      n = c->after - c->done;
    else {
      errno = EIO;
      return -1;
    }
  }
  ssize_t got = read(c->fd, buf, n);
  if (got > 0)
    c->done += (size_t)got;
  return got;
}

static ssize_t c_write(void *p, const char *buf, size_t n) {
  cookie *c = p;
  if (!strcmp(fault(), "write") && c->done + n > c->after) {
    errno = ENOSPC;
    return -1;
  }
  size_t left = n;
  while (left) {
    ssize_t w = write(c->fd, buf, left);
    if (w < 0)
      return -1;
    buf += w;
    left -= (size_t)w;
  }
  c->done += n;
  return (ssize_t)n;
}

static int c_seek(void *p, off64_t *off, int whence) {
  cookie *c = p;
  off_t r = lseek(c->fd, (off_t)*off, whence);
  if (r < 0)
    return -1;
  *off = r;
  return 0;
}

static int c_close(void *p) {
  cookie *c = p;
  int rc = close(c->fd);
  for (int i = 0; i < MAX_STREAMS; i++)
    if (streams[i] == c)
      streams[i] = NULL;
  int fail = !strcmp(fault(), "close");
  free(c);
  if (fail) {
    errno = EIO;
    return -1;
  }
  return rc;
}

static FILE *wrap(int fd, const char *mode) {
  cookie *c = calloc(1, sizeof *c);
  if (!c)
    return NULL;
  c->fd = fd;
  c->after = after();
  cookie_io_functions_t io = {c_read, c_write, c_seek, c_close};
  c->fp = fopencookie(c, mode, io);
  if (!c->fp) {
    free(c);
    return NULL;
  }
  for (int i = 0; i < MAX_STREAMS; i++)
    if (!streams[i]) {
      streams[i] = c;
      break;
    }
  return c->fp;
}

static int writing(const char *mode) {
  return strchr(mode, 'w') || strchr(mode, 'a') || strchr(mode, '+');
}

static int stream_fault(const char *path, const char *mode) {
  const char *f = fault();
  if (!matches(path))
    return 0;
  if (!strcmp(f, "read"))
    return !writing(mode);
  if (!strcmp(f, "write") || !strcmp(f, "close"))
    return writing(mode);
  return 0;
}

FILE *fopen(const char *path, const char *mode) {
  static FILE *(*real)(const char *, const char *);
  if (!real)
    real = (FILE * (*)(const char *, const char *)) dlsym(RTLD_NEXT, "fopen");
  FILE *f = real(path, mode);
  if (!f || !stream_fault(path, mode))
    return f;
  int fd = dup(fileno(f));
  fclose(f);
  return fd < 0 ? NULL : wrap(fd, mode);
}

FILE *fopen64(const char *path, const char *mode) { return fopen(path, mode); }

FILE *fdopen(int fd, const char *mode) {
  static FILE *(*real)(int, const char *);
  if (!real)
    real = (FILE * (*)(int, const char *)) dlsym(RTLD_NEXT, "fdopen");
  /* fdopen() has no name: NKG_INJECT_PATH matches through /proc */
  char link[64], target[4096];
  snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  ssize_t n = readlink(link, target, sizeof target - 1);
  target[n > 0 ? n : 0] = '\0';
  if (!stream_fault(target, mode))
    return real(fd, mode);
  return wrap(fd, mode);
}

int fileno(FILE *f) {
  static int (*real)(FILE *);
  if (!real)
    real = (int (*)(FILE *))dlsym(RTLD_NEXT, "fileno");
  for (int i = 0; i < MAX_STREAMS; i++)
    if (streams[i] && streams[i]->fp == f)
      return streams[i]->fd;
  return real(f);
}

int fsync(int fd) {
  static int (*real)(int);
  if (!real)
    real = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
  if (!strcmp(fault(), "fsync")) {
    errno = EIO;
    return -1;
  }
  return real(fd);
}

int rename(const char *from, const char *to) {
  static int (*real)(const char *, const char *);
  if (!real)
    real = (int (*)(const char *, const char *))dlsym(RTLD_NEXT, "rename");
  if (!strcmp(fault(), "rename") && matches(to)) {
    errno = EXDEV;
    return -1;
  }
  return real(from, to);
}
