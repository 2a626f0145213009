/* Check suite for the measuring chapter. Benchmarks are not tests: nothing here looks at a
   time. It checks what the numbers rest on: every program makes exactly PIPES * ROUNDS hops
   and leaves the token, alone, back in pipe 0; each hop makes the system calls the chapter
   shows; every program of the ping-pong, fan-in and executor workloads does all its work and
   makes, per operation, the system calls the chapter's table gives; that table is the
   committed data, in order and as one block; the ring counts and detects a doubled token; bad
   arguments (signs and spaces included) get a message that says what to do, and so does a
   descriptor limit too low for fan-in; the benchmark script's arithmetic rounds; and epoll's short-read rule, which the
   chapter's edge-triggered exercise relies on. And the echo servers: each echoes every byte of
   hundreds of clients at once, half-close included, and explains a bad address. */
#define _GNU_SOURCE
#include "measuring/ring.h"
#include "measuring/echo.h"
#include "sockets/echo.h"

#include <check.h>

#include "check_support.h"
#include "strace_c.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef BUILD_DIR
#define BUILD_DIR "build"
#endif

static const char *const programs[] = {"epoll", "oneshot", "libuv", "libevent", "relay",
                                       "future"};
enum { PROGRAMS = sizeof programs / sizeof programs[0] };

struct run { int status; char out[512], err[512]; };

/* The exit status of a child that could not lower its descriptor limit: valgrind, which
   keeps descriptors of its own above the limit, refuses to let a program change the hard
   limit. */
enum { LIMIT_REFUSED = 125 };

static void slurp(int fd, char *buf, size_t size)
{
    size_t len = 0;
    ssize_t got;
    while (len + 1 < size && (got = read(fd, buf + len, size - 1 - len)) != 0) {
        if (got < 0 && errno == EINTR) continue;
        ck_assert_int_gt(got, 0);
        len += (size_t)got;
    }
    buf[len] = '\0';
    close(fd);
}

/* Runs build/measuring-<program> with the arguments in args (ending with NULL) and, if
   fd_limit is not 0, with that many descriptors at most. */
static struct run run_args(const char *program, char *const args[], rlim_t fd_limit)
{
    char path[256];
    snprintf(path, sizeof path, "%s/measuring-%s", BUILD_DIR, program);
    int out[2], err[2];
    ck_assert_int_eq(pipe(out), 0);
    ck_assert_int_eq(pipe(err), 0);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        struct rlimit lim = {fd_limit, fd_limit};
        if (fd_limit && setrlimit(RLIMIT_NOFILE, &lim) != 0) _exit(LIMIT_REFUSED);
        dup2(out[1], STDOUT_FILENO);
        dup2(err[1], STDERR_FILENO);
        char *argv[8] = {path};
        for (int k = 0; k < 6 && args[k]; k++) argv[k + 1] = args[k];
        execv(path, argv);
        _exit(127);
    }
    close(out[1]);
    close(err[1]);
    struct run r;
    slurp(out[0], r.out, sizeof r.out);
    slurp(err[0], r.err, sizeof r.err);
    int ws;
    ck_assert_int_eq(waitpid(pid, &ws, 0), pid);
    ck_assert_msg(WIFEXITED(ws), "%s did not exit normally", path);
    r.status = WEXITSTATUS(ws);
    return r;
}

/* The same with up to two arguments (NULL: fewer). */
static struct run run_program(const char *program, const char *a, const char *b, rlim_t fd_limit)
{
    char *args[] = {(char *)a, (char *)b, NULL};
    return run_args(program, args, fd_limit);
}

/* ---------- every program makes exactly PIPES * ROUNDS hops ---------- */

static void expect_hops(const char *program, const char *pipes, const char *rounds,
                        const char *report)
{
    struct run r = run_program(program, pipes, rounds, 0);
    ck_assert_msg(r.status == 0, "measuring-%s %s %s: status %d, stderr: %s", program, pipes,
                  rounds, r.status, r.err);
    char want[128];
    snprintf(want, sizeof want, "measuring-%s: %s hops in ", program, report);
    ck_assert_msg(strncmp(r.out, want, strlen(want)) == 0, "got \"%s\", want \"%s...\"",
                  r.out, want);
    ck_assert_msg(strstr(r.out, " ns per hop\n"), "no time per hop in \"%s\"", r.out);
    ck_assert_str_eq(r.err, "");
}

START_TEST(every_program_makes_pipes_times_rounds_hops)
{
    expect_hops(programs[_i], "5", "7", "5 pipes x 7 rounds = 35");
    expect_hops(programs[_i], "1", "3", "1 pipes x 3 rounds = 3");     /* a ring of one */
    expect_hops(programs[_i], "200", "2", "200 pipes x 2 rounds = 400");
}
END_TEST

/* ---------- system calls per hop, counted by strace ---------- */

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define MEASURING_TEST_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define MEASURING_TEST_SANITIZED 1
#endif
#endif
#ifndef MEASURING_TEST_SANITIZED
#define MEASURING_TEST_SANITIZED 0
#endif

/* The calls a hop is made of, and how many of them failed (strace -c's "errors" column). */
enum { READ, WRITE, EPOLL_WAIT, EPOLL_CTL, TOTAL, COUNTED };
static const char *const counted[COUNTED] = {"read", "write", "epoll_wait", "epoll_ctl", "total"};
struct syscalls { long calls[COUNTED], errors[COUNTED]; };

