/* Check suite for the io_uring chapter: the hand-declared interface, the raw program, the
   main demo on io_uring and its message when io_uring is refused, reads in flight by the
   thousand, end of file, dropping futures whose reads are still the kernel's, and the system
   calls of each mode on the ring and the ping-pong. */
#define _GNU_SOURCE
#include "uring/abi.h"
#include "uring/choose.h"
#include "waker/tally_waker.h"

#include <check.h>

#include "check_support.h"
#include "strace_c.h"
#include "run_captured.h"
#include "demo_fifos.h"
#include "future_demo_output.h"
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/io_uring.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <valgrind/valgrind.h>

#ifndef BUILD_DIR
#define BUILD_DIR "build"
#endif
#if defined(__SANITIZE_ADDRESS__)
#define URING_TEST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define URING_TEST_ASAN 1
#endif
#endif

/* ---------- the hand-declared interface against the kernel's header ---------- */

#define SAME_FIELD(ours, theirs, f1, f2)                                                   \
    ck_assert_uint_eq(offsetof(struct ours, f1), offsetof(struct theirs, f2));             \
    ck_assert_uint_eq(sizeof(((struct ours *)0)->f1), sizeof(((struct theirs *)0)->f2))

START_TEST(abi_structures_match_the_kernel_header)
{
    ck_assert_uint_eq(sizeof(struct uring_abi_sqe), sizeof(struct io_uring_sqe));
    ck_assert_uint_eq(sizeof(struct uring_abi_sqe), 64);
    SAME_FIELD(uring_abi_sqe, io_uring_sqe, opcode, opcode);
    SAME_FIELD(uring_abi_sqe, io_uring_sqe, flags, flags);
    SAME_FIELD(uring_abi_sqe, io_uring_sqe, fd, fd);
    SAME_FIELD(uring_abi_sqe, io_uring_sqe, off, off);
    SAME_FIELD(uring_abi_sqe, io_uring_sqe, addr, addr);
    SAME_FIELD(uring_abi_sqe, io_uring_sqe, len, len);
    SAME_FIELD(uring_abi_sqe, io_uring_sqe, op_flags, rw_flags);
    SAME_FIELD(uring_abi_sqe, io_uring_sqe, user_data, user_data);
    SAME_FIELD(uring_abi_sqe, io_uring_sqe, ioprio, ioprio);
    SAME_FIELD(uring_abi_sqe, io_uring_sqe, buf_index, buf_index);
    SAME_FIELD(uring_abi_sqe, io_uring_sqe, personality, personality);
    SAME_FIELD(uring_abi_sqe, io_uring_sqe, splice_fd_in, splice_fd_in);
    ck_assert_uint_eq(sizeof(struct uring_abi_cqe), sizeof(struct io_uring_cqe));
    SAME_FIELD(uring_abi_cqe, io_uring_cqe, user_data, user_data);
    SAME_FIELD(uring_abi_cqe, io_uring_cqe, res, res);
    SAME_FIELD(uring_abi_cqe, io_uring_cqe, flags, flags);
    ck_assert_uint_eq(sizeof(struct uring_abi_params), sizeof(struct io_uring_params));
    /* every field of the parameters and of both offset blocks: all but the last are 32-bit
       words, so only their offsets tell two of them apart */
#define SAME_PARAM(f) SAME_FIELD(uring_abi_params, io_uring_params, f, f)
    SAME_PARAM(sq_entries); SAME_PARAM(cq_entries); SAME_PARAM(flags);
    SAME_PARAM(sq_thread_cpu); SAME_PARAM(sq_thread_idle); SAME_PARAM(features);
    SAME_PARAM(wq_fd); SAME_PARAM(resv);
    SAME_PARAM(sq_off.head); SAME_PARAM(sq_off.tail); SAME_PARAM(sq_off.ring_mask);
    SAME_PARAM(sq_off.ring_entries); SAME_PARAM(sq_off.flags); SAME_PARAM(sq_off.dropped);
    SAME_PARAM(sq_off.array); SAME_PARAM(sq_off.resv1);
    SAME_PARAM(cq_off.head); SAME_PARAM(cq_off.tail); SAME_PARAM(cq_off.ring_mask);
    SAME_PARAM(cq_off.ring_entries); SAME_PARAM(cq_off.overflow); SAME_PARAM(cq_off.cqes);
    SAME_PARAM(cq_off.flags); SAME_PARAM(cq_off.resv1);
#undef SAME_PARAM
    ck_assert_int_eq(URING_ABI_OP_READ, IORING_OP_READ);
    ck_assert_int_eq(URING_ABI_OP_POLL_ADD, IORING_OP_POLL_ADD);
    ck_assert_int_eq(URING_ABI_OP_ASYNC_CANCEL, IORING_OP_ASYNC_CANCEL);
    ck_assert_int_eq(URING_ABI_ENTER_GETEVENTS, IORING_ENTER_GETEVENTS);
    ck_assert(URING_ABI_OFF_SQ_RING == IORING_OFF_SQ_RING);
    ck_assert(URING_ABI_OFF_CQ_RING == IORING_OFF_CQ_RING);
    ck_assert(URING_ABI_OFF_SQES == IORING_OFF_SQES);
}
END_TEST

