/*
 * LD_PRELOAD library for Scaphandre in the real tests (see bind-mounts.sh): opening /proc/modules
 * opens the file named by PEEKSTACK_FAKE_PROC_MODULES instead.
 *
 * Why: Scaphandre 1.0.2 reads /proc/modules to check that a RAPL module is loaded, and panics when
 * the file is missing, as it is on these machines' kernels (no module support). procfs accepts no
 * new file and no bind mount onto a missing one, so no mount namespace can provide it. Every other
 * path (the simulated /sys/class/powercap, the real /proc/<pid>) is a bind mount; this library
 * redirects this one path only, and leaves every other call to the C library unchanged.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *redirected(const char *path) {
  if (path != NULL && strcmp(path, "/proc/modules") == 0) {
    const char *fake = getenv("PEEKSTACK_FAKE_PROC_MODULES");
    if (fake != NULL && *fake != '\0') return fake;
  }
  return path;
}

/* The optional third argument of open(2) exists only with O_CREAT or O_TMPFILE. */
#define MODE_FROM_VARARGS(flags, mode)          \
  mode_t mode = 0;                              \
  if ((flags) & (O_CREAT | O_TMPFILE)) {        \
    va_list ap;                                 \
    va_start(ap, flags);                        \
    mode = va_arg(ap, mode_t);                  \
    va_end(ap);                                 \
  }

#define REAL(name, type) \
  static type real_##name; \
  if (real_##name == NULL) real_##name = (type)dlsym(RTLD_NEXT, #name)

typedef int (*open_fn)(const char *, int, ...);
typedef int (*openat_fn)(int, const char *, int, ...);
typedef FILE *(*fopen_fn)(const char *, const char *);

int open(const char *path, int flags, ...) {
  MODE_FROM_VARARGS(flags, mode);
  REAL(open, open_fn);
  return real_open(redirected(path), flags, mode);
}

int open64(const char *path, int flags, ...) {
  MODE_FROM_VARARGS(flags, mode);
  REAL(open64, open_fn);
  return real_open64(redirected(path), flags, mode);
}

int openat(int dirfd, const char *path, int flags, ...) {
  MODE_FROM_VARARGS(flags, mode);
  REAL(openat, openat_fn);
  return real_openat(dirfd, redirected(path), flags, mode);
}

int openat64(int dirfd, const char *path, int flags, ...) {
  MODE_FROM_VARARGS(flags, mode);
  REAL(openat64, openat_fn);
  return real_openat64(dirfd, redirected(path), flags, mode);
}

FILE *fopen(const char *path, const char *how) {
  REAL(fopen, fopen_fn);
  return real_fopen(redirected(path), how);
}

FILE *fopen64(const char *path, const char *how) {
  REAL(fopen64, fopen_fn);
  return real_fopen64(redirected(path), how);
}