/* The system calls a run of 10 pipes x rounds makes, counted by strace -c. */
static struct syscalls count_syscalls(const char *program, const char *rounds, const char *dir)
{
    char path[256], out[300];
    snprintf(path, sizeof path, "%s/measuring-%s", BUILD_DIR, program);
    snprintf(out, sizeof out, "%s/strace-%s", dir, rounds);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        if (!freopen("/dev/null", "w", stdout)) _exit(126);
        setenv("ASAN_OPTIONS", "detect_leaks=0", 1);   /* LeakSanitizer fails under ptrace */
        execl("/usr/bin/strace", "strace", "-c", "-o", out, path, "10", rounds, (char *)NULL);
        _exit(127);
    }
    int ws;
    ck_assert_int_eq(waitpid(pid, &ws, 0), pid);
    ck_assert_msg(WIFEXITED(ws) && WEXITSTATUS(ws) == 0, "strace %s failed", path);
    FILE *f = fopen(out, "r");
    ck_assert_ptr_nonnull(f);
    struct syscalls n = {{0}, {0}};
    char line[256];
    while (fgets(line, sizeof line, f)) {
        long calls, errors;
        char name[64];
        if (!strace_c_line(line, &calls, &errors, name))
            continue;
        for (int k = 0; k < COUNTED; k++)
            if (strcmp(name, counted[k]) == 0) n.calls[k] = calls, n.errors[k] = errors;
    }
    fclose(f);
    unlink(out);
    ck_assert_msg(n.calls[TOTAL] > 0, "no total in strace -c's report for %s", path);
    return n;
}

/* The chapter explains each program's time by the system calls of a hop, and shows them with
   strace: one epoll_wait, one read and one write for the loops that register once; plus one
   epoll_ctl (MOD) for the one-shot re-arm; plus a read that fails (EAGAIN) for the relay
   future, which since the runtime registers once makes no epoll_ctl; and with ReadNChars,
   which owns its registration, two epoll_ctl (DEL when it is ready, ADD for the next). The
   difference between 20 and 10 rounds (100 hops) cancels what start-up costs. */
START_TEST(each_program_makes_the_system_calls_the_chapter_counts)
{
    /* per hop: calls, then failed calls, of read, write, epoll_wait, epoll_ctl, total */
    static const long calls[PROGRAMS][COUNTED] = {
        {1, 1, 1, 0, 3}, {1, 1, 1, 1, 4}, {1, 1, 1, 0, 3},
        {1, 1, 1, 0, 3}, {2, 1, 1, 0, 4}, {2, 1, 1, 2, 6}};
    static const long errors[PROGRAMS][COUNTED] = {
        {0, 0, 0, 0, 0}, {0, 0, 0, 0, 0}, {0, 0, 0, 0, 0},
        {0, 0, 0, 0, 0}, {1, 0, 0, 0, 1}, {1, 0, 0, 0, 1}};
    ck_assert_msg(access("/usr/bin/strace", X_OK) == 0,
                  "/usr/bin/strace is missing: run make -f build.mk deps (it installs strace)");
    char dir[] = "/tmp/test_measuring.XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    struct syscalls ten = count_syscalls(programs[_i], "10", dir);
    struct syscalls twenty = count_syscalls(programs[_i], "20", dir);
    ck_assert_int_eq(rmdir(dir), 0);
    for (int k = 0; k < COUNTED; k++) {
        /* A sanitizer's runtime makes system calls of its own now and then (growing its
           shadow memory, say), so under a sanitizer only the named calls are exact. */
        if (k == TOTAL && MEASURING_TEST_SANITIZED)
            continue;
        long c = twenty.calls[k] - ten.calls[k], e = twenty.errors[k] - ten.errors[k];
        ck_assert_msg(c == 100 * calls[_i][k] && e == 100 * errors[_i][k],
                      "measuring-%s: %ld calls to %s in 100 hops, %ld of them failed; expected"
                      " %ld and %ld", programs[_i], c, counted[k], e, 100 * calls[_i][k],
                      100 * errors[_i][k]);
    }
}
END_TEST

/* The runtime programs' first round: the executor polls each new task in spawn order, and
   each finds the token its predecessor has just sent, so 10 pipes x 10 rounds make 90
   epoll_wait calls for 100 hops (the chapter shows this count). */
START_TEST(the_runtime_programs_first_round_needs_no_epoll_wait)
{
    static const char *const runtime[] = {"relay", "future"};
    char dir[] = "/tmp/test_measuring.XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    struct syscalls n = count_syscalls(runtime[_i], "10", dir);
    ck_assert_int_eq(rmdir(dir), 0);
    ck_assert_msg(n.calls[EPOLL_WAIT] == 90, "measuring-%s 10 10: %ld epoll_wait calls",
                  runtime[_i], n.calls[EPOLL_WAIT]);
}
END_TEST

/* ---------- bad arguments ---------- */

static void expect_refusal(const char *program, const char *a, const char *b, rlim_t limit,
                           const char *message)
{
    struct run r = run_program(program, a, b, limit);
    ck_assert_msg(r.status == 2, "measuring-%s %s %s: status %d", program, a ? a : "",
                  b ? b : "", r.status);
    ck_assert_str_eq(r.out, "");
    ck_assert_msg(strstr(r.err, message), "stderr \"%s\" lacks \"%s\"", r.err, message);
}