/* What uring_explain prints for each way of being refused, and what it tells to do. */
START_TEST(refusals_are_explained_with_what_to_do)
{
    static const struct { int err; const char *line; } cases[] = {
        {-ENOSYS, "demo: io_uring is not available here (io_uring_setup: Function not "
                  "implemented); run build/future instead, the same demo on epoll\n"},
        {-EPERM, "demo: io_uring is not available here (io_uring_setup: Operation not "
                 "permitted, see /proc/sys/kernel/io_uring_disabled); run build/future "
                 "instead, the same demo on epoll\n"},
        {-ENOMEM, "demo: io_uring is not available here (io_uring_setup: Cannot allocate "
                  "memory, see ulimit -l); run build/future instead, the same demo on epoll\n"},
        {-EOPNOTSUPP, "demo: io_uring is too old here (this reactor needs Linux 5.11); "
                      "run build/future instead, the same demo on epoll\n"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *text = NULL;
        size_t len = 0;
        FILE *out = open_memstream(&text, &len);
        ck_assert_ptr_nonnull(out);
        uring_explain(out, "demo", cases[i].err);
        fclose(out);
        ck_assert_str_eq(text, cases[i].line);
        free(text);
    }
}
END_TEST

/* ---------- running the chapter's programs ---------- */

/* A seccomp filter that makes io_uring_setup fail with err, as some container runtimes'
   default profiles do (they return EPERM or ENOSYS for it). Kept across exec. */
static void refuse_io_uring_setup(int err)
{
    struct sock_filter code[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_io_uring_setup, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ((unsigned)err & SECCOMP_RET_DATA)),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    struct sock_fprog prog = {sizeof code / sizeof code[0], code};
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 || prctl(PR_SET_SECCOMP, 2, &prog) < 0)
        _exit(126);                     /* 2: SECCOMP_MODE_FILTER */
}

static void refuse_in_child(void *errnum) { refuse_io_uring_setup(*(int *)errnum); }

/* Runs argv (refusing io_uring_setup with refuse, unless 0); returns its exit status (or
   128 + the signal that ended it) and what it wrote to standard output and error. */
static int run(char *const argv[], int refuse, char *out, size_t outlen, char *err,
               size_t errlen)
{
    return run_captured(argv, refuse ? refuse_in_child : NULL, &refuse, out, outlen, err,
                        errlen);
}

START_TEST(raw_program_reads_the_pipe_through_the_rings)
{
    char out[4096], err[4096];
    char *argv[] = {BUILD_DIR "/uring-raw", NULL};
    ck_assert_int_eq(run(argv, 0, out, sizeof out, err, sizeof err), 0);
    ck_assert_str_eq(err, "");
    ck_assert_str_eq(out, "submitted 1 read; completions so far: 0\n"
                          "completion 42: res 12: hello, ring\n");
}
END_TEST

/* It takes no arguments, and says so when given some (it used to ignore them). */
START_TEST(raw_program_refuses_arguments)
{
    char out[4096], err[4096];
    char *argv[] = {BUILD_DIR "/uring-raw", "--help", "bogus", NULL};
    ck_assert_int_eq(run(argv, 0, out, sizeof out, err, sizeof err), 2);
    ck_assert_str_eq(out, "");
    ck_assert_str_eq(err, "usage: " BUILD_DIR "/uring-raw   (no arguments: it reads one pipe "
                          "through io_uring)\n");
}
END_TEST

