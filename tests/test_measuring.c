/* Check suite for the measuring chapter. Benchmarks are not tests: nothing here looks at a
   time. It checks what the numbers rest on: every program makes exactly PIPES * ROUNDS hops
   and leaves the token, alone, back in pipe 0; the ring counts and detects a doubled token;
   bad arguments get a message that says what to do. */
#define _GNU_SOURCE
#include "measuring/ring.h"

#include <check.h>

#include "check_support.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
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

/* Runs build/measuring-<program> with up to two arguments (NULL: fewer) and, if fd_limit
   is not 0, with that many descriptors at most. */
static struct run run_program(const char *program, const char *a, const char *b, rlim_t fd_limit)
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
        execl(path, path, a, b, (char *)NULL);
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

/* The system calls a run of 10 pipes x rounds makes, counted by strace -c. */
static long count_syscalls(const char *program, const char *rounds, const char *dir)
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
    char line[256];
    long calls = -1;
    while (fgets(line, sizeof line, f))    /* "100.00 0.001 1 3520 2 total" */
        if (strstr(line, " total")) ck_assert_int_eq(sscanf(line, "%*f %*f %*d %ld", &calls), 1);
    fclose(f);
    unlink(out);
    return calls;
}

/* The chapter explains each program's time by its system calls per hop: 3 for the loops that
   register once, 4 with a one-shot re-arm, 5 for the relay future (re-arm and a read that
   finds the pipe empty), 7 with ReadNChars (deregister, failed modify, add). The difference
   between 20 and 10 rounds cancels what start-up costs. */
START_TEST(each_program_makes_the_system_calls_the_chapter_counts)
{
    static const long per_hop[PROGRAMS] = {3, 4, 3, 3, 5, 7};
    ck_assert_msg(access("/usr/bin/strace", X_OK) == 0,
                  "/usr/bin/strace is missing: run make -f build.mk deps (it installs strace)");
    char dir[] = "/tmp/test_measuring.XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    long ten = count_syscalls(programs[_i], "10", dir);
    long twenty = count_syscalls(programs[_i], "20", dir);
    ck_assert_int_eq(rmdir(dir), 0);
    ck_assert_msg(twenty - ten == 100 * per_hop[_i], "measuring-%s: %ld system calls in 100 hops,"
                  " expected %ld", programs[_i], twenty - ten, 100 * per_hop[_i]);
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
    suite_add_tcase(s, programs_case);
    TCase *ring_case = tcase_create("ring");
    tcase_set_timeout(ring_case, 10);
    tcase_add_test(ring_case, ring_pass_moves_the_token_one_pipe_on);
    tcase_add_test(ring_case, ring_finish_fails_when_the_token_is_doubled);
    suite_add_tcase(s, ring_case);
    return run_suite(s);
}
