/* Check suite for the poll chapter: the Poll interface, named-pipe open semantics, level and
   edge triggering, the hand-declared kernel ABI, and the demos' output and error messages. */
#define _GNU_SOURCE
#include "poll/epoll_abi.h"
#include "poll/fifo.h"
#include "poll/poll.h"

#include <check.h>

#include "check_support.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef BUILD_DIR
#define BUILD_DIR "build"
#endif

enum { WAIT_MS = 5000 };            /* bound for anything that should happen "soon" */
enum { PATH_LEN = 256 };            /* paths under a mkdtemp directory */

/* ---------- helpers ---------- */

static void make_tmpdir(char *dir, size_t len)
{
    snprintf(dir, len, "/tmp/test_poll.XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void remove_tmpdir(const char *dir)
{
    DIR *d = opendir(dir);
    ck_assert_ptr_nonnull(d);
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            unlinkat(dirfd(d), e->d_name, 0);
    closedir(d);
    ck_assert_int_eq(rmdir(dir), 0);
}

static void join(char *out, size_t len, const char *dir, const char *name)
{
    snprintf(out, len, "%s/%s", dir, name);
}

/* Runs "<command> '<path>'" through the shell, quietly; returns its exit status. */
static int system_quiet(const char *command, const char *path)
{
    char line[PATH_MAX + 64];
    snprintf(line, sizeof line, "%s '%s' >/dev/null 2>&1", command, path);
    int status = system(line);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static int mkdir_p(const char *path)
{
    return system_quiet("mkdir -p", path);
}

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

/* Writes s to the FIFO the way `echo s > path` does: open, write, close. */
static void write_fifo(const char *path, const char *s)
{
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, s, strlen(s)), (ssize_t)strlen(s));
    close(fd);
}

/* Waits (bounded) until the FIFO at path holds no unread bytes, i.e. its reader has read what
   was written. Looks through a second, non-blocking read end that never reads. */
static int fifo_drained(const char *path)
{
    const struct timespec ms = { 0, 1000000 };
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    ck_assert_int_ge(fd, 0);
    int unread = -1;
    for (int i = 0; i < WAIT_MS; i++) {
        ck_assert_int_eq(ioctl(fd, FIONREAD, &unread), 0);
        if (unread == 0)
            break;
        nanosleep(&ms, NULL);
    }
    close(fd);
    return unread == 0;
}

/* True once fd has something to read (or EOF) within ms milliseconds. */
static int readable_within(int fd, int ms)
{
    struct poll *p;
    struct poll_event ev;
    ck_assert_int_eq(poll_new(&p), 0);
    ck_assert_int_eq(poll_add(p, fd, 0, POLL_READABLE), 0);
    int n = poll_wait(p, &ev, 1, ms);
    poll_close(p);
    return n == 1;
}

/* Process state letter from /proc/PID/stat ('S' = asleep in a system call). */
static char proc_state(pid_t pid)
{
    char path[64], buf[512];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return '?';
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    char *paren = strrchr(buf, ')');
    return paren != NULL && paren[1] == ' ' ? paren[2] : '?';
}

/* Waits (bounded) until pid is asleep in the kernel. Returns 1 if it got there. */
static int wait_until_asleep(pid_t pid)
{
    const struct timespec ms = { 0, 1000000 };
    for (int i = 0; i < WAIT_MS; i++) {
        if (proc_state(pid) == 'S')
            return 1;
        nanosleep(&ms, NULL);
    }
    return 0;
}

/* Waits (bounded) until thread tid of process pid is blocked in epoll_wait, as
   /proc/PID/task/TID/syscall shows: the call's number, then its arguments in hex. Returns 1 and
   the low 32 bits of the fourth argument, the timeout in milliseconds, once it is. */
static int blocked_in_epoll_wait(pid_t pid, pid_t tid, uint32_t *timeout_ms)
{
#ifdef SYS_epoll_wait
    const long wanted = SYS_epoll_wait;
#else
    const long wanted = SYS_epoll_pwait;    /* same fourth argument */
#endif
    const struct timespec ms = { 0, 1000000 };
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/task/%d/syscall", (int)pid, (int)tid);
    for (int i = 0; i < WAIT_MS; i++) {
        long nr = -1;
        unsigned long long arg[4];
        FILE *f = fopen(path, "r");
        ck_assert_ptr_nonnull(f);
        int fields = fscanf(f, "%ld %llx %llx %llx %llx", &nr, &arg[0], &arg[1], &arg[2], &arg[3]);
        fclose(f);
        if (fields == 5 && nr == wanted) {
            *timeout_ms = (uint32_t)(arg[3] & 0xffffffffu);
            return 1;
        }
        nanosleep(&ms, NULL);
    }
    return 0;
}

/* Waits (bounded) for a child to end; returns its wait status, or -1 after killing it. */
static int wait_child(pid_t pid)
{
    const struct timespec ms = { 0, 1000000 };
    int status;
    for (int i = 0; i < WAIT_MS; i++) {
        pid_t r = waitpid(pid, &status, WNOHANG);
        if (r == pid)
            return status;
        nanosleep(&ms, NULL);
    }
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    return -1;
}

/* ---------- running a demo ---------- */

struct demo {
    pid_t pid;
    int out, err;                   /* read ends of its stdout and stderr */
    char text[16384];               /* stdout collected so far */
    size_t len;
};

/* How to start a demo: descriptors to close (bit n for descriptor n) and, if not 0, a limit on
   open descriptors, set the way a user would: `ulimit -n N` in a shell that then runs it. */
struct demo_setting {
    unsigned closed;
    int nofile;
};

static void demo_start_with(struct demo *d, const char *name, const char *dir,
                            char *const args[], struct demo_setting how);

/* Starts BUILD_DIR/<name> in directory dir with the given arguments (NULL-terminated). */
static void demo_start(struct demo *d, const char *name, const char *dir, char *const args[])
{
    demo_start_with(d, name, dir, args, (struct demo_setting){ 0, 0 });
}

static void demo_start_with(struct demo *d, const char *name, const char *dir,
                            char *const args[], struct demo_setting how)
{
    char rel[PATH_MAX], exe[PATH_MAX];  /* realpath needs PATH_MAX */
    snprintf(rel, sizeof rel, "%s/%s", BUILD_DIR, name);
    ck_assert_msg(realpath(rel, exe) != NULL, "%s: not built", rel);
    int out[2], err[2];
    ck_assert_int_eq(pipe2(out, O_CLOEXEC), 0);
    ck_assert_int_eq(pipe2(err, O_CLOEXEC), 0);
    d->len = 0;
    d->text[0] = '\0';
    d->pid = fork();
    ck_assert_int_ge(d->pid, 0);
    if (d->pid == 0) {
        char limit[32];
        snprintf(limit, sizeof limit, "%d", how.nofile);
        char *argv[12] = { "/bin/sh", "-c", "ulimit -n \"$0\" && exec \"$@\"", limit, exe };
        char **demo_argv = how.nofile > 0 ? argv : argv + 4;
        for (int i = 0; args != NULL && args[i] != NULL && i < 6; i++)
            argv[i + 5] = args[i];
        if (dir != NULL && chdir(dir) < 0)
            _exit(126);
        prctl(PR_SET_PDEATHSIG, SIGKILL);    /* a failed test leaves no demo running */
        dup2(out[1], STDOUT_FILENO);
        dup2(err[1], STDERR_FILENO);
        close_range(3, ~0u, 0);             /* the demo's numbering starts at 3 */
        for (int fd = 0; fd <= 2; fd++)
            if (how.closed & (1u << fd))
                close(fd);
        execv(demo_argv[0], demo_argv);
        _exit(127);
    }
    close(out[1]);
    close(err[1]);
    d->out = out[0];
    d->err = err[0];
}

/* Reads the demo's stdout until it contains needle (or, if needle is NULL, until EOF). */
static int demo_read_until(struct demo *d, const char *needle)
{
    double deadline = now_ms() + WAIT_MS;
    while (needle == NULL || strstr(d->text, needle) == NULL) {
        int left = (int)(deadline - now_ms());
        if (left <= 0 || !readable_within(d->out, left))
            return 0;
        ssize_t n = read(d->out, d->text + d->len, sizeof d->text - 1 - d->len);
        if (n <= 0)
            return needle == NULL;
        d->len += (size_t)n;
        d->text[d->len] = '\0';
    }
    return 1;
}

/* Like demo_read_until, for output too long to keep: only the last part of the text is kept. */
static int demo_skip_until(struct demo *d, const char *needle)
{
    double deadline = now_ms() + WAIT_MS;
    while (needle == NULL || strstr(d->text, needle) == NULL) {
        if (d->len > sizeof d->text / 2) {            /* keep a tail longer than any needle */
            size_t keep = 256;
            memmove(d->text, d->text + d->len - keep, keep + 1);
            d->len = keep;
        }
        int left = (int)(deadline - now_ms());
        if (left <= 0 || !readable_within(d->out, left))
            return 0;
        ssize_t n = read(d->out, d->text + d->len, sizeof d->text - 1 - d->len);
        if (n <= 0)
            return needle == NULL;
        d->len += (size_t)n;
        d->text[d->len] = '\0';
    }
    return 1;
}

/* Reads stdout to EOF, collects stderr into err, returns the exit status (or -1). */
static int demo_finish(struct demo *d, char *err, size_t errlen)
{
    ck_assert_msg(demo_read_until(d, NULL), "demo did not close its output");
    size_t n = 0;
    ssize_t r;
    while (n + 1 < errlen && readable_within(d->err, WAIT_MS)
           && (r = read(d->err, err + n, errlen - 1 - n)) > 0)
        n += (size_t)r;
    err[n] = '\0';
    close(d->out);
    close(d->err);
    int status = wait_child(d->pid);
    return status >= 0 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* Calls fifo_open_read(path, "t", stream) on a memory stream; *msg gets all it wrote (free it). */
static int fifo_open_msg(const char *path, char **msg)
{
    size_t len;
    FILE *f = open_memstream(msg, &len);
    ck_assert_ptr_nonnull(f);
    int fd = fifo_open_read(path, "t", f);
    ck_assert_int_eq(fclose(f), 0);
    return fd;
}

/* Asserts that fifo_open_read refuses path with exactly the message want. */
static void assert_fifo_refused(const char *path, const char *want)
{
    char *msg;
    ck_assert_int_eq(fifo_open_msg(path, &msg), -1);
    ck_assert_str_eq(msg, want);
    free(msg);
}

/* ---------- the Poll interface ---------- */

/* Most interface tests watch one non-blocking pipe with one poll instance. */
static void open_pipe_and_poll(int fds[2], struct poll **p)
{
    ck_assert_int_eq(pipe2(fds, O_NONBLOCK), 0);
    ck_assert_int_eq(poll_new(p), 0);
}

static void close_pipe_and_poll(int fds[2], struct poll *p)
{
    poll_close(p);
    close(fds[0]);
    close(fds[1]);
}

START_TEST(test_poll_new_and_close)
{
    struct poll *p = NULL;
    ck_assert_int_eq(poll_new(&p), 0);
    ck_assert_ptr_nonnull(p);
    poll_close(p);
    poll_close(NULL);
}
END_TEST

START_TEST(test_poll_returns_the_token_when_readable)
{
    int fds[2];
    struct poll *p;
    struct poll_event ev[4];
    const uint64_t token = 0x1122334455667788u;
    open_pipe_and_poll(fds, &p);
    ck_assert_int_eq(poll_add(p, fds[0], token, POLL_READABLE), 0);
    ck_assert_int_eq(poll_wait(p, ev, 4, 0), 0);
    ck_assert_int_eq(write(fds[1], "x", 1), 1);
    ck_assert_int_eq(poll_wait(p, ev, 4, 0), 1);
    ck_assert_uint_eq(ev[0].token, token);
    ck_assert_uint_eq(ev[0].ready, POLL_READABLE);
    close_pipe_and_poll(fds, p);
}
END_TEST

START_TEST(test_poll_reports_writable)
{
    int fds[2];
    struct poll *p;
    struct poll_event ev;
    open_pipe_and_poll(fds, &p);
    ck_assert_int_eq(poll_add(p, fds[1], 5, POLL_WRITABLE), 0);
    ck_assert_int_eq(poll_wait(p, &ev, 1, 0), 1);
    ck_assert_uint_eq(ev.token, 5);
    ck_assert_uint_eq(ev.ready, POLL_WRITABLE);
    close_pipe_and_poll(fds, p);
}
END_TEST

START_TEST(test_poll_modify_changes_token_and_interest)
{
    int fds[2];
    struct poll *p;
    struct poll_event ev;
    open_pipe_and_poll(fds, &p);
    ck_assert_int_eq(poll_add(p, fds[0], 1, POLL_READABLE), 0);
    ck_assert_int_eq(poll_modify(p, fds[0], 2, POLL_READABLE), 0);
    ck_assert_int_eq(write(fds[1], "x", 1), 1);
    ck_assert_int_eq(poll_wait(p, &ev, 1, 0), 1);
    ck_assert_uint_eq(ev.token, 2);
    /* A read end is never writable: with only that interest, the waiting byte is ignored. */
    ck_assert_int_eq(poll_modify(p, fds[0], 3, POLL_WRITABLE), 0);
    ck_assert_int_eq(poll_wait(p, &ev, 1, 0), 0);
    close_pipe_and_poll(fds, p);
}
END_TEST

START_TEST(test_poll_remove_stops_events)
{
    int fds[2];
    struct poll *p;
    struct poll_event ev;
    open_pipe_and_poll(fds, &p);
    ck_assert_int_eq(poll_add(p, fds[0], 1, POLL_READABLE), 0);
    ck_assert_int_eq(poll_remove(p, fds[0]), 0);
    ck_assert_int_eq(write(fds[1], "x", 1), 1);
    ck_assert_int_eq(poll_wait(p, &ev, 1, 0), 0);
    ck_assert_int_eq(poll_remove(p, fds[0]), -ENOENT);
    ck_assert_int_eq(poll_modify(p, fds[0], 1, POLL_READABLE), -ENOENT);
    close_pipe_and_poll(fds, p);
}
END_TEST

START_TEST(test_poll_errors_come_back_as_negative_errno)
{
    int fds[2];
    struct poll *p;
    struct poll_event ev;
    char dir[64], file[PATH_LEN];
    make_tmpdir(dir, sizeof dir);
    join(file, sizeof file, dir, "regular");
    int regular = open(file, O_CREAT | O_RDWR | O_CLOEXEC, 0600);
    ck_assert_int_ge(regular, 0);
    open_pipe_and_poll(fds, &p);
    ck_assert_int_eq(poll_add(p, fds[0], 1, POLL_READABLE), 0);
    ck_assert_int_eq(poll_add(p, fds[0], 1, POLL_READABLE), -EEXIST);
    ck_assert_int_eq(poll_add(p, regular, 1, POLL_READABLE), -EPERM);
    ck_assert_int_eq(poll_add(p, fds[1], 1, 1u << 10), -EINVAL);
    ck_assert_int_eq(poll_wait(p, &ev, 0, 0), -EINVAL);
    close(regular);
    ck_assert_int_eq(poll_add(p, regular, 1, POLL_READABLE), -EBADF);
    close_pipe_and_poll(fds, p);
    remove_tmpdir(dir);
}
END_TEST

START_TEST(test_poll_reports_hangup_without_asking)
{
    int fds[2];
    struct poll *p;
    struct poll_event ev;
    open_pipe_and_poll(fds, &p);
    ck_assert_int_eq(poll_add(p, fds[0], 9, 0), 0);   /* no interest at all */
    close(fds[1]);
    ck_assert_int_eq(poll_wait(p, &ev, 1, 0), 1);
    ck_assert_uint_eq(ev.token, 9);
    ck_assert_uint_eq(ev.ready, POLL_HANGUP);
    poll_close(p);
    close(fds[0]);
}
END_TEST

/* Writable means there is room for some bytes, not for any write (poll(2), POLLOUT): a full
   pipe with one page read out of it is writable, yet takes only one page of a two-page write. */
START_TEST(test_poll_writable_means_room_for_some_bytes)
{
    int fds[2];
    struct poll *p;
    struct poll_event ev;
    const long page = sysconf(_SC_PAGESIZE);
    char *buf = calloc(2, (size_t)page);
    ck_assert_ptr_nonnull(buf);
    open_pipe_and_poll(fds, &p);
    while (write(fds[1], buf, (size_t)page) == page)
        continue;                                     /* full: EAGAIN */
    ck_assert_int_eq(errno, EAGAIN);
    ck_assert_int_eq(poll_add(p, fds[1], 1, POLL_WRITABLE), 0);
    ck_assert_int_eq(poll_wait(p, &ev, 1, 0), 0);
    ck_assert_int_eq(read(fds[0], buf, (size_t)page), page);
    ck_assert_int_eq(poll_wait(p, &ev, 1, 0), 1);
    ck_assert_uint_eq(ev.ready, POLL_WRITABLE);
    ssize_t n = write(fds[1], buf, 2 * (size_t)page);
    ck_assert_int_gt(n, 0);
    ck_assert_int_lt(n, 2 * page);                    /* short: a blocking write would wait */
    free(buf);
    close_pipe_and_poll(fds, p);
}
END_TEST

/* A writer learns that the reader left from POLL_ERROR, not POLL_HANGUP (epoll_ctl(2),
   EPOLLERR), whether it asked for anything or not. */
START_TEST(test_poll_pipe_writer_sees_a_closed_reader_as_error)
{
    int fds[2];
    struct poll *p;
    struct poll_event ev;
    open_pipe_and_poll(fds, &p);
    ck_assert_int_eq(poll_add(p, fds[1], 3, POLL_WRITABLE), 0);
    close(fds[0]);
    ck_assert_int_eq(poll_wait(p, &ev, 1, 0), 1);
    ck_assert_uint_eq(ev.ready, POLL_WRITABLE | POLL_ERROR);
    ck_assert_int_eq(poll_modify(p, fds[1], 3, 0), 0);
    ck_assert_int_eq(poll_wait(p, &ev, 1, 0), 1);
    ck_assert_uint_eq(ev.ready, POLL_ERROR);
    poll_close(p);
    close(fds[1]);
}
END_TEST

/* A socket whose peer shut down only its writing side reports POLL_HANGUP (EPOLLRDHUP) to
   readable interest only; it can still be written to. */
START_TEST(test_poll_socket_half_close_is_a_hangup_for_readers_only)
{
    int sv[2];
    struct poll *p;
    struct poll_event ev;
    ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv), 0);
    ck_assert_int_eq(poll_new(&p), 0);
    ck_assert_int_eq(poll_add(p, sv[0], 1, POLL_WRITABLE), 0);
    ck_assert_int_eq(shutdown(sv[1], SHUT_WR), 0);
    ck_assert_int_eq(poll_wait(p, &ev, 1, 0), 1);
    ck_assert_uint_eq(ev.ready, POLL_WRITABLE);
    ck_assert_int_eq(poll_modify(p, sv[0], 1, POLL_READABLE), 0);
    ck_assert_int_eq(poll_wait(p, &ev, 1, 0), 1);
    ck_assert_uint_eq(ev.ready, POLL_READABLE | POLL_HANGUP);
    poll_close(p);
    close(sv[0]);
    close(sv[1]);
}
END_TEST