START_TEST(demo_prints_both_futures_under_a_scripted_writer)
{
    char out[4096], err[4096];
    char *argv[] = {"/bin/bash", "tests/future-demo.sh", BUILD_DIR "/uring", NULL};
    int status = run(argv, 0, out, sizeof out, err, sizeof err);
    ck_assert_msg(status == 0, "exit status %d: %s", status, err);
    ck_assert_str_eq(err, "");
    ck_assert_str_eq(out, demo_output);
}
END_TEST

/* The demo prints every byte it read, as build/future does: a NUL used to end the line. */
START_TEST(demo_prints_every_byte_read_a_nul_too)
{
    demo_fifos_expect_every_byte(BUILD_DIR "/uring");
}
END_TEST

/* Output that cannot be written is an error: a line on standard error and status 1 (the
   text used to vanish with status 0). */
START_TEST(demo_says_when_standard_output_cannot_be_written)
{
    demo_fifos_expect_output_error(BUILD_DIR "/uring", "uring");
}
END_TEST

/* Under `ulimit -n 5` the two pipes take 3 and 4, and io_uring_setup fails with EMFILE:
   io_uring is there, so the advice is to raise the limit, not to run build/future (which
   fails the same way). */
START_TEST(demo_out_of_descriptors_says_to_raise_the_limit)
{
    char out[4096], err[4096];
    struct demo_fifos f;
    demo_fifos_make(&f, "", 0);
    char *argv[] = {"/bin/sh", "-c", "ulimit -n 5 && exec \"$@\"", "sh", BUILD_DIR "/uring",
                    f.path[0], f.path[1], NULL};
    int status = run(argv, 0, out, sizeof out, err, sizeof err);
    demo_fifos_remove(&f);
    ck_assert_str_eq(err, "uring: cannot create the io_uring instance: Too many open files; "
                          "raise this process's limit (ulimit -n)\n");
    ck_assert_int_eq(status, 1);
    ck_assert_str_eq(out, "");
}
END_TEST

/* Runs the demo on two fresh named pipes with io_uring_setup refused with err. */
static void demo_refused(int err, const char *expected)
{
    char dir[] = "/tmp/uring-test-XXXXXX", p1[64], p2[64], out[4096], msg[4096];
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(p1, sizeof p1, "%s/pipe1", dir);
    snprintf(p2, sizeof p2, "%s/pipe2", dir);
    ck_assert_int_eq(mkfifo(p1, 0600), 0);
    ck_assert_int_eq(mkfifo(p2, 0600), 0);
    char *argv[] = {BUILD_DIR "/uring", p1, p2, NULL};
    int status = run(argv, err, out, sizeof out, msg, sizeof msg);
    unlink(p1);
    unlink(p2);
    rmdir(dir);
    ck_assert_int_eq(status, 1);
    ck_assert_str_eq(out, "");
    ck_assert_str_eq(msg, expected);
}

START_TEST(demo_says_what_to_run_when_the_kernel_has_no_io_uring)
{
    demo_refused(ENOSYS, "uring: io_uring is not available here (io_uring_setup: Function not "
                 "implemented); run build/future instead, the same demo on epoll\n");
}
END_TEST

START_TEST(demo_says_what_to_run_when_io_uring_is_forbidden)
{
    demo_refused(EPERM, "uring: io_uring is not available here (io_uring_setup: Operation not "
                 "permitted, see /proc/sys/kernel/io_uring_disabled); run build/future "
                 "instead, the same demo on epoll\n");
}
END_TEST

START_TEST(dropping_a_read_in_flight_keeps_its_buffer_until_the_completion)
{
    char out[4096], err[4096];
    char *argv[] = {BUILD_DIR "/uring-uaf", "right", NULL};
    ck_assert_int_eq(run(argv, 0, out, sizeof out, err, sizeof err), 0);
    ck_assert_str_eq(err, "");
    ck_assert_str_eq(out, "dropped the future with 1 read in flight\n"
                     "every completion reaped; the buffer lived until its completion\n");
}
END_TEST