START_TEST(every_program_rejects_bad_arguments)
{
    const char *p = programs[_i];
    char usage[128];
    snprintf(usage, sizeof usage, "usage: measuring-%s PIPES ROUNDS\n", p);
    expect_refusal(p, NULL, NULL, 0, usage);
    expect_refusal(p, "5", NULL, 0, usage);
    expect_refusal(p, "0", "5", 0, "PIPES must be a whole number from 1 to 100000, not \"0\"");
    expect_refusal(p, "-3", "5", 0, "PIPES must be a whole number from 1 to 100000, not \"-3\"");
    expect_refusal(p, "5", "ten", 0,
                   "ROUNDS must be a whole number from 1 to 1000000000, not \"ten\"");
    expect_refusal(p, "5", "99999999999999999999", 0, "ROUNDS must be a whole number");
    expect_refusal(p, "5", "7x", 0, "not \"7x\"");
}
END_TEST

/* The two refusals the chapter prints under "Running them", word for word. */
START_TEST(the_refusals_shown_in_the_chapter_are_the_real_ones)
{
    expect_refusal("future", "100", "0", 0,
                   "measuring-future: ROUNDS must be a whole number from 1 to 1000000000, "
                   "not \"0\"\n");
    if (run_program("libuv", "1", "1", 256).status == LIMIT_REFUSED) {
        printf("the descriptor limit cannot be lowered here (valgrind?): not tested\n");
        return;
    }
    expect_refusal("libuv", "1000", "10", 256,
                   "measuring-libuv: 1000 pipes need 2016 descriptors, but this process may "
                   "open only 256; use fewer pipes or raise the limit (ulimit -n)\n");
}
END_TEST

START_TEST(too_many_pipes_for_the_descriptor_limit_is_explained)
{
    if (run_program(programs[_i], "1", "1", 32).status == LIMIT_REFUSED) {
        printf("the descriptor limit cannot be lowered here (valgrind?): not tested\n");
        return;
    }
    expect_refusal(programs[_i], "100", "1", 32,
                   "100 pipes need 216 descriptors, but this process may open only 32; "
                   "use fewer pipes or raise the limit (ulimit -n)");
}
END_TEST

/* ---------- the ring itself ---------- */

static void open_ring(struct ring *ring, char *pipes, char *rounds)
{
    char *argv[] = {"./bin/ring-test", pipes, rounds, NULL};
    ck_assert_int_eq(ring_open(ring, 3, argv), 0);
    ck_assert_str_eq(ring->name, "ring-test");
}

START_TEST(ring_pass_moves_the_token_one_pipe_on)
{
    struct ring ring;
    open_ring(&ring, "3", "2");
    ring_start(&ring);
    ck_assert_int_eq(ring_pass(&ring, 1), 0);   /* empty: EAGAIN, not an error */
    ck_assert_int_eq(ring_pass(&ring, 0), 1);
    ck_assert_int_eq(ring_pass(&ring, 0), 0);   /* the token has moved on to pipe 1 */
    for (long hop = 1; hop < 6; hop++) {
        ck_assert(!ring_done(&ring));
        ck_assert_int_eq(ring_pass(&ring, hop % 3), 1);
    }
    ck_assert(ring_done(&ring));
    ck_assert_int_eq(ring.hops, 6);
    ck_assert_int_eq(ring_finish(&ring), EXIT_SUCCESS);
    ring_close(&ring);
}
END_TEST

START_TEST(ring_finish_fails_when_the_token_is_doubled)
{
    struct ring ring;
    open_ring(&ring, "2", "1");
    ring_start(&ring);
    ck_assert_int_eq(write(ring.fds[1][1], "t", 1), 1);     /* a second token */
    ck_assert_int_eq(ring_pass(&ring, 0), 1);
    ck_assert_int_eq(ring_pass(&ring, 1), 1);
    ck_assert(ring_done(&ring));
    ck_assert_int_eq(ring_finish(&ring), EXIT_FAILURE);
    ring_close(&ring);
}
END_TEST

/* ---------- the benchmark script's arithmetic ---------- */

/* The output of a shell command that runs tests/measuring-bench.sh, which must succeed. */
static const char *bench(const char *command)
{
    int status;
    const char *out = command_output(command, &status);
    ck_assert_msg(status == 0, "%s: status %d", command, status);
    return out;
}

/* Per-hop counts are rounded, not truncated: 2,259,999 instructions in 20,000 hops are 113.0
   per hop (bc's scale=1 printed 112.9); and the median of an even number of runs is the mean
   of the middle two, not the lower one. */
START_TEST(bench_rounds_per_hop_counts_and_takes_the_true_median)
{
    ck_assert_str_eq(bench("tests/measuring-bench.sh --per-hop 0 2259999 20000"), "113.0\n");
    ck_assert_str_eq(bench("tests/measuring-bench.sh --per-hop 100 400 100"), "3.0\n");
    ck_assert_str_eq(bench("printf '1900\\n1700\\n2000\\n1800\\n' | "
                           "tests/measuring-bench.sh --spread"), "1850 1700 2000\n");
    ck_assert_str_eq(bench("printf '1900\\n1700\\n1800\\n' | tests/measuring-bench.sh --spread"),
                     "1800 1700 1900\n");
}
END_TEST

/* ---------- the three workloads: ping-pong, fan-in, executor ---------- */

/* Each program of a workload, run small, with the arguments of a smoke run and of the two
   strace runs (n and 2n operations), and the calls one operation makes, as the chapter's
   table gives them ("name=calls ...", then the total and how many of them fail). */
struct workload_program {
    const char *program;
    char *smoke[4];
    const char *report;                 /* how the smoke run's report line starts */
    char *count_n[4], *count_2n[4];
    long ops;                           /* operations in 2n runs less those in n runs */
    const char *calls;                  /* per operation */
    long total, failed;
};