START_TEST(test_poll_wait_fills_at_most_max)
{
    int fds[3][2];
    struct poll *p;
    struct poll_event ev[8];
    ck_assert_int_eq(poll_new(&p), 0);
    for (int i = 0; i < 3; i++) {
        ck_assert_int_eq(pipe2(fds[i], O_NONBLOCK), 0);
        ck_assert_int_eq(poll_add(p, fds[i][0], (uint64_t)i, POLL_READABLE), 0);
        ck_assert_int_eq(write(fds[i][1], "x", 1), 1);
    }
    ck_assert_int_eq(poll_wait(p, ev, 2, 0), 2);
    ck_assert_int_eq(poll_wait(p, ev, 8, 0), 3);
    uint64_t seen = 0;
    for (int i = 0; i < 3; i++)
        seen |= 1u << ev[i].token;
    ck_assert_uint_eq(seen, 7);
    poll_close(p);
    for (int i = 0; i < 3; i++) {
        close(fds[i][0]);
        close(fds[i][1]);
    }
}
END_TEST

START_TEST(test_poll_wait_times_out)
{
    int fds[2];
    struct poll *p;
    struct poll_event ev;
    open_pipe_and_poll(fds, &p);
    ck_assert_int_eq(poll_add(p, fds[0], 1, POLL_READABLE), 0);
    double start = now_ms();
    ck_assert_int_eq(poll_wait(p, &ev, 1, 50), 0);
    ck_assert_double_ge(now_ms() - start, 50.0);
    close_pipe_and_poll(fds, p);
}
END_TEST