START_TEST(freeing_the_buffer_of_a_read_in_flight_is_a_use_after_free)
{
#ifdef URING_TEST_ASAN
    char out[4096], err[16384];
    char *argv[] = {BUILD_DIR "/uring-uaf", "wrong", NULL};
    ck_assert_int_ne(run(argv, 0, out, sizeof out, err, sizeof err), 0);
    ck_assert_str_eq(out, "dropped the future with 1 read in flight\n");
    ck_assert_ptr_nonnull(strstr(err, "ERROR: AddressSanitizer: heap-use-after-free"));
    ck_assert_ptr_nonnull(strstr(err, "in reactor_complete"));
    ck_assert_ptr_nonnull(strstr(err, "in uaf_drop_wrongly"));
    /* The chapter shows this report with its frames' chapter lines: they must be the build's */
    static const char *const frames[] = {"reactor_complete", "uaf_drop_wrongly", "uring_op_new"};
    FILE *f = fopen("book/10-uring.nw", "r");
    ck_assert_ptr_nonnull(f);
    static char chapter[1 << 17];
    chapter[fread(chapter, 1, sizeof chapter - 1, f)] = '\0';
    fclose(f);
    for (int i = 0; i < 3; i++) {
        char in[64], frame[128];
        snprintf(in, sizeof in, " in %s ", frames[i]);
        const char *at = strstr(err, in), *book = at ? strstr(at, "book/10-uring.nw:") : NULL;
        ck_assert_ptr_nonnull(book);
        snprintf(frame, sizeof frame, "in %s %.*s", frames[i], (int)strcspn(book, " \n"), book);
        ck_assert_msg(strstr(chapter, frame), "the chapter's ASan report lacks \"%s\": paste "
                      "the report of build/asan/uring-uaf wrong into book/10-uring.nw", frame);
    }
#else
    printf("uring: the wrong drop runs only in the AddressSanitizer build (make check runs it "
           "there); here it is undefined behaviour\n");
#endif
}
END_TEST

/* ---------- futures on the io_uring reactor ---------- */

enum { MANY = 1000 };

static struct future_result poll_with(struct future *f, const struct raw_waker *waker)
{
    struct future_context cx = {waker};
    return future_poll(f, &cx);
}

static struct reactor *new_reactor(void)
{
    struct reactor *r = NULL;
    ck_assert_int_eq(reactor_new(&r), 0);
    return r;
}

static void room_for_descriptors(rlim_t need)
{
    struct rlimit lim;
    ck_assert_int_eq(getrlimit(RLIMIT_NOFILE, &lim), 0);
    if (lim.rlim_cur < need && lim.rlim_max >= need) {
        lim.rlim_cur = need;
        ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &lim), 0);
    }
    ck_assert_msg(lim.rlim_cur >= need, "this test needs %llu open files; raise: ulimit -Hn",
                  (unsigned long long)need);
}

START_TEST(a_thousand_reads_in_flight_at_once)
{
    static int rd[MANY], wr[MANY];
    static struct uring_read reads[MANY];
    struct tally t;
    struct raw_waker w = tally_waker_new(&t);
    room_for_descriptors(2 * MANY + 64);
    struct reactor *r = new_reactor();
    for (int i = 0; i < MANY; i++) {
        int p[2];
        ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);
        rd[i] = p[0], wr[i] = p[1];
        uring_read_init(&reads[i], r, rd[i], 2);
        ck_assert_int_eq(poll_with(&reads[i].base, &w).status, FUTURE_PENDING);
    }
    ck_assert_uint_eq(uring_in_flight(r), MANY);
    ck_assert_int_eq(t.refs, 1 + MANY);         /* ours, and one clone per read */
    for (int i = 0; i < MANY; i++) {             /* only now is there anything to read */
        char two[2] = {(char)('a' + i % 26), (char)('0' + i % 10)};
        ck_assert_int_eq(write(wr[i], two, 2), 2);
    }
    while (t.wakes < MANY)
        ck_assert_int_gt(reactor_wait(r, -1), 0);
    for (int i = 0; i < MANY; i++) {
        struct future_result res = poll_with(&reads[i].base, &w);
        ck_assert_int_eq(res.status, FUTURE_READY);
        struct read_n_chars_output *out = res.output;
        ck_assert_int_eq(out->err, 0);
        ck_assert_uint_eq(out->len, 2);
        ck_assert_int_eq(out->text[0], 'a' + i % 26);
        ck_assert_int_eq(out->text[1], '0' + i % 10);
        future_drop(&reads[i].base);
        close(rd[i]);
        close(wr[i]);
    }
    ck_assert_uint_eq(uring_in_flight(r), 0);
    ck_assert_int_eq(t.refs, 1);
    reactor_free(r);
}
END_TEST