#define PINGPONG(NAME, CALLS, TOTAL, FAILED)                                                  \
    {"pingpong-" NAME, {"30", "5", "64", NULL},                                               \
     "measuring-pingpong-" NAME ": 30 pairs x 5 trips x 64 bytes: 150 round trips, "          \
     "9600 bytes echoed in ",                                                                 \
     {"1", "20", "1", NULL}, {"1", "40", "1", NULL}, 20, CALLS, TOTAL, FAILED}
#define FANIN(NAME, CALLS, TOTAL, FAILED)                                                     \
    {"fanin-" NAME, {"300", NULL}, "measuring-fanin-" NAME ": 300 readers x 1024 bytes: "     \
     "300 readers done in ", {"10", "prefilled", NULL}, {"20", "prefilled", NULL}, 10, CALLS, \
     TOTAL, FAILED}
#define TASKS(NAME)                                                                           \
    {"tasks-" NAME, {"1000", NULL}, "measuring-tasks-" NAME ": 1000 tasks: 2000 polls, "      \
     "1000 finished in ", {"100", NULL}, {"200", NULL}, 100, "", 0, 0}

/* The runtime rows change when the future chapter's reactor changes what reactor_register
   and reactor_deregister do (and the chapter's table with them). */
static const struct workload_program workload_programs[] = {
    PINGPONG("epoll", "read=2 write=2 epoll_wait=2", 6, 0),
    PINGPONG("epollet", "read=2 write=2 epoll_wait=2", 6, 0),
    PINGPONG("libuv", "read=2 write=2 epoll_wait=2", 6, 0),
    PINGPONG("libevent", "read=2 write=2 epoll_wait=2", 6, 0),
    PINGPONG("runtime", "read=2 write=2 epoll_wait=2", 6, 0),
    FANIN("epoll", "close=2 epoll_ctl=2 fcntl=1 pipe2=1 read=1", 7, 0),
    FANIN("epollet", "close=2 epoll_ctl=2 fcntl=1 pipe2=1 read=1", 7, 0),
    FANIN("libuv", "epoll_ctl=5 close=2 fcntl=1 ioctl=1 pipe2=1 read=1", 11, 1),
    FANIN("libevent", "close=2 epoll_ctl=2 fcntl=1 pipe2=1 read=1", 7, 0),
    FANIN("runtime", "close=2 fcntl=1 pipe2=1 read=1", 5, 0),
    TASKS("bare"), TASKS("libuv"), TASKS("libevent"), TASKS("runtime"),
};
enum { WORKLOAD_PROGRAMS = sizeof workload_programs / sizeof workload_programs[0] };

START_TEST(every_workload_program_does_all_its_work)
{
    const struct workload_program *w = &workload_programs[_i];
    struct run r = run_args(w->program, w->smoke, 0);
    ck_assert_msg(r.status == 0, "measuring-%s: status %d, stderr: %s", w->program, r.status,
                  r.err);
    ck_assert_msg(strncmp(r.out, w->report, strlen(w->report)) == 0, "got \"%s\", want \"%s...\"",
                  r.out, w->report);
    ck_assert_str_eq(r.err, "");
}
END_TEST

/* Numbers are digits only, as the ring's: strtol alone would take "+5" and " 5". */
START_TEST(every_workload_program_explains_its_arguments)
{
    const struct workload_program *w = &workload_programs[_i];
    char *none[] = {NULL}, usage[128];
    snprintf(usage, sizeof usage, "usage: measuring-%s ", w->program);
    struct run r = run_args(w->program, none, 0);
    ck_assert_int_eq(r.status, 2);
    ck_assert_msg(strstr(r.err, usage), "stderr \"%s\" lacks \"%s\"", r.err, usage);
    static const char *const bad[] = {"0", "+5", " 5", "5x"};
    for (int k = 0; k < 4; k++) {
        char *args[] = {(char *)bad[k], "1", "1", NULL}, quoted[16];
        if (strncmp(w->program, "pingpong", 8) != 0) args[1] = NULL;
        snprintf(quoted, sizeof quoted, "not \"%s\"", bad[k]);
        r = run_args(w->program, args, 0);
        ck_assert_msg(r.status == 2 && strstr(r.err, "must be a whole number from 1 to ")
                      && strstr(r.err, quoted), "measuring-%s \"%s\": status %d, stderr: %s",
                      w->program, bad[k], r.status, r.err);
    }
}
END_TEST

/* The readers' process holds every read end and the write ends of a batch not yet handed to
   the writer, so the limit it asks for counts both: under a limit that fits the read ends
   alone it refuses, saying what to do, instead of failing half way with EMFILE. */
START_TEST(fanin_asks_the_limit_for_a_batch_of_write_ends_too)
{
    if (run_program("fanin-epoll", "1", NULL, 300).status == LIMIT_REFUSED) {
        printf("the descriptor limit cannot be lowered here (valgrind?): not tested\n");
        return;
    }
    int fanin_programs = 0;
    for (int k = 0; k < WORKLOAD_PROGRAMS; k++) {
        const char *program = workload_programs[k].program;
        if (strncmp(program, "fanin-", 6) != 0) continue;
        fanin_programs++;
        struct run r = run_program(program, "280", NULL, 300);
        ck_assert_msg(r.status == 2 && strstr(r.err, "the pipes need 546 descriptors, but "
                      "this process may open only 300; ask for fewer or raise the limit "
                      "(ulimit -n)"), "measuring-%s 280 under a limit of 300: status %d, "
                      "stderr: %s", program, r.status, r.err);
    }
    ck_assert_int_eq(fanin_programs, 5);
}
END_TEST