/* epoll_wait(2): while one thread sleeps in epoll_wait, another may add a descriptor, and
   the sleeper wakes when it is ready. The waiter sends its thread id before it waits, so the
   test can see (in /proc) that it is asleep before the descriptor is added. */
struct waiter {
    struct poll *p;
    int tid_write;
    int timeout_ms;
    int n;
    struct poll_event ev;
};

static void *wait_in_thread(void *arg)
{
    struct waiter *w = arg;
    pid_t tid = (pid_t)syscall(SYS_gettid);
    if (write(w->tid_write, &tid, sizeof tid) != (ssize_t)sizeof tid)
        return NULL;
    w->n = poll_wait(w->p, &w->ev, 1, w->timeout_ms);
    return NULL;
}

START_TEST(test_poll_add_from_another_thread_wakes_the_waiter)
{
    int fds[2], tids[2];
    struct waiter w = { .timeout_ms = -1, .n = -1 };
    pthread_t thread;
    pid_t tid = 0;
    ck_assert_int_eq(pipe2(fds, O_NONBLOCK | O_CLOEXEC), 0);
    ck_assert_int_eq(pipe2(tids, O_CLOEXEC), 0);
    ck_assert_int_eq(write(fds[1], "x", 1), 1);       /* ready before it is even added */
    ck_assert_int_eq(poll_new(&w.p), 0);
    w.tid_write = tids[1];
    ck_assert_int_eq(pthread_create(&thread, NULL, wait_in_thread, &w), 0);
    ck_assert(readable_within(tids[0], WAIT_MS));
    ck_assert_int_eq(read(tids[0], &tid, sizeof tid), (ssize_t)sizeof tid);
    ck_assert_msg(wait_until_asleep(tid), "the waiter never went to sleep");
    ck_assert_int_eq(poll_add(w.p, fds[0], 42, POLL_READABLE), 0);
    ck_assert_int_eq(pthread_join(thread, NULL), 0);   /* bounded by the test's timeout */
    ck_assert_int_eq(w.n, 1);
    ck_assert_uint_eq(w.ev.token, 42);
    poll_close(w.p);
    close(fds[0]);
    close(fds[1]);
    close(tids[0]);
    close(tids[1]);
}
END_TEST

/* A signal that interrupts epoll_wait must not end poll_wait with -EINTR. The handler
   acknowledges the signal through a pipe; the child sends the signal only once the parent is
   asleep in poll_wait, and writes the awaited byte only after the acknowledgement. */
static int signal_ack_fd = -1;
static void on_usr1(int sig)
{
    (void)sig;
    if (write(signal_ack_fd, "s", 1) < 0) {
        /* nothing to do in a handler; the test then times out and fails */
    }
}

/* Forks a child that signals this process once it sleeps, waits for the handler's
   acknowledgement, then writes a byte to data_write. */
static pid_t interrupt_parent_once(int ack_read, int data_write)
{
    pid_t parent = getpid();
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        char c;
        if (!wait_until_asleep(parent) || kill(parent, SIGUSR1) < 0 || read(ack_read, &c, 1) != 1)
            _exit(1);
        if (write(data_write, "x", 1) != 1)
            _exit(1);
        _exit(0);
    }
    return pid;
}

static void install_usr1(int ack[2])
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1;        /* no SA_RESTART; epoll_wait is never restarted anyway */
    sigemptyset(&sa.sa_mask);
    ck_assert_int_eq(pipe2(ack, O_CLOEXEC), 0);
    signal_ack_fd = ack[1];
    ck_assert_int_eq(sigaction(SIGUSR1, &sa, NULL), 0);
}

START_TEST(test_poll_wait_retries_after_a_signal)
{
    int ack[2], data[2];
    struct poll *p;
    struct poll_event ev;
    install_usr1(ack);
    ck_assert_int_eq(pipe2(data, O_NONBLOCK | O_CLOEXEC), 0);
    ck_assert_int_eq(poll_new(&p), 0);
    ck_assert_int_eq(poll_add(p, data[0], 4, POLL_READABLE), 0);
    pid_t child = interrupt_parent_once(ack[0], data[1]);
    ck_assert_int_eq(poll_wait(p, &ev, 1, -1), 1);
    ck_assert_uint_eq(ev.token, 4);
    int status = wait_child(child);
    ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);   /* the signal did arrive */
    poll_close(p);
    close(data[0]);
    close(data[1]);
    close(ack[0]);
    close(ack[1]);
}
END_TEST

/* After a signal, poll_wait must ask the kernel only for the time that is left. Its thread
   sleeps in a 10 s wait; /proc shows the timeout of each epoll_wait call. The signal comes at
   least 100 ms after the first call was seen, so the retry may ask for at most 9900 ms;
   restarting with the full timeout would ask for 10000. No duration is measured. */
START_TEST(test_poll_wait_keeps_its_timeout_across_a_signal)
{
    int ack[2], data[2], tids[2];
    struct waiter w = { .timeout_ms = 10000, .n = -1 };
    pthread_t thread;
    pid_t tid = 0;
    uint32_t first = 0, retry = 0;
    char c;
    install_usr1(ack);
    ck_assert_int_eq(pipe2(data, O_NONBLOCK | O_CLOEXEC), 0);
    ck_assert_int_eq(pipe2(tids, O_CLOEXEC), 0);
    ck_assert_int_eq(poll_new(&w.p), 0);
    ck_assert_int_eq(poll_add(w.p, data[0], 4, POLL_READABLE), 0);
    w.tid_write = tids[1];
    ck_assert_int_eq(pthread_create(&thread, NULL, wait_in_thread, &w), 0);
    ck_assert(readable_within(tids[0], WAIT_MS));
    ck_assert_int_eq(read(tids[0], &tid, sizeof tid), (ssize_t)sizeof tid);
    ck_assert_msg(blocked_in_epoll_wait(getpid(), tid, &first), "never in epoll_wait");
    ck_assert_uint_eq(first, 10000);
    struct timespec at;                               /* at least 100 ms after that */
    clock_gettime(CLOCK_MONOTONIC, &at);
    at.tv_nsec += 100000000L;
    if (at.tv_nsec >= 1000000000L) {
        at.tv_sec++;
        at.tv_nsec -= 1000000000L;
    }
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &at, NULL) == EINTR)
        continue;
    ck_assert_int_eq(pthread_kill(thread, SIGUSR1), 0);
    ck_assert(readable_within(ack[0], WAIT_MS));      /* the handler ran: that call ended */
    ck_assert_int_eq(read(ack[0], &c, 1), 1);
    ck_assert_msg(blocked_in_epoll_wait(getpid(), tid, &retry), "no retry after the signal");
    ck_assert_uint_le(retry, 9900);
    ck_assert_int_eq(write(data[1], "x", 1), 1);      /* end the wait */
    ck_assert_int_eq(pthread_join(thread, NULL), 0);
    ck_assert_int_eq(w.n, 1);
    ck_assert_uint_eq(w.ev.token, 4);
    poll_close(w.p);
    close(data[0]);
    close(data[1]);
    close(tids[0]);
    close(tids[1]);
    close(ack[0]);
    close(ack[1]);
}
END_TEST

/* An EINTR storm: a child sends bursts of SIGUSR1 (handler without SA_RESTART) while this
   process sleeps in poll_wait, and a byte after each burst. poll_wait must never fail, and
   every byte must arrive once and in order. */
START_TEST(test_poll_wait_loses_nothing_in_a_signal_storm)
{
    enum { BURSTS = 200, SIGNALS_PER_BURST = 10 };
    int ack[2], data[2];
    struct poll *p;
    struct poll_event ev;
    install_usr1(ack);
    ck_assert_int_eq(pipe2(data, O_NONBLOCK | O_CLOEXEC), 0);
    ck_assert_int_eq(poll_new(&p), 0);
    ck_assert_int_eq(poll_add(p, data[0], 4, POLL_READABLE), 0);
    pid_t parent = getpid(), child = fork();
    ck_assert_int_ge(child, 0);
    if (child == 0) {
        for (int i = 0; i < BURSTS; i++) {
            unsigned char byte = (unsigned char)i;
            if (!wait_until_asleep(parent))
                _exit(1);
            for (int k = 0; k < SIGNALS_PER_BURST; k++)
                if (kill(parent, SIGUSR1) < 0)
                    _exit(1);
            if (write(data[1], &byte, 1) != 1)
                _exit(1);
        }
        _exit(0);
    }
    int got = 0;
    while (got < BURSTS) {
        ck_assert_int_eq(poll_wait(p, &ev, 1, WAIT_MS), 1);  /* never -EINTR, never 0 */
        unsigned char buf[BURSTS];
        ssize_t n;
        while ((n = read(data[0], buf, sizeof buf)) > 0)
            for (ssize_t i = 0; i < n; i++)
                ck_assert_int_eq(buf[i], got++);             /* once each, in order */
    }
    int status = wait_child(child);
    ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    ck_assert_int_eq(fcntl(ack[0], F_SETFL, O_NONBLOCK), 0);
    int handled = 0;
    char acks[512];
    for (ssize_t n; (n = read(ack[0], acks, sizeof acks)) > 0;)
        handled += (int)n;
    ck_assert_int_ge(handled, BURSTS);                      /* each burst hit a sleeping wait */
    poll_close(p);
    close(data[0]);
    close(data[1]);
    close(ack[0]);
    close(ack[1]);
}
END_TEST

/* Makes the next descriptor this process creates fail with EMFILE (the soft limit becomes
   the lowest free number) and returns the old soft limit. Call it in a forked test only. */
static rlim_t limit_descriptors_to_those_open(void)
{
    int lowest = dup(0);
    ck_assert_int_ge(lowest, 0);
    close(lowest);
    struct rlimit lim;
    ck_assert_int_eq(getrlimit(RLIMIT_NOFILE, &lim), 0);
    rlim_t old = lim.rlim_cur;
    lim.rlim_cur = (rlim_t)lowest;
    ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &lim), 0);
    return old;
}

