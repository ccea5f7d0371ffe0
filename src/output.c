/* output.c: see output.h. */
#define _POSIX_C_SOURCE 200809L
#include "output.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

#ifndef PATH_MAX
#define PATH_MAX 4096
#endif

struct nkg_output {
  char *path; /* target, or NULL for stdout */
  char *dir;  /* its directory, for the fsync after the rename */
  FILE *fp;
  int direct; /* target is not a regular file: written in place */
};

/* The temporary file's name for the signal handler: written before the
 * handler is installed and read only by it. */
static char temp_path[PATH_MAX];
static volatile sig_atomic_t temp_live;

static const int caught[] = {SIGINT, SIGTERM, SIGHUP};
#define N_CAUGHT (sizeof caught / sizeof caught[0])
static struct sigaction saved[N_CAUGHT];

/* Async-signal-safe: unlink(), sigaction() and raise() only. */
static void on_signal(int sig) {
  if (temp_live)
    unlink(temp_path);
  temp_live = 0;
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = SIG_DFL;
  sigemptyset(&sa.sa_mask);
  sigaction(sig, &sa, NULL);
  raise(sig);
}

static void install_handlers(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  for (size_t i = 0; i < N_CAUGHT; i++)
    sigaddset(&sa.sa_mask, caught[i]);
  for (size_t i = 0; i < N_CAUGHT; i++) {
    sigaction(caught[i], NULL, &saved[i]);
    /* Keep "ignored" if our parent asked for it (nohup, background jobs). */
    if (saved[i].sa_handler != SIG_IGN)
      sigaction(caught[i], &sa, NULL);
  }
}

static void restore_handlers(void) {
  for (size_t i = 0; i < N_CAUGHT; i++)
    sigaction(caught[i], &saved[i], NULL);
}

/* Blocks the caught signals around changes of temp_path/temp_live. */
static void block(sigset_t *old) {
  sigset_t set;
  sigemptyset(&set);
  for (size_t i = 0; i < N_CAUGHT; i++)
    sigaddset(&set, caught[i]);
  sigprocmask(SIG_BLOCK, &set, old);
}

void nkg_output_init(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = SIG_DFL;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGPIPE, &sa, NULL);
}

nkg_output *nkg_output_open(const char *path) {
  nkg_output *out = nkg_xcalloc(1, sizeof *out);
  if (!path || !strcmp(path, "-")) {
    out->fp = stdout;
    return out;
  }
  /* A device, FIFO or terminal (/dev/stdout, /dev/full, a named pipe) is
   * written in place: it cannot be replaced by a rename. */
  struct stat st;
  if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
    nkg_error("%s: %s", path, strerror(EISDIR));
    free(out);
    return NULL;
  }
  if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
    out->fp = fopen(path, "w");
    if (!out->fp) {
      nkg_error("%s: %s", path, strerror(errno));
      free(out);
      return NULL;
    }
    out->path = nkg_xstrdup(path);
    out->direct = 1;
    return out;
  }
  if (temp_live) {
    nkg_error("%s: another output file is open", path);
    free(out);
    return NULL;
  }

  const char *slash = strrchr(path, '/');
  const char *base = slash ? slash + 1 : path;
  if (!*base) {
    nkg_error("%s: is a directory", path);
    free(out);
    return NULL;
  }
  out->dir = slash ? nkg_xstrndup(path, (size_t)(slash - path) + 1)
                   : nkg_xstrdup("./");
  nkg_buf tmp = {0};
  nkg_buf_add(&tmp, path, (size_t)(base - path));
  nkg_buf_printf(&tmp, ".%s.XXXXXX", base);
  if (tmp.len >= sizeof temp_path) {
    nkg_error("%s: file name too long", path);
    nkg_buf_free(&tmp);
    free(out->dir);
    free(out);
    return NULL;
  }

  sigset_t old;
  block(&old);
  memcpy(temp_path, tmp.data, tmp.len + 1);
  nkg_buf_free(&tmp);
  int fd = mkstemp(temp_path);
  if (fd < 0) {
    int e = errno;
    sigprocmask(SIG_SETMASK, &old, NULL);
    nkg_error("%s: %s", path, strerror(e));
    free(out->dir);
    free(out);
    return NULL;
  }
  temp_live = 1;
  install_handlers();
  sigprocmask(SIG_SETMASK, &old, NULL);

  /* mkstemp() makes the file 0600; the result should be an ordinary file
   * created under the user's umask. */
  mode_t mask = umask(0);
  umask(mask);
  if (fchmod(fd, 0666 & ~mask) != 0 || !(out->fp = fdopen(fd, "w"))) {
    int e = errno;
    close(fd);
    out->path = nkg_xstrdup(path);
    nkg_output_abort(out);
    nkg_error("%s: %s", path, strerror(e));
    return NULL;
  }
  out->path = nkg_xstrdup(path);
  return out;
}

FILE *nkg_output_stream(nkg_output *out) { return out->fp; }

static void forget_temp(void) {
  sigset_t old;
  block(&old);
  temp_live = 0;
  restore_handlers();
  sigprocmask(SIG_SETMASK, &old, NULL);
}

static void release(nkg_output *out) {
  free(out->path);
  free(out->dir);
  free(out);
}

int nkg_output_close_stdout(void) {
  errno = 0;
  int failed = fflush(stdout) != 0 || ferror(stdout);
  int e = errno;
  if (fclose(stdout) != 0 && !failed) {
    failed = 1;
    e = errno;
  }
  if (failed) {
    nkg_error("standard output: %s", e ? strerror(e) : "write error");
    return -1;
  }
  return 0;
}

static int commit_stdout(nkg_output *out) {
  release(out);
  return nkg_output_close_stdout();
}

static int commit_direct(nkg_output *out) {
  errno = 0;
  int failed = fflush(out->fp) != 0 || ferror(out->fp);
  int e = errno;
  if (fclose(out->fp) != 0 && !failed) {
    failed = 1;
    e = errno;
  }
  if (failed)
    nkg_error("%s: %s", out->path, e ? strerror(e) : "write error");
  release(out);
  return failed ? -1 : 0;
}

int nkg_output_commit(nkg_output *out) {
  if (!out->path)
    return commit_stdout(out);
  if (out->direct)
    return commit_direct(out);

  const char *what = NULL;
  int e = 0;
  if (fflush(out->fp) != 0 || ferror(out->fp))
    what = "write", e = errno;
  else if (fsync(fileno(out->fp)) != 0 && errno != EINVAL)
    what = "fsync", e = errno;
  if (fclose(out->fp) != 0 && !what)
    what = "close", e = errno;
  out->fp = NULL;
  if (!what && rename(temp_path, out->path) != 0)
    what = "rename", e = errno;
  if (what) {
    unlink(temp_path);
    forget_temp();
    nkg_error("%s: %s failed: %s", out->path, what,
              e ? strerror(e) : "I/O error");
    release(out);
    return -1;
  }
  forget_temp();

  /* Make the rename durable; not every file system can sync a directory,
   * and the data is in place anyway, so failure here is not an error. */
  int dfd = open(out->dir, O_RDONLY);
  if (dfd >= 0) {
    (void)fsync(dfd);
    close(dfd);
  }
  release(out);
  return 0;
}

void nkg_output_abort(nkg_output *out) {
  if (!out)
    return;
  if (!out->path) {
    fflush(stdout);
    release(out);
    return;
  }
  if (out->direct) {
    fclose(out->fp);
    release(out);
    return;
  }
  if (out->fp)
    fclose(out->fp);
  unlink(temp_path);
  forget_temp();
  release(out);
}