/* Every system call strace -c counted in one run: name, calls, failed calls. */
struct strace_counts { int n; char name[48][64]; long calls[48], errors[48]; };

static struct strace_counts strace_run(const char *program, char *const args[], const char *dir)
{
    char path[256], out[300];
    snprintf(path, sizeof path, "%s/measuring-%s", BUILD_DIR, program);
    snprintf(out, sizeof out, "%s/strace", dir);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        char *argv[12] = {"strace", "-c", "-o", out, path};
        for (int k = 0; k < 6 && args[k]; k++) argv[k + 5] = args[k];
        if (!freopen("/dev/null", "w", stdout)) _exit(126);
        setenv("ASAN_OPTIONS", "detect_leaks=0", 1);   /* LeakSanitizer fails under ptrace */
        execv("/usr/bin/strace", argv);
        _exit(127);
    }
    int ws;
    ck_assert_int_eq(waitpid(pid, &ws, 0), pid);
    ck_assert_msg(WIFEXITED(ws) && WEXITSTATUS(ws) == 0, "strace %s failed", path);
    FILE *f = fopen(out, "r");
    ck_assert_ptr_nonnull(f);
    struct strace_counts c = {0};
    char line[256];
    while (fgets(line, sizeof line, f) && c.n < 48) {
        long calls, errors;
        char name[64];
        if (!strace_c_line(line, &calls, &errors, name))
            continue;
        snprintf(c.name[c.n], sizeof c.name[c.n], "%s", name);
        c.calls[c.n] = calls, c.errors[c.n++] = errors;
    }
    fclose(f);
    unlink(out);
    return c;
}

static long strace_calls(const struct strace_counts *c, const char *name, int errors)
{
    for (int k = 0; k < c->n; k++)
        if (strcmp(c->name[k], name) == 0) return errors ? c->errors[k] : c->calls[k];
    return 0;
}

/* The calls of one operation: the growth from n to 2n operations, by name. Every name that
   grew must be in the expected list with that count, and every listed name must have grown
   by its count; under a sanitizer, whose runtime makes calls of its own, only the listed
   names are compared. */
START_TEST(each_workload_program_makes_the_system_calls_the_chapter_counts)
{
    const struct workload_program *w = &workload_programs[_i];
    ck_assert_msg(access("/usr/bin/strace", X_OK) == 0,
                  "/usr/bin/strace is missing: run make -f build.mk deps (it installs strace)");
    char dir[] = "/tmp/test_measuring.XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    struct strace_counts a = strace_run(w->program, w->count_n, dir);
    struct strace_counts b = strace_run(w->program, w->count_2n, dir);
    ck_assert_int_eq(rmdir(dir), 0);
    char grew[512] = "";
    for (int k = 0; k < b.n; k++) {
        long d = b.calls[k] - strace_calls(&a, b.name[k], 0);
        if (d == 0 || strcmp(b.name[k], "total") == 0) continue;
        char item[64];
        snprintf(item, sizeof item, " %s=%g", b.name[k], (double)d / (double)w->ops);
        if (!MEASURING_TEST_SANITIZED || strstr(w->calls, item + 1))
            strncat(grew, item, sizeof grew - strlen(grew) - 1);
    }
    /* the same set, in any order: each expected item is there and nothing else */
    char expected[256];
    snprintf(expected, sizeof expected, "%s", w->calls);
    long items = 0;
    for (char *tok = strtok(expected, " "); tok; tok = strtok(NULL, " "), items++) {
        char want[64];
        snprintf(want, sizeof want, " %s", tok);
        ck_assert_msg(strstr(grew, want), "measuring-%s: per operation%s, expected %s",
                      w->program, grew, w->calls);
    }
    long found = 0;
    for (const char *p = grew; (p = strchr(p, '=')); p++) found++;
    ck_assert_msg(found == items, "measuring-%s: per operation%s, expected %s", w->program,
                  grew, w->calls);
    if (MEASURING_TEST_SANITIZED) return;
    long total = strace_calls(&b, "total", 0) - strace_calls(&a, "total", 0);
    long failed = strace_calls(&b, "total", 1) - strace_calls(&a, "total", 1);
    ck_assert_msg(total == w->total * w->ops && failed == w->failed * w->ops,
                  "measuring-%s: %ld calls in %ld operations, %ld failed; expected %ld, %ld",
                  w->program, total, w->ops, failed, w->total * w->ops, w->failed * w->ops);
}
END_TEST

/* The chapter's tables of the three workloads and of the echo servers are the committed data,
   row for row; and the check notices a number that differs. */
START_TEST(the_chapter_shows_the_committed_data)
{
    bench("tests/measuring-tables.sh --check book/09-measuring.nw data/bench.tsv");
    bench("tests/measuring-tables.sh --check book/09-measuring.nw data/sockets.tsv");
    int status;
    const char *out = command_output("d=$(mktemp) && awk -F'\t' -v OFS='\t' "
        "'$1 == \"tasks\" && $3 == \"runtime\" { $11 = 999 } { print }' data/bench.tsv"
        " >$d && tests/measuring-tables.sh --check book/09-measuring.nw $d 2>&1; s=$?; "
        "rm -f $d; exit $s", &status);
    ck_assert_msg(status != 0 && strstr(out, "not in book/09-measuring.nw: | runtime |")
                  && strstr(out, "| 999 |"), "a changed number went unnoticed: %s", out);
    /* every line is there, but a row is there twice: a stale row left beside its new one */
    out = command_output("c=$(mktemp) && awk '{ print } /^[|] runtime [|]/ && !n++ { print }' "
        "book/09-measuring.nw >$c && tests/measuring-tables.sh --check $c data/bench.tsv 2>&1;"
        " s=$?; rm -f $c; exit $s", &status);
    ck_assert_msg(status != 0 && strstr(out, "the tables are not one block in the data's order"),
                  "a doubled row went unnoticed: %s", out);
}
END_TEST