static void restore_descriptor_limit(rlim_t soft)
{
    struct rlimit lim;
    ck_assert_int_eq(getrlimit(RLIMIT_NOFILE, &lim), 0);
    lim.rlim_cur = soft;
    ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &lim), 0);
}

START_TEST(test_poll_and_fifo_report_emfile_without_a_leak)
{
    char dir[64], path[PATH_LEN], want[1024];
    make_tmpdir(dir, sizeof dir);
    join(path, sizeof path, dir, "pipe1");
    ck_assert_int_eq(mkfifo(path, 0600), 0);
    int before = open_fd_count();
    rlim_t soft = limit_descriptors_to_those_open();
    struct poll *p = NULL;
    ck_assert_int_eq(poll_new(&p), -EMFILE);
    ck_assert_ptr_null(p);
    snprintf(want, sizeof want, "t: %s: cannot open for reading and writing: %s (see ulimit -n)\n",
             path, strerror(EMFILE));
    assert_fifo_refused(path, want);
    restore_descriptor_limit(soft);                   /* counting needs a descriptor */
    ck_assert_int_eq(open_fd_count(), before);
    remove_tmpdir(dir);
}
END_TEST

/* ---------- named pipes ---------- */

START_TEST(test_fifo_rdonly_open_blocks_until_a_writer_opens)
{
    char dir[64], path[PATH_LEN];
    int status_pipe[2];
    make_tmpdir(dir, sizeof dir);
    join(path, sizeof path, dir, "pipe1");
    ck_assert_int_eq(mkfifo(path, 0600), 0);
    ck_assert_int_eq(pipe2(status_pipe, O_CLOEXEC), 0);
    pid_t child = fork();
    ck_assert_int_ge(child, 0);
    if (child == 0) {
        int fd = open(path, O_RDONLY);     /* blocks: no writer yet */
        _exit(fd >= 0 && write(status_pipe[1], "o", 1) == 1 ? 0 : 1);
    }
    close(status_pipe[1]);
    ck_assert_msg(wait_until_asleep(child), "the reader never blocked");
    ck_assert_msg(!readable_within(status_pipe[0], 0), "open returned without a writer");
    int w = open(path, O_WRONLY | O_CLOEXEC);        /* a writer arrives */
    ck_assert_int_ge(w, 0);
    char c = 0;
    ck_assert(readable_within(status_pipe[0], WAIT_MS));
    ck_assert_int_eq(read(status_pipe[0], &c, 1), 1);
    ck_assert_int_eq(c, 'o');
    ck_assert_int_eq(wait_child(child), 0);
    close(w);
    close(status_pipe[0]);
    remove_tmpdir(dir);
}
END_TEST

START_TEST(test_fifo_nonblocking_reader_sees_hangup_and_eof)
{
    char dir[64], path[PATH_LEN], buf[16];
    struct poll *p;
    struct poll_event ev;
    make_tmpdir(dir, sizeof dir);
    join(path, sizeof path, dir, "pipe1");
    ck_assert_int_eq(mkfifo(path, 0600), 0);
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);   /* returns at once */
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(poll_new(&p), 0);
    ck_assert_int_eq(poll_add(p, fd, 1, POLL_READABLE), 0);
    ck_assert_int_eq(poll_wait(p, &ev, 1, 0), 0);             /* no writer has come yet */
    write_fifo(path, "hi\n");                                 /* like echo hi > pipe1 */
    ck_assert_int_eq(poll_wait(p, &ev, 1, 0), 1);
    ck_assert_uint_eq(ev.ready, POLL_READABLE | POLL_HANGUP);
    ck_assert_int_eq(read(fd, buf, sizeof buf), 3);
    ck_assert_int_eq(read(fd, buf, sizeof buf), 0);           /* end of file */
    /* Level-triggered: the hang-up is reported again and again, with nothing to read. */
    for (int i = 0; i < 3; i++) {
        ck_assert_int_eq(poll_wait(p, &ev, 1, 0), 1);
        ck_assert_uint_eq(ev.ready, POLL_HANGUP);
    }
    poll_close(p);
    close(fd);
    remove_tmpdir(dir);
}
END_TEST

/* The table's first row: a reader opened O_RDONLY and blocking (it meets its writer in open)
   sees a hang-up and end of file on every wait once that writer has closed. */
static void *fifo_write_once(void *path)
{
    write_fifo(path, "hi\n");
    return NULL;
}

START_TEST(test_fifo_blocking_reader_sees_hangup_and_eof)
{
    char dir[64], path[PATH_LEN], buf[16];
    struct poll *p;
    struct poll_event ev;
    pthread_t writer;
    make_tmpdir(dir, sizeof dir);
    join(path, sizeof path, dir, "pipe1");
    ck_assert_int_eq(mkfifo(path, 0600), 0);
    ck_assert_int_eq(pthread_create(&writer, NULL, fifo_write_once, path), 0);
    int fd = open(path, O_RDONLY | O_CLOEXEC);             /* returns once the writer opens */
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(pthread_join(writer, NULL), 0);      /* wrote and closed */
    ck_assert_int_eq(poll_new(&p), 0);
    ck_assert_int_eq(poll_add(p, fd, 1, POLL_READABLE), 0);
    ck_assert_int_eq(poll_wait(p, &ev, 1, 0), 1);
    ck_assert_uint_eq(ev.ready, POLL_READABLE | POLL_HANGUP);
    ck_assert_int_eq(read(fd, buf, sizeof buf), 3);
    for (int i = 0; i < 2; i++) {
        ck_assert_int_eq(poll_wait(p, &ev, 1, 0), 1);
        ck_assert_uint_eq(ev.ready, POLL_HANGUP);
        ck_assert_int_eq(read(fd, buf, sizeof buf), 0);   /* end of file, without blocking */
    }
    poll_close(p);
    close(fd);
    remove_tmpdir(dir);
}
END_TEST