START_TEST(dropping_reads_in_flight_reaps_every_completion)
{
    enum { DROPPED = 100 };
    int rd[DROPPED], wr[DROPPED];
    struct uring_read reads[DROPPED];
    struct tally t;
    struct raw_waker w = tally_waker_new(&t);
    struct reactor *r = new_reactor();
    for (int i = 0; i < DROPPED; i++) {
        int p[2];
        ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);
        rd[i] = p[0], wr[i] = p[1];
        uring_read_init(&reads[i], r, rd[i], 8);
        ck_assert_int_eq(poll_with(&reads[i].base, &w).status, FUTURE_PENDING);
    }
    ck_assert_int_eq(reactor_wait(r, 0), 0);    /* in the kernel now, and nothing came */
    for (int i = 0; i < DROPPED; i++) {
        future_drop(&reads[i].base);
        memset(&reads[i], 0xdd, sizeof reads[i]);   /* the future is gone */
        if (i % 2)
            ck_assert_int_eq(write(wr[i], "late", 4), 4);  /* half of them race the cancel */
    }
    ck_assert_int_eq(t.refs, 1);                 /* every clone given back, none woken */
    ck_assert_int_eq(t.wakes, 0);
    ck_assert_uint_eq(uring_in_flight(r), DROPPED);
    reactor_free(r);                             /* reaps them; LeakSanitizer checks frees */
    for (int i = 0; i < DROPPED; i++) {
        close(rd[i]);
        close(wr[i]);
    }
}
END_TEST

START_TEST(end_of_file_is_ready_with_fewer_chars)
{
    int p[2];
    struct tally t;
    struct raw_waker w = tally_waker_new(&t);
    struct reactor *r = new_reactor();
    struct uring_read read;
    ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);
    uring_read_init(&read, r, p[0], 10);
    ck_assert_int_eq(poll_with(&read.base, &w).status, FUTURE_PENDING);
    ck_assert_int_eq(write(p[1], "abc", 3), 3);
    close(p[1]);                                /* the only writer goes: end of file */
    struct future_result res;
    while ((res = poll_with(&read.base, &w)).status == FUTURE_PENDING)
        ck_assert_int_gt(reactor_wait(r, -1), 0);
    struct read_n_chars_output *out = res.output;
    ck_assert_int_eq(out->err, 0);
    ck_assert_uint_eq(out->len, 3);
    ck_assert_mem_eq(out->text, "abc", 3);
    future_drop(&read.base);
    ck_assert_int_eq(t.refs, 1);
    reactor_free(r);
    close(p[0]);
}
END_TEST

START_TEST(a_reader_never_written_is_cancelled_at_shutdown)
{
    int p[2];
    struct tally t;
    struct raw_waker w = tally_waker_new(&t);
    struct reactor *r = new_reactor();
    struct uring_read read;
    ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);
    uring_read_init(&read, r, p[0], 100);
    ck_assert_int_eq(poll_with(&read.base, &w).status, FUTURE_PENDING);
    ck_assert_int_eq(reactor_wait(r, 0), 0);
    future_drop(&read.base);                     /* shutdown: nobody will ever write */
    ck_assert_int_eq(reactor_wait(r, 0), -EDEADLK);  /* nothing left that could wake a task */
    reactor_free(r);                             /* returns: the cancel completes the read */
    ck_assert_int_eq(t.refs, 1);
    ck_assert_int_eq(t.wakes, 0);
    close(p[0]);
    close(p[1]);
}
END_TEST

/* ---------- readiness mode: the future chapter's ReadNChars, unchanged, on io_uring ---------- */

START_TEST(read_n_chars_waits_for_readiness_on_io_uring)
{
    int p[2];
    char buf[5];
    struct tally t;
    struct raw_waker w = tally_waker_new(&t);
    struct reactor *r = new_reactor();
    struct read_n_chars read;
    ck_assert_int_eq(pipe2(p, O_CLOEXEC | O_NONBLOCK), 0);
    read_n_chars_init(&read, r, p[0], buf, sizeof buf);
    ck_assert_int_eq(poll_with(&read.base, &w).status, FUTURE_PENDING);   /* EAGAIN: a poll */
    ck_assert_uint_eq(uring_in_flight(r), 1);
    ck_assert_int_eq(write(p[1], "hello", 5), 5);
    ck_assert_int_eq(reactor_wait(r, -1), 1);
    ck_assert_int_eq(t.wakes, 1);
    struct future_result res = poll_with(&read.base, &w);
    ck_assert_int_eq(res.status, FUTURE_READY);
    ck_assert_uint_eq(read.out.len, 5);
    ck_assert_mem_eq(buf, "hello", 5);
    future_drop(&read.base);
    ck_assert_int_eq(t.refs, 1);
    reactor_free(r);
    close(p[0]);
    close(p[1]);
}
END_TEST