START_TEST(bench_takes_the_median_of_ratios)
{
    ck_assert_str_eq(bench("printf '1.5\\n0.98\\n1.25\\n1.1\\n' | "
                           "tests/measuring-bench.sh --spread-ratio"), "1.18 0.98 1.50\n");
}
END_TEST

/* ---------- epoll's short-read rule ---------- */

static int ready_now(int epfd)
{
    struct epoll_event ev;
    int n = epoll_wait(epfd, &ev, 1, 0);
    ck_assert_int_ge(n, 0);
    return n;
}

/* epoll(7): for a stream such as a pipe, a read that returns less than it asked for shows the
   pipe drained, so an edge-triggered reader may stop there without reading on to EAGAIN, and
   the next write is reported as a new edge. */
START_TEST(a_short_read_drains_a_pipe_under_edge_triggering)
{
    int p[2], epfd = epoll_create1(EPOLL_CLOEXEC);
    ck_assert_int_ge(epfd, 0);
    ck_assert_int_eq(pipe2(p, O_NONBLOCK | O_CLOEXEC), 0);
    struct epoll_event ev = {.events = EPOLLIN | EPOLLET};
    ck_assert_int_eq(epoll_ctl(epfd, EPOLL_CTL_ADD, p[0], &ev), 0);
    char buf[64];
    for (int hop = 0; hop < 3; hop++) {
        ck_assert_int_eq(write(p[1], "t", 1), 1);
        ck_assert_int_eq(ready_now(epfd), 1);
        ck_assert_int_eq(read(p[0], buf, sizeof buf), 1);  /* short: the pipe is empty */
        ck_assert_int_eq(ready_now(epfd), 0);
    }
    ck_assert_int_eq(read(p[0], buf, sizeof buf), -1);     /* what the rule lets us skip */
    ck_assert_int_eq(errno, EAGAIN);
    close(p[0]);
    close(p[1]);
    close(epfd);
}
END_TEST

/* ---------- the echo servers ---------- */

static const char *const echo_servers[] = {"echo-epoll", "echo-libuv", "echo-libevent"};
enum { ECHO_SERVERS = sizeof echo_servers / sizeof echo_servers[0], ECHO_CLIENTS = 300 };

struct echo_process { pid_t pid; int out; unsigned port; };

/* Starts build/measuring-<program> on 127.0.0.1:0 and reads its first line, which must be
   "listening on 127.0.0.1:PORT". */
static struct echo_process echo_start(const char *program)
{
    char path[256];
    snprintf(path, sizeof path, "%s/measuring-%s", BUILD_DIR, program);
    int out[2];
    ck_assert_int_eq(pipe(out), 0);
    struct echo_process p = {fork(), out[0], 0};
    ck_assert_int_ge(p.pid, 0);
    if (p.pid == 0) {
        dup2(out[1], STDOUT_FILENO);
        execl(path, path, "127.0.0.1:0", (char *)NULL);
        _exit(127);
    }
    close(out[1]);
    char line[128];
    size_t len = 0;
    while (len + 1 < sizeof line && read(p.out, line + len, 1) == 1 && line[len] != '\n') len++;
    line[len] = '\0';
    ck_assert_msg(sscanf(line, "listening on 127.0.0.1:%u", &p.port) == 1 && p.port > 0,
                  "%s printed \"%s\", not \"listening on 127.0.0.1:PORT\"", path, line);
    return p;
}

/* Stops the server with SIGTERM: it must exit with status 0 and say how many it served. */
static void echo_stop(struct echo_process *p, const char *program, long served)
{
    ck_assert_int_eq(kill(p->pid, SIGTERM), 0);
    char rest[256], want[128];
    slurp(p->out, rest, sizeof rest);
    int ws;
    ck_assert_int_eq(waitpid(p->pid, &ws, 0), p->pid);
    ck_assert_msg(WIFEXITED(ws) && WEXITSTATUS(ws) == 0, "measuring-%s: wait status %d",
                  program, ws);
    snprintf(want, sizeof want, "measuring-%s: served %ld connections\n", program, served);
    ck_assert_str_eq(rest, want);
}

struct echo_client { int fd, reading; size_t len, sent, got; unsigned char *data, *back; };

/* ECHO_CLIENTS connections at once, each sending its own random bytes (a few kilobytes; for
   every tenth up to 300 kB, more than a server buffers) and then half-closing, and reading
   everything back until the server closes: every byte must come back, in order. Every
   hundredth sends 8 MB and reads nothing until a send finds its socket full: by then the
   server has had to wait with unsent bytes, stop reading and resume, its back-pressure. */