START_TEST(test_fifo_rdwr_reader_never_sees_eof)
{
    char dir[64], path[PATH_LEN], *msg, buf[16];
    struct poll *p;
    struct poll_event ev;
    make_tmpdir(dir, sizeof dir);
    join(path, sizeof path, dir, "pipe1");
    ck_assert_int_eq(mkfifo(path, 0600), 0);
    int fd = fifo_open_msg(path, &msg);
    ck_assert_int_ge(fd, 0);
    ck_assert_str_eq(msg, "");
    free(msg);
    ck_assert_int_eq(fcntl(fd, F_GETFL) & (O_ACCMODE | O_NONBLOCK), O_RDWR | O_NONBLOCK);
    ck_assert_int_eq(fcntl(fd, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
    ck_assert_int_eq(poll_new(&p), 0);
    ck_assert_int_eq(poll_add(p, fd, 1, POLL_READABLE), 0);
    const char *lines[] = { "one\n", "two\n", "three\n" };
    for (int i = 0; i < 3; i++) {                             /* three separate writers */
        write_fifo(path, lines[i]);
        ck_assert_int_eq(poll_wait(p, &ev, 1, 0), 1);
        ck_assert_uint_eq(ev.ready, POLL_READABLE);           /* no hang-up */
        ssize_t n = read(fd, buf, sizeof buf);
        ck_assert_int_eq(n, (ssize_t)strlen(lines[i]));
        ck_assert_int_eq(memcmp(buf, lines[i], (size_t)n), 0);
        ck_assert_int_eq(read(fd, buf, sizeof buf), -1);      /* not 0: no end of file */
        ck_assert_int_eq(errno, EAGAIN);
        ck_assert_int_eq(poll_wait(p, &ev, 1, 0), 0);         /* and nothing to report */
    }
    poll_close(p);
    close(fd);
    remove_tmpdir(dir);
}
END_TEST

START_TEST(test_fifo_open_read_explains_a_missing_pipe)
{
    char dir[64], path[PATH_LEN], want[1024];
    make_tmpdir(dir, sizeof dir);
    join(path, sizeof path, dir, "pipe1");
    snprintf(want, sizeof want, "t: %s: no such file; create it with: mkfifo %s\n", path, path);
    assert_fifo_refused(path, want);
    join(path, sizeof path, dir, "sub/pipe1");          /* and its directory is missing too */
    snprintf(want, sizeof want, "t: %s: no such file or directory; create them with: "
             "mkdir -p %s/sub && mkfifo %s\n", path, dir, path);
    assert_fifo_refused(path, want);
    remove_tmpdir(dir);
}
END_TEST

/* Something that is not a pipe is named for what it is, and never "remove it". */
START_TEST(test_fifo_open_read_says_what_the_path_is_instead)
{
    char dir[64], path[PATH_LEN], want[1024];
    make_tmpdir(dir, sizeof dir);
    join(path, sizeof path, dir, "notes.txt");
    int fd = open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
    ck_assert_int_ge(fd, 0);
    close(fd);
    snprintf(want, sizeof want, "t: %s: a regular file, not a named pipe; give a named pipe "
             "instead (mkfifo makes one)\n", path);
    assert_fifo_refused(path, want);
    assert_fifo_refused("/dev/null", "t: /dev/null: a character device, not a named pipe; "
                        "give a named pipe instead (mkfifo makes one)\n");
    snprintf(want, sizeof want, "t: %s: a directory, not a named pipe; make a pipe in it with: "
             "mkfifo %s/pipe1 and give that path\n", dir, dir);
    assert_fifo_refused(dir, want);
    remove_tmpdir(dir);
}
END_TEST

/* A path of 300 characters and more (here about 330, with a quote that needs escaping) comes
   out whole, twice, with the hint naming exactly that path. */
START_TEST(test_fifo_open_read_keeps_a_long_message_whole)
{
    char dir[64], path[PATH_MAX], want[4 * PATH_MAX];
    make_tmpdir(dir, sizeof dir);
    int n = snprintf(path, sizeof path, "%s", dir);
    while (n < 300)
        n += snprintf(path + n, sizeof path - (size_t)n, "/%s", "a-rather-long-directory");
    snprintf(path + n, sizeof path - (size_t)n, "/it's here");
    ck_assert_uint_gt(strlen(path), 300);
    char *slash = strrchr(path, '/');
    *slash = '\0';
    ck_assert_int_eq(mkdir_p(path), 0);                  /* the directory exists: only mkfifo */
    *slash = '/';
    char quoted[PATH_MAX];
    snprintf(quoted, sizeof quoted, "'%.*s/it'\\''s here'", (int)(slash - path), path);
    snprintf(want, sizeof want, "t: %s: no such file; create it with: mkfifo %s\n", path,
             quoted);
    assert_fifo_refused(path, want);
    ck_assert_int_eq(system_quiet("rm -rf", dir), 0);
}
END_TEST

/* O_RDWR needs write permission too. A pipe the user may only read gets a message that says
   so. Root may open anything, so a root test drops to the user nobody in a child first. */
START_TEST(test_fifo_open_read_needs_write_permission)
{
    char dir[64], path[PATH_LEN];
    make_tmpdir(dir, sizeof dir);
    ck_assert_int_eq(chmod(dir, 0755), 0);
    join(path, sizeof path, dir, "readonly");
    ck_assert_int_eq(mkfifo(path, 0444), 0);
    pid_t child = fork();
    ck_assert_int_ge(child, 0);
    if (child == 0) {
        char *msg, want[1024];
        if (geteuid() == 0 && (setgid(65534) < 0 || setuid(65534) < 0))
            _exit(2);
        int fd = fifo_open_msg(path, &msg);
        snprintf(want, sizeof want, "t: %s: cannot open for reading and writing: %s\n", path,
                 strerror(EACCES));
        _exit(fd == -1 && strcmp(msg, want) == 0 ? 0 : 1);
    }
    int status = wait_child(child);
    ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
                  "no permission message (status %d)", status);
    remove_tmpdir(dir);
}
END_TEST

START_TEST(test_fifo_open_read_quotes_the_hint_for_the_shell)
{
    char dir[64], path[PATH_LEN], want[1024];
    make_tmpdir(dir, sizeof dir);
    join(path, sizeof path, dir, "it's a pipe");
    snprintf(want, sizeof want,
             "t: %s: no such file; create it with: mkfifo '%s/it'\\''s a pipe'\n", path, dir);
    assert_fifo_refused(path, want);
    /* A leading dash would make the path an option to mkfifo, quoted or not. */
    assert_fifo_refused("-v", "t: -v: no such file; create it with: mkfifo ./-v\n");
    assert_fifo_refused("-a b", "t: -a b: no such file; create it with: mkfifo './-a b'\n");
    remove_tmpdir(dir);
}
END_TEST

/* An empty path gets a message of its own: the mkfifo hint would have said `mkfifo ''`,
   which fails. */
START_TEST(test_fifo_open_read_refuses_an_empty_path)
{
    assert_fifo_refused("", "t: an empty path; give the name of a named pipe (mkfifo makes "
                            "one)\n");
}
END_TEST

START_TEST(test_fifo_demo_output)
{
    struct demo d;
    char err[1024];
    demo_start(&d, "poll-fifo", NULL, NULL);
    ck_assert_int_eq(demo_finish(&d, err, sizeof err), 0);
    ck_assert_str_eq(d.text,
        "O_RDONLY, no writer:\n"
        "  open was still blocked after 200 ms; the timer interrupted it (EINTR)\n"
        "O_RDONLY|O_NONBLOCK:\n"
        "  open returned at once\n"
        "  a writer opened the pipe, wrote 3 bytes and closed it\n"
        "  wait: readable and hang-up; read 3 bytes, then end of file\n"
        "  wait: hang-up; then end of file\n"
        "  wait: hang-up; then end of file\n"
        "O_RDWR|O_NONBLOCK (fifo_open_read):\n"
        "  open returned at once\n"
        "  a writer opened the pipe, wrote 3 bytes and closed it\n"
        "  wait: readable; read 3 bytes, then EAGAIN\n"
        "  wait: nothing ready\n"
        "  a writer opened the pipe, wrote 6 bytes and closed it\n"
        "  wait: readable; read 6 bytes, then EAGAIN\n"
        "  wait: nothing ready\n");
    ck_assert_str_eq(err, "");
}
END_TEST

/* ---------- level- and edge-triggered ---------- */

static int unread_bytes(int fd)
{
    int n = -1;
    ck_assert_int_eq(ioctl(fd, FIONREAD, &n), 0);
    return n;
}

START_TEST(test_level_triggered_reports_until_empty)
{
    int fds[2];
    struct poll *p;
    struct poll_event ev;
    char buf[2];
    open_pipe_and_poll(fds, &p);
    ck_assert_int_eq(poll_add(p, fds[0], 1, POLL_READABLE), 0);
    ck_assert_int_eq(write(fds[1], "abcdef", 6), 6);
    for (int i = 0; i < 3; i++) {                 /* reported once per short read */
        ck_assert_int_eq(poll_wait(p, &ev, 1, 0), 1);
        ck_assert_int_eq(read(fds[0], buf, 2), 2);
    }
    ck_assert_int_eq(poll_wait(p, &ev, 1, 0), 0);
    close_pipe_and_poll(fds, p);
}
END_TEST

START_TEST(test_edge_triggered_reports_only_new_data)
{
    int fds[2];
    struct poll *p;
    struct poll_event ev;
    char buf[16];
    open_pipe_and_poll(fds, &p);
    ck_assert_int_eq(poll_add(p, fds[0], 1, POLL_READABLE | POLL_EDGE), 0);
    ck_assert_int_eq(write(fds[1], "abcdef", 6), 6);
    ck_assert_int_eq(poll_wait(p, &ev, 1, 0), 1);
    ck_assert_int_eq(read(fds[0], buf, 2), 2);
    ck_assert_int_eq(poll_wait(p, &ev, 1, 0), 0);     /* silent ... */
    ck_assert_int_eq(unread_bytes(fds[0]), 4);         /* ... although 4 bytes wait */
    ck_assert_int_eq(write(fds[1], "g", 1), 1);        /* a new edge */
    ck_assert_int_eq(poll_wait(p, &ev, 1, 0), 1);
    size_t total = 0;                                  /* read until EAGAIN */
    ssize_t n;
    while ((n = read(fds[0], buf + total, 2)) > 0)
        total += (size_t)n;
    ck_assert_int_eq(n, -1);
    ck_assert_int_eq(errno, EAGAIN);
    ck_assert_uint_eq(total, 5);
    ck_assert_int_eq(memcmp(buf, "cdefg", 5), 0);
    ck_assert_int_eq(poll_wait(p, &ev, 1, 0), 0);
    close_pipe_and_poll(fds, p);
}
END_TEST

static const char trigger_expected[] =
    "level-triggered, reading 2 bytes per event:\n"
    "  wait 1: token 7 ready; read \"ab\"; 4 bytes unread\n"
    "  wait 2: token 7 ready; read \"cd\"; 2 bytes unread\n"
    "  wait 3: token 7 ready; read \"ef\"; 0 bytes unread\n"
    "  wait 4: nothing ready, 0 bytes unread\n"
    "  wrote 1 more byte\n"
    "  wait 5: token 7 ready; read \"g\"; 0 bytes unread\n"
    "  wait 6: nothing ready, 0 bytes unread\n"
    "edge-triggered, reading 2 bytes per event:\n"
    "  wait 1: token 7 ready; read \"ab\"; 4 bytes unread\n"
    "  wait 2: nothing ready, 4 bytes unread\n"
    "  wrote 1 more byte\n"
    "  wait 3: token 7 ready; read \"cd\"; 3 bytes unread\n"
    "  wait 4: nothing ready, 3 bytes unread\n"
    "edge-triggered, reading until EAGAIN:\n"
    "  wait 1: token 7 ready; read \"ab\" \"cd\" \"ef\", then EAGAIN; 0 bytes unread\n"
    "  wait 2: nothing ready, 0 bytes unread\n"
    "  wrote 1 more byte\n"
    "  wait 3: token 7 ready; read \"g\", then EAGAIN; 0 bytes unread\n"
    "  wait 4: nothing ready, 0 bytes unread\n";

START_TEST(test_trigger_demo_output)
{
    struct demo d;
    char err[1024];
    demo_start(&d, "poll-trigger", NULL, NULL);
    ck_assert_int_eq(demo_finish(&d, err, sizeof err), 0);
    ck_assert_str_eq(d.text, trigger_expected);
    ck_assert_str_eq(err, "");
}
END_TEST

/* ---------- the kernel interface declared by hand ---------- */

START_TEST(test_abi_layout_matches_sys_epoll_h)
{
    ck_assert_uint_eq(sizeof(struct poll_abi_event), sizeof(struct epoll_event));
    ck_assert_uint_eq(offsetof(struct poll_abi_event, events), offsetof(struct epoll_event, events));
    ck_assert_uint_eq(offsetof(struct poll_abi_event, data), offsetof(struct epoll_event, data));
    ck_assert_uint_eq(sizeof(((struct poll_abi_event *)0)->data),
                      sizeof(((struct epoll_event *)0)->data));
#if defined(__x86_64__)
    ck_assert_uint_eq(sizeof(struct poll_abi_event), 12);   /* packed */
    ck_assert_uint_eq(offsetof(struct poll_abi_event, data), 4);
#endif
}
END_TEST

START_TEST(test_abi_constants_match_sys_epoll_h)
{
    ck_assert_uint_eq(POLL_ABI_EPOLLIN, EPOLLIN);
    ck_assert_uint_eq(POLL_ABI_EPOLLOUT, EPOLLOUT);
    ck_assert_uint_eq(POLL_ABI_EPOLLERR, EPOLLERR);
    ck_assert_uint_eq(POLL_ABI_EPOLLHUP, EPOLLHUP);
    ck_assert_uint_eq(POLL_ABI_EPOLLRDHUP, EPOLLRDHUP);
    ck_assert_uint_eq(POLL_ABI_EPOLLET, EPOLLET);
    ck_assert_int_eq(POLL_ABI_CTL_ADD, EPOLL_CTL_ADD);
    ck_assert_int_eq(POLL_ABI_CTL_DEL, EPOLL_CTL_DEL);
    ck_assert_int_eq(POLL_ABI_CTL_MOD, EPOLL_CTL_MOD);
    ck_assert_int_eq(POLL_ABI_CLOEXEC, EPOLL_CLOEXEC);
#if defined(__x86_64__)
    ck_assert_int_eq(SYS_epoll_create1, 291);                /* numbers the text quotes */
    ck_assert_int_eq(SYS_epoll_ctl, 233);
    ck_assert_int_eq(SYS_epoll_wait, 232);
#endif
}
END_TEST

START_TEST(test_abi_raw_syscalls_interoperate_with_libc)
{
    int fds[2];
    ck_assert_int_eq(pipe2(fds, O_NONBLOCK | O_CLOEXEC), 0);
    int epfd = poll_abi_create(POLL_ABI_CLOEXEC);
    ck_assert_int_ge(epfd, 0);
    ck_assert_int_eq(fcntl(epfd, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
    struct poll_abi_event mine = { .events = POLL_ABI_EPOLLIN, .data = 0x0123456789abcdefu };
    ck_assert_int_eq(poll_abi_ctl(epfd, POLL_ABI_CTL_ADD, fds[0], &mine), 0);
    ck_assert_int_eq(write(fds[1], "x", 1), 1);
    struct epoll_event theirs;                              /* libc reads what we registered */
    ck_assert_int_eq(epoll_wait(epfd, &theirs, 1, 0), 1);
    ck_assert_uint_eq(theirs.data.u64, 0x0123456789abcdefu);
    theirs.events = EPOLLIN;                                /* and the other way round */
    theirs.data.u64 = 0xfedcba9876543210u;
    ck_assert_int_eq(epoll_ctl(epfd, EPOLL_CTL_MOD, fds[0], &theirs), 0);
    struct poll_abi_event got[2];
    ck_assert_int_eq(poll_abi_wait(epfd, got, 2, 0), 1);
    ck_assert_uint_eq(got[0].data, 0xfedcba9876543210u);
    ck_assert_uint_eq(got[0].events, POLL_ABI_EPOLLIN);
    ck_assert_int_eq(poll_abi_ctl(epfd, POLL_ABI_CTL_DEL, fds[0], &mine), 0);
    ck_assert_int_eq(poll_abi_ctl(epfd, POLL_ABI_CTL_DEL, fds[0], &mine), -1);
    ck_assert_int_eq(errno, ENOENT);
    close(epfd);
    close(fds[0]);
    close(fds[1]);
}
END_TEST

START_TEST(test_abi_demo_shows_the_garbled_token)
{
    struct demo d;
    char err[1024];
    demo_start(&d, "poll-abi", NULL, NULL);
    ck_assert_int_eq(demo_finish(&d, err, sizeof err), 0);
    ck_assert_str_eq(err, "");
#if defined(__x86_64__)
    ck_assert_str_eq(d.text,
        "sizeof: <sys/epoll.h> 12, hand-declared 12, unpacked 16\n"
        "registered token 0x1122334455667788 and 0x99aabbccddeeff00\n"
        "the kernel wrote 2 events of 12 bytes:\n"
        "   01 00 00 00 88 77 66 55 44 33 22 11\n"
        "   01 00 00 00 00 ff ee dd cc bb aa 99\n"
        "packed   event 0: events 0x00000001, token 0x1122334455667788\n"
        "packed   event 1: events 0x00000001, token 0x99aabbccddeeff00\n"
        "unpacked event 0: events 0x00000001, token 0x0000000111223344\n"
        "unpacked event 1: events 0xddeeff00, token 0x0000000000000000\n"
        "registered token 0x1122334455667788 through the unpacked layout;\n"
        "the kernel returned 0x5566778800000000\n");
#else
    /* Elsewhere the natural layout is the kernel's: both decodings agree. */
    ck_assert_ptr_null(strstr(d.text, "through the unpacked layout"));
#endif
}
END_TEST

/* Exercise answer: on x86-64, a token registered through the unpacked layout comes back as
   its low half moved into the high half (the kernel reads the 4 padding bytes as the low half). */
struct event_unpacked { uint32_t events; uint64_t data; };

START_TEST(test_abi_unpacked_registration_keeps_only_the_low_half)
{
    const uint64_t tokens[] = { 0x1122334455667788u, 0x0000000100000002u, 0xffffffff00000000u };
    for (size_t i = 0; i < sizeof tokens / sizeof tokens[0]; i++) {
        int fds[2];
        ck_assert_int_eq(pipe2(fds, O_NONBLOCK | O_CLOEXEC), 0);
        int epfd = poll_abi_create(POLL_ABI_CLOEXEC);
        ck_assert_int_ge(epfd, 0);
        struct event_unpacked wrong;
        const uint32_t in = POLL_ABI_EPOLLIN;
        memset(&wrong, 0, sizeof wrong);
        memcpy(&wrong.events, &in, sizeof in);
        memcpy(&wrong.data, &tokens[i], sizeof tokens[i]);
        ck_assert_int_eq(syscall(SYS_epoll_ctl, (long)epfd, (long)POLL_ABI_CTL_ADD, (long)fds[0],
                                 &wrong), 0);
        ck_assert_int_eq(write(fds[1], "x", 1), 1);
        struct poll_abi_event got;
        ck_assert_int_eq(poll_abi_wait(epfd, &got, 1, 0), 1);
#if defined(__x86_64__)
        ck_assert_uint_eq(got.data, (tokens[i] & 0xffffffffu) * 0x100000000u);
#else
        ck_assert_uint_eq(got.data, tokens[i]);      /* the layouts agree */
#endif
        close(epfd);
        close(fds[0]);
        close(fds[1]);
    }
}
END_TEST

/* ---------- the demo ---------- */

static void make_pipes(char *dir, size_t len)
{
    char path[PATH_LEN];
    make_tmpdir(dir, len);
    join(path, sizeof path, dir, "pipe1");
    ck_assert_int_eq(mkfifo(path, 0600), 0);
    join(path, sizeof path, dir, "pipe2");
    ck_assert_int_eq(mkfifo(path, 0600), 0);
}

static const char demo_banner[] =
    "watching pipe1 and pipe2; write a line \"exit\" to one of them, or press Ctrl-C, to stop\n";

START_TEST(test_demo_prints_each_line_with_its_pipe)
{
    char dir[64], p1[PATH_LEN], p2[PATH_LEN], err[1024];
    struct demo d;
    make_pipes(dir, sizeof dir);
    join(p1, sizeof p1, dir, "pipe1");
    join(p2, sizeof p2, dir, "pipe2");
    demo_start(&d, "poll", dir, NULL);
    ck_assert(demo_read_until(&d, demo_banner));
    write_fifo(p1, "hello\n");
    ck_assert(demo_read_until(&d, "pipe1: hello\n"));
    write_fifo(p2, "world\n");
    ck_assert(demo_read_until(&d, "pipe2: world\n"));
    write_fifo(p1, "in two ");                        /* a line in two writes: */
    ck_assert(fifo_drained(p1));                      /* the demo holds the first half */
    write_fifo(p1, "pieces\nexit\n");
    ck_assert_int_eq(demo_finish(&d, err, sizeof err), 0);
    ck_assert_str_eq(d.text,
        "watching pipe1 and pipe2; write a line \"exit\" to one of them, or press Ctrl-C, "
        "to stop\n"
        "pipe1: hello\n"
        "pipe2: world\n"
        "pipe1: in two pieces\n"
        "pipe1: exit\n"
        "bye\n");
    ck_assert_str_eq(err, "");
    remove_tmpdir(dir);
}
END_TEST

/* Counts the lines "<pipe>: <word> N" for N = 1, 2, ... in order; returns how many. */
static int count_in_order(const char *text, const char *prefix)
{
    int next = 1;
    char want[64];
    const char *at = text;
    for (;;) {
        snprintf(want, sizeof want, "%s %d\n", prefix, next);
        const char *found = strstr(at, want);
        if (found == NULL)
            return next - 1;
        at = found + strlen(want);
        next++;
    }
}

START_TEST(test_demo_survives_many_shell_echo_writers)
{
    char dir[64], err[1024];
    struct demo d;
    make_pipes(dir, sizeof dir);
    demo_start(&d, "poll", dir, NULL);
    ck_assert(demo_read_until(&d, demo_banner));
    pid_t sh = fork();
    ck_assert_int_ge(sh, 0);
    if (sh == 0) {                                   /* real echo commands, real shell */
        if (chdir(dir) < 0)
            _exit(126);
        execl("/bin/sh", "sh", "-c",
              "i=1; while [ $i -le 25 ]; do echo \"one $i\" > pipe1; echo \"two $i\" > pipe2;"
              " i=$((i + 1)); done", (char *)NULL);
        _exit(127);
    }
    ck_assert_int_eq(wait_child(sh), 0);
    ck_assert(demo_read_until(&d, "pipe1: one 25\n"));
    ck_assert(demo_read_until(&d, "pipe2: two 25\n"));
    char p1[PATH_LEN];
    join(p1, sizeof p1, dir, "pipe1");
    write_fifo(p1, "exit\n");
    ck_assert_int_eq(demo_finish(&d, err, sizeof err), 0);
    ck_assert_int_eq(count_in_order(d.text, "pipe1: one"), 25);
    ck_assert_int_eq(count_in_order(d.text, "pipe2: two"), 25);
    ck_assert_str_eq(err, "");
    remove_tmpdir(dir);
}
END_TEST

START_TEST(test_demo_stops_cleanly_on_sigint)
{
    char dir[64], err[1024];
    struct demo d;
    make_pipes(dir, sizeof dir);
    demo_start(&d, "poll", dir, NULL);
    ck_assert(demo_read_until(&d, demo_banner));
    ck_assert_int_eq(kill(d.pid, SIGINT), 0);
    ck_assert_int_eq(demo_finish(&d, err, sizeof err), 0);
    ck_assert_str_eq(d.text + strlen(demo_banner), "SIGINT received; bye\n");
    ck_assert_str_eq(err, "");
    remove_tmpdir(dir);
}
END_TEST

/* "It uses no processor time": with nothing to read, the demo sleeps in epoll_wait with no
   timeout (-1), as /proc/PID/syscall shows. */
START_TEST(test_demo_sleeps_in_epoll_wait_without_a_timeout)
{
    char dir[64], err[1024];
    struct demo d;
    uint32_t timeout = 0;
    make_pipes(dir, sizeof dir);
    demo_start(&d, "poll", dir, NULL);
    ck_assert(demo_read_until(&d, demo_banner));
    ck_assert_msg(blocked_in_epoll_wait(d.pid, d.pid, &timeout), "not asleep in epoll_wait");
    ck_assert_uint_eq(timeout, (uint32_t)-1);
    ck_assert_int_eq(kill(d.pid, SIGINT), 0);
    ck_assert_int_eq(demo_finish(&d, err, sizeof err), 0);
    remove_tmpdir(dir);
}
END_TEST

/* Started with standard input and output closed, the demo must not take 0 or 1 for its pipes
   (it used to take 1 for pipe1, read back its own output and spin, deaf to SIGTERM): it reads
   what is written, its descriptors 0 and 1 are /dev/null, and SIGTERM stops it. */
START_TEST(test_demo_fills_closed_standard_descriptors)
{
    char dir[64], p1[PATH_LEN], err[1024];
    struct demo d;
    make_pipes(dir, sizeof dir);
    join(p1, sizeof p1, dir, "pipe1");
    demo_start_with(&d, "poll", dir, NULL, (struct demo_setting){ 1u << 0 | 1u << 1, 0 });
    write_fifo(p1, "hello\n");
    ck_assert_msg(fifo_drained(p1), "the demo did not read pipe1 (or reads its own output)");
    for (int fd = 0; fd <= 1; fd++) {
        char link[64], target[PATH_LEN];
        snprintf(link, sizeof link, "/proc/%d/fd/%d", (int)d.pid, fd);
        ssize_t n = readlink(link, target, sizeof target - 1);
        ck_assert_int_gt(n, 0);
        target[n] = '\0';
        ck_assert_str_eq(target, "/dev/null");
    }
    ck_assert_int_eq(kill(d.pid, SIGTERM), 0);
    ck_assert_int_eq(demo_finish(&d, err, sizeof err), 0);
    ck_assert_str_eq(err, "");
    remove_tmpdir(dir);
}
END_TEST

/* `yes > pipe1`: while one pipe never runs dry, a line on pipe2 and SIGTERM are still served
   (before the budget, the demo read pipe1 until EAGAIN, which never came). */
START_TEST(test_demo_serves_the_others_during_a_flood)
{
    char dir[64], p1[PATH_LEN], p2[PATH_LEN], err[1024];
    struct demo d;
    make_pipes(dir, sizeof dir);
    join(p1, sizeof p1, dir, "pipe1");
    join(p2, sizeof p2, dir, "pipe2");
    demo_start(&d, "poll", dir, NULL);
    ck_assert(demo_read_until(&d, demo_banner));
    pid_t yes = fork();
    ck_assert_int_ge(yes, 0);
    if (yes == 0) {                                   /* what `yes > pipe1` does */
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        char ys[4096];
        for (size_t i = 0; i < sizeof ys; i += 2)
            memcpy(ys + i, "y\n", 2);
        int fd = open(p1, O_WRONLY | O_CLOEXEC);
        while (fd >= 0 && write(fd, ys, sizeof ys) > 0)
            continue;
        _exit(1);
    }
    ck_assert(demo_skip_until(&d, "pipe1: y\npipe1: y\n"));   /* the flood is on */
    write_fifo(p2, "hello\n");
    ck_assert_msg(demo_skip_until(&d, "pipe2: hello\n"), "pipe2 starved by the flood");
    ck_assert_int_eq(kill(d.pid, SIGTERM), 0);
    ck_assert_msg(demo_skip_until(&d, "SIGTERM received; bye\n"), "SIGTERM starved");
    ck_assert(demo_skip_until(&d, NULL));
    kill(yes, SIGKILL);
    waitpid(yes, NULL, 0);
    ck_assert_int_eq(demo_finish(&d, err, sizeof err), 0);
    ck_assert_str_eq(err, "");
    remove_tmpdir(dir);
}
END_TEST

/* Reads the demo's output line by line until a line equals want (without its newline);
   returns how many lines came before it, or -1 if it did not come in time. */
static long demo_lines_before(struct demo *d, const char *want)
{
    long lines = 0;
    d->len = 0;
    double deadline = now_ms() + WAIT_MS;
    for (;;) {
        char *start = d->text, *nl;
        while ((nl = memchr(start, '\n', d->len - (size_t)(start - d->text))) != NULL) {
            *nl = '\0';
            if (strcmp(start, want) == 0)
                return lines;
            lines++;
            start = nl + 1;
        }
        d->len -= (size_t)(start - d->text);
        memmove(d->text, start, d->len);
        int left = (int)(deadline - now_ms());
        if (left <= 0 || !readable_within(d->out, left))
            return -1;
        ssize_t n = read(d->out, d->text + d->len, sizeof d->text - 1 - d->len);
        if (n <= 0)
            return -1;
        d->len += (size_t)n;
    }
}

/* Stops the demo (SIGSTOP), fills pipe1 with a backlog of 1 MiB of "y\n", then writes a line
   to pipe2 (if it is not NULL) or sends SIGTERM, and lets the demo go on (SIGCONT). Both are
   ready when it wakes, pipe1 first. Returns the backlog's size in lines. */
static long demo_backlog(struct demo *d, const char *pipe1, const char *pipe2)
{
    enum { BACKLOG = 1 << 20 };
    int status;
    ck_assert_int_eq(kill(d->pid, SIGSTOP), 0);
    ck_assert_int_eq(waitpid(d->pid, &status, WUNTRACED), d->pid);
    ck_assert(WIFSTOPPED(status));
    int fd = open(pipe1, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_ge(fcntl(fd, F_SETPIPE_SZ, BACKLOG), BACKLOG);
    static char ys[BACKLOG];
    for (size_t i = 0; i < sizeof ys; i += 2)
        memcpy(ys + i, "y\n", 2);
    ck_assert_int_eq(write(fd, ys, sizeof ys), (ssize_t)sizeof ys);
    close(fd);
    if (pipe2 != NULL)
        write_fifo(pipe2, "hello\n");
    else
        ck_assert_int_eq(kill(d->pid, SIGTERM), 0);
    ck_assert_int_eq(kill(d->pid, SIGCONT), 0);
    return BACKLOG / 2;
}

/* The flood made exact: with 1 MiB waiting in pipe1, a line on pipe2, and in a second run
   SIGTERM, are served after at most one budget of pipe1 (16 reads of 4 KiB, 32768 lines),
   not after the whole backlog (524288 lines) as before the budget. */
START_TEST(test_demo_serves_the_others_before_a_backlog)
{
    char dir[64], p1[PATH_LEN], p2[PATH_LEN], err[1024];
    struct demo d;
    make_pipes(dir, sizeof dir);
    join(p1, sizeof p1, dir, "pipe1");
    join(p2, sizeof p2, dir, "pipe2");
    for (int run = 0; run < 2; run++) {
        const char *want = run == 0 ? "pipe2: hello" : "SIGTERM received; bye";
        demo_start(&d, "poll", dir, NULL);
        ck_assert(demo_read_until(&d, demo_banner));
        long backlog = demo_backlog(&d, p1, run == 0 ? p2 : NULL);
        long before = demo_lines_before(&d, want);
        ck_assert_msg(before >= 0 && before <= 32768, "%s: after %ld of %ld backlog lines", want,
                      before, backlog);
        if (run == 0) {
            ck_assert_int_eq(kill(d.pid, SIGTERM), 0);
            ck_assert_int_ge(demo_lines_before(&d, "SIGTERM received; bye"), 0);
        }
        ck_assert_int_eq(demo_finish(&d, err, sizeof err), 0);
        ck_assert_str_eq(err, "");
    }
    remove_tmpdir(dir);
}
END_TEST

/* Writes n bytes (NUL bytes included) to the FIFO at path, as one writer. */
static void write_fifo_bytes(const char *path, const char *bytes, size_t n)
{
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, bytes, n), (ssize_t)n);
    close(fd);
}

/* A NUL byte used to end the printed line early; every byte must show, escaped. */
START_TEST(test_demo_escapes_nul_and_control_bytes)
{
    char dir[64], p1[PATH_LEN], err[1024];
    struct demo d;
    make_pipes(dir, sizeof dir);
    join(p1, sizeof p1, dir, "pipe1");
    demo_start(&d, "poll", dir, NULL);
    ck_assert(demo_read_until(&d, demo_banner));
    static const char line[] = "a\0b\tc\"d\\e\x7f\xc3\xa9\nexit\n";
    write_fifo_bytes(p1, line, sizeof line - 1);
    ck_assert_int_eq(demo_finish(&d, err, sizeof err), 0);
    ck_assert_str_eq(d.text + strlen(demo_banner),
                     "pipe1: a\\x00b\\x09c\\\"d\\\\e\\x7f\\xc3\\xa9\npipe1: exit\nbye\n");
    remove_tmpdir(dir);
}
END_TEST

/* Writers that open and close without writing, or close in the middle of a line, change
   nothing: no end of file, and the next writer completes the line. */
START_TEST(test_demo_keeps_going_after_writers_close_early)
{
    char dir[64], p1[PATH_LEN], err[1024];
    struct demo d;
    make_pipes(dir, sizeof dir);
    join(p1, sizeof p1, dir, "pipe1");
    demo_start(&d, "poll", dir, NULL);
    ck_assert(demo_read_until(&d, demo_banner));
    for (int i = 0; i < 3; i++)
        write_fifo(p1, "");
    write_fifo(p1, "half a ");
    ck_assert(fifo_drained(p1));
    write_fifo(p1, "line\nexit\n");
    ck_assert_int_eq(demo_finish(&d, err, sizeof err), 0);
    ck_assert_str_eq(d.text + strlen(demo_banner), "pipe1: half a line\npipe1: exit\nbye\n");
    ck_assert_str_eq(err, "");
    remove_tmpdir(dir);
}
END_TEST

/* rm pipe1 while the demo waits: the demo keeps its descriptor of the old, now nameless pipe
   and never learns of it. A new pipe1 made by mkfifo is another pipe, with no reader. */
START_TEST(test_demo_keeps_a_removed_pipe_and_ignores_a_new_one)
{
    char dir[64], p1[PATH_LEN], p2[PATH_LEN], err[1024], link[64], target[PATH_LEN + 16];
    char deleted[PATH_LEN + 16];
    struct demo d;
    make_pipes(dir, sizeof dir);
    join(p1, sizeof p1, dir, "pipe1");
    join(p2, sizeof p2, dir, "pipe2");
    demo_start(&d, "poll", dir, NULL);
    ck_assert(demo_read_until(&d, demo_banner));
    ck_assert_int_eq(unlink(p1), 0);
    snprintf(deleted, sizeof deleted, "%s (deleted)", p1);
    int still_open = 0;
    for (int fd = 3; fd < 16 && !still_open; fd++) {
        snprintf(link, sizeof link, "/proc/%d/fd/%d", (int)d.pid, fd);
        ssize_t n = readlink(link, target, sizeof target - 1);
        target[n > 0 ? n : 0] = '\0';
        still_open = strcmp(target, deleted) == 0;
    }
    ck_assert_msg(still_open, "the demo no longer holds the removed pipe");
    ck_assert_int_eq(mkfifo(p1, 0600), 0);
    ck_assert_int_eq(open(p1, O_WRONLY | O_NONBLOCK | O_CLOEXEC), -1);
    ck_assert_int_eq(errno, ENXIO);                    /* nobody reads the new pipe1 */
    write_fifo(p2, "exit\n");
    ck_assert_int_eq(demo_finish(&d, err, sizeof err), 0);
    ck_assert_str_eq(d.text + strlen(demo_banner), "pipe2: exit\nbye\n");
    remove_tmpdir(dir);
}
END_TEST

/* Under `ulimit -n N` the demo makes four descriptors: pipe1, pipe2, the signalfd and the
   epoll instance. With 0, 1 and 2 open, `ulimit -n 4` leaves room for one: the dynamic
   loader needs it to load the C library (below that, the loader fails, not the demo), and
   then pipe1 gets it. Each limit from 4 that stops one of the other three gets a message
   naming the cause, status 1 and no output; the first limit that allows all four runs the
   demo. (pipe1's EMFILE is the same fifo_open_read, tested above.) */
START_TEST(test_demo_explains_emfile_at_every_descriptor)
{
    char dir[64], err[1024];
    struct demo d;
    make_pipes(dir, sizeof dir);
    int limit = 4, refused = 0;
    for (; limit < 16; limit++) {
        demo_start_with(&d, "poll", dir, NULL, (struct demo_setting){ 0, limit });
        if (demo_read_until(&d, demo_banner))
            break;
        ck_assert_int_eq(demo_finish(&d, err, sizeof err), 1);
        ck_assert_str_eq(d.text, "");
        ck_assert_msg(strstr(err, "poll: ") == err && strstr(err, strerror(EMFILE)) != NULL,
                      "ulimit -n %d: %s", limit, err);
        refused++;
    }
    ck_assert_int_eq(refused, 3);
    ck_assert_int_eq(kill(d.pid, SIGTERM), 0);
    ck_assert_int_eq(demo_finish(&d, err, sizeof err), 0);
    remove_tmpdir(dir);
}
END_TEST

START_TEST(test_demo_explains_missing_pipes)
{
    char dir[64], err[1024];
    struct demo d;
    make_tmpdir(dir, sizeof dir);
    demo_start(&d, "poll", dir, NULL);
    ck_assert_int_eq(demo_finish(&d, err, sizeof err), 1);
    ck_assert_str_eq(err, "poll: pipe1: no such file; create it with: mkfifo pipe1\n"
                          "poll: pipe2: no such file; create it with: mkfifo pipe2\n");
    ck_assert_str_eq(d.text, "");
    remove_tmpdir(dir);
}
END_TEST

START_TEST(test_demo_refuses_a_path_that_is_not_a_pipe)
{
    char dir[64], path[PATH_LEN], err[1024];
    struct demo d;
    make_pipes(dir, sizeof dir);
    join(path, sizeof path, dir, "notes.txt");
    int fd = open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
    ck_assert_int_ge(fd, 0);
    close(fd);
    char *args[] = { "pipe1", "notes.txt", NULL };
    demo_start(&d, "poll", dir, args);
    ck_assert_int_eq(demo_finish(&d, err, sizeof err), 1);
    ck_assert_str_eq(err, "poll: notes.txt: a regular file, not a named pipe; give a named pipe "
                          "instead (mkfifo makes one)\n");
    ck_assert_str_eq(d.text, "");
    remove_tmpdir(dir);
}
END_TEST

START_TEST(test_demo_watches_the_pipes_given_as_arguments)
{
    char dir[64], path[PATH_LEN], err[1024];
    struct demo d;
    make_tmpdir(dir, sizeof dir);
    const char *names[] = { "a", "b", "c" };
    for (int i = 0; i < 3; i++) {
        join(path, sizeof path, dir, names[i]);
        ck_assert_int_eq(mkfifo(path, 0600), 0);
    }
    char *args[] = { "a", "b", "c", NULL };
    demo_start(&d, "poll", dir, args);
    ck_assert(demo_read_until(&d, "watching a, b and c;"));
    join(path, sizeof path, dir, "c");
    write_fifo(path, "exit\n");
    ck_assert_int_eq(demo_finish(&d, err, sizeof err), 0);
    ck_assert_ptr_nonnull(strstr(d.text, "\nc: exit\nbye\n"));
    remove_tmpdir(dir);
}
END_TEST

START_TEST(test_demo_prints_usage_for_an_option)
{
    char err[1024];
    struct demo d;
    char *args[] = { "--help", NULL };
    demo_start(&d, "poll", NULL, args);
    ck_assert_int_eq(demo_finish(&d, err, sizeof err), 2);
    ck_assert_int_eq(strncmp(err, "usage: poll [NAMED-PIPE...]", 27), 0);
    char *later[] = { "pipe1", "-v", NULL };          /* not only the first argument */
    demo_start(&d, "poll", NULL, later);
    ck_assert_int_eq(demo_finish(&d, err, sizeof err), 2);
    ck_assert_int_eq(strncmp(err, "usage: poll [NAMED-PIPE...]", 27), 0);
}
END_TEST

/* ---------- runner ---------- */

static TCase *tcase(const char *name)
{
    TCase *tc = tcase_create(name);
    tcase_set_timeout(tc, 20);
    return tc;
}

int main(void)
{
    Suite *s = suite_create("poll");
    TCase *tc = tcase("interface");
    tcase_add_test(tc, test_poll_new_and_close);
    tcase_add_test(tc, test_poll_returns_the_token_when_readable);
    tcase_add_test(tc, test_poll_reports_writable);
    tcase_add_test(tc, test_poll_modify_changes_token_and_interest);
    tcase_add_test(tc, test_poll_remove_stops_events);
    tcase_add_test(tc, test_poll_errors_come_back_as_negative_errno);
    tcase_add_test(tc, test_poll_reports_hangup_without_asking);
    tcase_add_test(tc, test_poll_writable_means_room_for_some_bytes);
    tcase_add_test(tc, test_poll_pipe_writer_sees_a_closed_reader_as_error);
    tcase_add_test(tc, test_poll_socket_half_close_is_a_hangup_for_readers_only);
    tcase_add_test(tc, test_poll_wait_fills_at_most_max);
    tcase_add_test(tc, test_poll_wait_times_out);
    tcase_add_test(tc, test_poll_add_from_another_thread_wakes_the_waiter);
    tcase_add_test(tc, test_poll_wait_retries_after_a_signal);
    tcase_add_test(tc, test_poll_wait_keeps_its_timeout_across_a_signal);
    tcase_add_test(tc, test_poll_wait_loses_nothing_in_a_signal_storm);
    tcase_add_test(tc, test_poll_and_fifo_report_emfile_without_a_leak);
    suite_add_tcase(s, tc);

    tc = tcase("named pipes");
    tcase_add_test(tc, test_fifo_rdonly_open_blocks_until_a_writer_opens);
    tcase_add_test(tc, test_fifo_nonblocking_reader_sees_hangup_and_eof);
    tcase_add_test(tc, test_fifo_blocking_reader_sees_hangup_and_eof);
    tcase_add_test(tc, test_fifo_rdwr_reader_never_sees_eof);
    tcase_add_test(tc, test_fifo_open_read_explains_a_missing_pipe);
    tcase_add_test(tc, test_fifo_open_read_says_what_the_path_is_instead);
    tcase_add_test(tc, test_fifo_open_read_keeps_a_long_message_whole);
    tcase_add_test(tc, test_fifo_open_read_needs_write_permission);
    tcase_add_test(tc, test_fifo_open_read_quotes_the_hint_for_the_shell);
    tcase_add_test(tc, test_fifo_open_read_refuses_an_empty_path);
    tcase_add_test(tc, test_fifo_demo_output);
    suite_add_tcase(s, tc);

    tc = tcase("triggering");
    tcase_add_test(tc, test_level_triggered_reports_until_empty);
    tcase_add_test(tc, test_edge_triggered_reports_only_new_data);
    tcase_add_test(tc, test_trigger_demo_output);
    suite_add_tcase(s, tc);

    tc = tcase("kernel ABI");
    tcase_add_test(tc, test_abi_layout_matches_sys_epoll_h);
    tcase_add_test(tc, test_abi_constants_match_sys_epoll_h);
    tcase_add_test(tc, test_abi_raw_syscalls_interoperate_with_libc);
    tcase_add_test(tc, test_abi_demo_shows_the_garbled_token);
    tcase_add_test(tc, test_abi_unpacked_registration_keeps_only_the_low_half);
    suite_add_tcase(s, tc);

    tc = tcase("demo");
    tcase_add_test(tc, test_demo_prints_each_line_with_its_pipe);
    tcase_add_test(tc, test_demo_survives_many_shell_echo_writers);
    tcase_add_test(tc, test_demo_stops_cleanly_on_sigint);
    tcase_add_test(tc, test_demo_sleeps_in_epoll_wait_without_a_timeout);
    tcase_add_test(tc, test_demo_explains_missing_pipes);
    tcase_add_test(tc, test_demo_refuses_a_path_that_is_not_a_pipe);
    tcase_add_test(tc, test_demo_watches_the_pipes_given_as_arguments);
    tcase_add_test(tc, test_demo_prints_usage_for_an_option);
    tcase_add_test(tc, test_demo_fills_closed_standard_descriptors);
    tcase_add_test(tc, test_demo_serves_the_others_during_a_flood);
    tcase_add_test(tc, test_demo_serves_the_others_before_a_backlog);
    tcase_add_test(tc, test_demo_escapes_nul_and_control_bytes);
    tcase_add_test(tc, test_demo_keeps_going_after_writers_close_early);
    tcase_add_test(tc, test_demo_keeps_a_removed_pipe_and_ignores_a_new_one);
    tcase_add_test(tc, test_demo_explains_emfile_at_every_descriptor);
    suite_add_tcase(s, tc);

    return run_suite(s);
}