START_TEST(dropping_read_n_chars_cancels_its_poll_before_returning)
{
    int p[2];
    char buf[5];
    struct tally t;
    struct raw_waker w = tally_waker_new(&t);
    struct reactor *r = new_reactor();
    struct read_n_chars read;
    ck_assert_int_eq(pipe2(p, O_CLOEXEC | O_NONBLOCK), 0);
    read_n_chars_init(&read, r, p[0], buf, sizeof buf);
    ck_assert_int_eq(poll_with(&read.base, &w).status, FUTURE_PENDING);
    future_drop(&read.base);                     /* the poll names &read.io: cancel it now */
    ck_assert_uint_eq(uring_in_flight(r), 0);
    ck_assert_int_eq(t.refs, 1);
    ck_assert_int_eq(t.wakes, 0);
    reactor_free(r);
    close(p[0]);
    close(p[1]);
}
END_TEST

/* ---------- system calls, counted by strace ---------- */

/* How many times PROGRAM ARGS called each of the system calls in names (strace -c), into
   counts; 0 for one it never called. */
static void count_calls(const char *program, const char *args, const char *const names[],
                        long counts[], int n)
{
    char log[] = "/tmp/uring-strace-XXXXXX", command[512], line[256];
    int fd = mkstemp(log);
    ck_assert_int_ge(fd, 0);
    close(fd);
    /* LeakSanitizer cannot run under ptrace: in the ASan build it would fail the program */
    snprintf(command, sizeof command, "ASAN_OPTIONS=detect_leaks=0 strace -c -o %s %s/%s %s "
             ">/dev/null", log, BUILD_DIR, program, args);
    ck_assert_int_eq(system(command), 0);
    FILE *f = fopen(log, "r");
    ck_assert_ptr_nonnull(f);
    for (int i = 0; i < n; i++)
        counts[i] = 0;
    while (fgets(line, sizeof line, f)) {
        char name[64];
        long calls, errors;
        if (!strace_c_line(line, &calls, &errors, name))
            continue;
        for (int i = 0; i < n; i++)
            if (strcmp(name, names[i]) == 0)
                counts[i] = calls;
    }
    fclose(f);
    unlink(log);
}

enum { COUNTED_CALLS = 5 };
static const char *const counted_calls[COUNTED_CALLS] = {"io_uring_enter", "read", "write",
                                                         "epoll_ctl", "epoll_wait"};
struct mode_calls { const char *program; long tenths[COUNTED_CALLS]; };

/* Checks each mode's calls per operation: the growth of each count from the run with args_n
   to the run with args_2n, divided by the ops between them (in tenths, so that they are
   exact), against the mode's tenths. */
static void check_calls_per_op(const struct mode_calls modes[3], const char *args_n,
                               const char *args_2n, long ops)
{
    for (int m = 0; m < 3; m++) {
        long a[COUNTED_CALLS], b[COUNTED_CALLS];
        count_calls(modes[m].program, args_n, counted_calls, a, COUNTED_CALLS);
        count_calls(modes[m].program, args_2n, counted_calls, b, COUNTED_CALLS);
        for (int i = 0; i < COUNTED_CALLS; i++) {
            long tenths = (b[i] - a[i]) * 10 / ops;
            ck_assert_msg(tenths == modes[m].tenths[i], "%s: %s: %ld.%ld per op, not %ld.%ld",
                          modes[m].program, counted_calls[i], tenths / 10, tenths % 10,
                          modes[m].tenths[i] / 10, modes[m].tenths[i] % 10);
        }
    }
}

/* The ring of 10 pipes, 100 and 200 rounds: calls per hop (io_uring_enter, read, write,
   epoll_ctl, epoll_wait, in tenths). */