static void echo_drive(unsigned port)
{
    static struct echo_client c[ECHO_CLIENTS];
    static struct pollfd fds[ECHO_CLIENTS];
    unsigned seed = port;
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                               .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    for (int k = 0; k < ECHO_CLIENTS; k++) {
        size_t most = k % 100 == 0 ? 8 << 20 : k % 10 == 0 ? 300000 : 8192;
        c[k] = (struct echo_client){.len = k % 100 ? 1 + (size_t)rand_r(&seed) % most : most,
                                    .reading = k % 100 != 0};
        c[k].data = malloc(c[k].len);
        c[k].back = malloc(c[k].len + 1);    /* + 1: room to see one byte too many */
        ck_assert(c[k].data && c[k].back);
        for (size_t i = 0; i < c[k].len; i++) c[k].data[i] = (unsigned char)rand_r(&seed);
        c[k].fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        ck_assert_int_ge(c[k].fd, 0);
        ck_assert_int_eq(connect(c[k].fd, (struct sockaddr *)&addr, sizeof addr), 0);
        ck_assert_int_eq(fcntl(c[k].fd, F_SETFL, O_NONBLOCK), 0);
    }
    for (int open = ECHO_CLIENTS; open > 0;) {
        int holding = 0;                        /* clients that send and do not read yet */
        for (int k = 0; k < ECHO_CLIENTS; k++) {
            holding += !c[k].reading;
            fds[k] = (struct pollfd){c[k].fd, (short)((c[k].reading ? POLLIN : 0)
                                                      | (c[k].sent < c[k].len ? POLLOUT : 0)), 0};
        }
        /* A socket whose buffer is nearly full is not reported writable, although a send may
           still fit: a holding client tries every 10 ms until a send finds no room. */
        int n = poll(fds, ECHO_CLIENTS, holding ? 10 : (int)(1000 * check_deadline_seconds(20)));
        ck_assert_msg(n > 0 || holding, "no echo for 20 s: %d connections are still open", open);
        for (int k = 0; k < ECHO_CLIENTS; k++) {
            struct echo_client *e = &c[k];
            if (((fds[k].revents & POLLOUT) || !e->reading) && e->sent < e->len) {
                size_t chunk = e->len - e->sent < 16384 ? e->len - e->sent : 16384;
                ssize_t put = send(e->fd, e->data + e->sent, chunk, MSG_NOSIGNAL);
                ck_assert_msg(put > 0 || errno == EAGAIN, "send: %s", strerror(errno));
                if (put < (ssize_t)chunk) e->reading = 1;    /* full: the server stopped reading */
                if (put > 0 && (e->sent += (size_t)put) == e->len) {
                    ck_assert_int_eq(shutdown(e->fd, SHUT_WR), 0);
                    e->reading = 1;
                }
            }
            if (!(fds[k].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            ssize_t got = recv(e->fd, e->back + e->got, e->len - e->got + 1, 0);
            if (got < 0 && errno == EAGAIN) continue;
            ck_assert_msg(got >= 0, "connection %d: recv: %s", k, strerror(errno));
            e->got += (size_t)got;
            ck_assert_msg(e->got <= e->len, "connection %d: more came back than was sent", k);
            if (got > 0) continue;
            ck_assert_msg(e->sent == e->len && e->got == e->len
                          && memcmp(e->data, e->back, e->len) == 0, "connection %d: sent %zu "
                          "of %zu bytes, %zu came back before the end, or different ones", k,
                          e->sent, e->len, e->got);
            close(e->fd);
            e->fd = -1;                         /* poll ignores a negative descriptor */
            free(e->data);
            free(e->back);
            open--;
        }
    }
}

/* The peers hold what the sockets chapter's server holds: a buffer of the same size. */
START_TEST(the_echo_servers_buffer_as_much_as_the_runtimes)
{
    const struct sockets_server_options runtime = SOCKETS_SERVER_DEFAULTS;
    ck_assert_uint_eq(runtime.buffer, ECHO_BUFFER);
}
END_TEST

START_TEST(every_echo_server_echoes_every_byte)
{
    struct echo_process p = echo_start(echo_servers[_i]);
    echo_drive(p.port);
    echo_stop(&p, echo_servers[_i], ECHO_CLIENTS);
}
END_TEST

/* A bad port, a port in use, an address not of this machine and a missing one each get a
   message that says what to do, and exit status 2. */
START_TEST(every_echo_server_explains_a_bad_address)
{
    const char *program = echo_servers[_i];
    char usage[128], busy[64], in_use[160], not_here[160];
    snprintf(usage, sizeof usage, "usage: measuring-%s [HOST:]PORT\n", program);
    expect_refusal(program, NULL, NULL, 0, usage);
    expect_refusal(program, "65536", NULL, 0, "PORT must be a whole number from 0 to 65535 "
                   "(0: any free port), not \"65536\"");
    expect_refusal(program, "127.0.0.1:-1", NULL, 0, "not \"-1\"");
    expect_refusal(program, "127.0.0.1:", NULL, 0, "not \"\"");
    struct echo_process p = echo_start(program);
    snprintf(busy, sizeof busy, "127.0.0.1:%u", p.port);
    snprintf(in_use, sizeof in_use, "measuring-%s: cannot listen on 127.0.0.1:%u: Address "
             "already in use; pick another port, or 0 for any free one\n", program, p.port);
    expect_refusal(program, busy, NULL, 0, in_use);
    snprintf(not_here, sizeof not_here, "measuring-%s: cannot listen on 192.0.2.1:0: Cannot "
             "assign requested address; HOST must be an address of this machine\n", program);
    expect_refusal(program, "192.0.2.1:0", NULL, 0, not_here);
    echo_stop(&p, program, 0);
}
END_TEST

/* The echo benchmark's script in its quick mode (tiny sizes, one round, the programs of this
   build): it must write a row for every server and setting, and count, per message at one
   connection, the system calls that the chapter explains for each peer. (Our runtime's server
   reads before it waits, so its count depends on whether the next message is already there:
   the chapter gives a range, not a number.) Callgrind cannot run a program built with a
   sanitizer, so the sanitizer builds leave this to the plain one. */
START_TEST(the_echo_bench_script_measures_every_server)
{
    static const char *const expected[] = {
        "epoll\t3.00\tepoll_wait=1 recvfrom=1 sendto=1\n",
        "runtime\t",
        "libuv\t3.00\tepoll_wait=1 read=1 write=1\n",
        "libevent\t7.00\tepoll_ctl=2 epoll_wait=2 ioctl=1 readv=1 writev=1\n",
    };
    if (MEASURING_TEST_SANITIZED) {
        printf("callgrind cannot run a sanitized program: the plain build runs the script\n");
        return;
    }
    int status;
    const char *out = command_output("t=$(mktemp) && B=" BUILD_DIR " QUICK=1 OUT=$t "
        "tests/sockets-bench.sh >/dev/null && awk -F'\t' '$1 == \"echo\" { print $2 \"\t\" $3 "
        "\"\t\" $14 \"\t\" $15 }' $t; s=$?; rm -f $t; exit $s", &status);
    ck_assert_msg(status == 0, "tests/sockets-bench.sh failed: %s", out);
    static const char *const settings[] = {"C=1 S=64 B=12800\t", "C=10 S=64 B=1280\t",
                                           "C=1 S=1048576 B=2097152\t"};
    int rows = 0;
    for (const char *line = out; *line; line = strchr(line, '\n') + 1, rows++)
        ck_assert_msg(strchr(line, '\n'), "a row without an end: %s", line);
    ck_assert_msg(rows == 3 * 4, "%d rows, not a row for each of 4 servers in 3 settings:\n%s",
                  rows, out);
    for (int k = 0; k < 4; k++) {
        char want[160];
        snprintf(want, sizeof want, "%s%s", settings[0], expected[k]);
        ck_assert_msg(strstr(out, want), "no \"%s\" in:\n%s", want, out);
        for (int t = 1; t < 3; t++) {
            snprintf(want, sizeof want, "%s%.*s", settings[t],
                     (int)(strchr(expected[k], '\t') - expected[k] + 1), expected[k]);
            ck_assert_msg(strstr(out, want), "no row \"%s\" in:\n%s", want, out);
        }
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("measuring");
    TCase *programs_case = tcase_create("programs");
    tcase_set_timeout(programs_case, 60);
    tcase_add_loop_test(programs_case, every_program_makes_pipes_times_rounds_hops, 0, PROGRAMS);
    tcase_add_loop_test(programs_case, each_program_makes_the_system_calls_the_chapter_counts, 0,
                        PROGRAMS);
    tcase_add_loop_test(programs_case, every_program_rejects_bad_arguments, 0, PROGRAMS);
    tcase_add_loop_test(programs_case, too_many_pipes_for_the_descriptor_limit_is_explained, 0,
                        PROGRAMS);
    tcase_add_test(programs_case, the_refusals_shown_in_the_chapter_are_the_real_ones);
    tcase_add_loop_test(programs_case, the_runtime_programs_first_round_needs_no_epoll_wait, 0, 2);
    suite_add_tcase(s, programs_case);
    TCase *workloads = tcase_create("workloads");
    tcase_set_timeout(workloads, 60);
    tcase_add_loop_test(workloads, every_workload_program_does_all_its_work, 0, WORKLOAD_PROGRAMS);
    tcase_add_loop_test(workloads, every_workload_program_explains_its_arguments, 0,
                        WORKLOAD_PROGRAMS);
    tcase_add_loop_test(workloads, each_workload_program_makes_the_system_calls_the_chapter_counts,
                        0, WORKLOAD_PROGRAMS);
    tcase_add_test(workloads, fanin_asks_the_limit_for_a_batch_of_write_ends_too);
    tcase_add_test(workloads, the_chapter_shows_the_committed_data);
    tcase_add_test(workloads, bench_takes_the_median_of_ratios);
    suite_add_tcase(s, workloads);
    TCase *ring_case = tcase_create("ring");
    tcase_set_timeout(ring_case, 10);
    tcase_add_test(ring_case, ring_pass_moves_the_token_one_pipe_on);
    tcase_add_test(ring_case, ring_finish_fails_when_the_token_is_doubled);
    tcase_add_test(ring_case, bench_rounds_per_hop_counts_and_takes_the_true_median);
    tcase_add_test(ring_case, a_short_read_drains_a_pipe_under_edge_triggering);
    suite_add_tcase(s, ring_case);
    TCase *echo = tcase_create("echo");
    tcase_set_timeout(echo, 60);
    tcase_add_loop_test(echo, every_echo_server_echoes_every_byte, 0, ECHO_SERVERS);
    tcase_add_loop_test(echo, every_echo_server_explains_a_bad_address, 0, ECHO_SERVERS);
    tcase_add_test(echo, the_echo_servers_buffer_as_much_as_the_runtimes);
    suite_add_tcase(s, echo);
    TCase *echo_bench = tcase_create("echo-bench");
    tcase_set_timeout(echo_bench, 300);         /* a few dozen runs under callgrind and perf */
    tcase_add_test(echo_bench, the_echo_bench_script_measures_every_server);
    suite_add_tcase(s, echo_bench);
    return run_suite(s);
}