START_TEST(system_calls_per_hop_in_each_mode)
{
    static const struct mode_calls modes[3] = {
        {"measuring-future", {0, 20, 10, 20, 10}},      /* epoll: read, EAGAIN, ADD, DEL */
        {"uring-ring-poll", {10, 20, 10, 0, 0}},        /* readiness: the same reads */
        {"uring-ring-read", {10, 0, 10, 0, 0}},         /* completion: no read(2) at all */
    };
    check_calls_per_op(modes, "10 100", "10 200", 10 * 100);
}
END_TEST

/* The ping-pong with one pair, 20 and 40 one-byte trips: calls per round trip. */
START_TEST(system_calls_per_round_trip_in_each_mode)
{
    static const struct mode_calls modes[3] = {
        {"measuring-pingpong-runtime", {0, 20, 20, 0, 20}}, /* epoll: the bare loop's six */
        {"uring-pingpong-poll", {20, 20, 20, 0, 0}},        /* readiness: a poll per wait */
        {"uring-pingpong-read", {20, 0, 20, 0, 0}},         /* completion: no read(2) */
    };
    check_calls_per_op(modes, "1 20 1", "1 40 1", 20);
}
END_TEST

START_TEST(batching_submits_a_thousand_reads_in_four_calls)
{
    room_for_descriptors(2 * MANY + 64);
    char command[256];
    snprintf(command, sizeof command, "ASAN_OPTIONS=detect_leaks=0 strace -e trace=io_uring_enter "
             "%s/uring-ring-read %d 1 "
             "2>&1 >/dev/null | head -4 | sed 's/^io_uring_enter([0-9]*, //'", BUILD_DIR, MANY);
    int status;
    const char *out = command_output(command, &status);
    ck_assert_int_eq(status, 0);
    ck_assert_str_eq(out, "256, 0, 0, NULL, 8) = 256\n"
                          "256, 0, 0, NULL, 8) = 256\n"
                          "256, 0, 0, NULL, 8) = 256\n"
                          "232, 1, IORING_ENTER_GETEVENTS, NULL, 8) = 232\n");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("uring");
    TCase *abi = tcase_create("abi");
    tcase_add_test(abi, abi_structures_match_the_kernel_header);
    tcase_add_test(abi, refusals_are_explained_with_what_to_do);
    suite_add_tcase(s, abi);
    struct reactor *r = NULL;
    int err = reactor_new(&r);
    reactor_free(r);
    if (err < 0) {
        uring_explain(stdout, "test_uring: skipping every test that needs it", err);
        return run_suite(s);
    }
    if (RUNNING_ON_VALGRIND) {
        printf("test_uring: skipping every test that reads through io_uring under valgrind: "
               "valgrind 3.19 cannot see the kernel write into a buffer named in a "
               "submission, so every char read that way looks uninitialised to it\n");
        return run_suite(s);
    }
    struct { const char *name; const TTest *tests[8]; } cases[] = {
        {"raw", {raw_program_reads_the_pipe_through_the_rings, raw_program_refuses_arguments}},
        {"demo", {demo_prints_both_futures_under_a_scripted_writer,
                  demo_says_what_to_run_when_the_kernel_has_no_io_uring,
                  demo_says_what_to_run_when_io_uring_is_forbidden,
                  demo_prints_every_byte_read_a_nul_too,
                  demo_says_when_standard_output_cannot_be_written,
                  demo_out_of_descriptors_says_to_raise_the_limit}},
        {"completion", {a_thousand_reads_in_flight_at_once, end_of_file_is_ready_with_fewer_chars}},
        {"ownership", {dropping_reads_in_flight_reaps_every_completion,
                       a_reader_never_written_is_cancelled_at_shutdown,
                       dropping_a_read_in_flight_keeps_its_buffer_until_the_completion,
                       freeing_the_buffer_of_a_read_in_flight_is_a_use_after_free}},
        {"readiness", {read_n_chars_waits_for_readiness_on_io_uring,
                       dropping_read_n_chars_cancels_its_poll_before_returning}},
        {"costs", {system_calls_per_hop_in_each_mode, system_calls_per_round_trip_in_each_mode,
                   batching_submits_a_thousand_reads_in_four_calls}},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        TCase *tc = tcase_create(cases[c].name);
        tcase_set_timeout(tc, 20);
        for (int i = 0; i < 8 && cases[c].tests[i]; i++)
            tcase_add_test(tc, cases[c].tests[i]);
        suite_add_tcase(s, tc);
    }
    return run_suite(s);
}
