/* Tests for the conclusion's sleep future: a sleep of zero or less is ready at once, sleeps
   finish in deadline order and overlap on one thread, a cancelled sleep closes its timerfd and
   leaves no waker behind, a finished one holds no descriptor, and the demo prints what the
   chapter shows. Also the timerfd facts the chapter relies on, its line count, and exercise 3:
   a task that wakes itself forever starves the reactor. No test measures time. */
#define _POSIX_C_SOURCE 200809L
#include <check.h>

#include "check_support.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "conclusion/sleep.h"

/* A waker that counts its wake-ups, clones and drops: enough to poll a future by hand and to
   see that every clone the reactor took was given back. wake consumes a clone; wake_by_ref
   does not. */
static int wakes, clones, drops;
static const struct raw_waker_vtable counting_vtable;
static struct raw_waker counting_clone(const void *d)
{
    clones++;
    return (struct raw_waker){d, &counting_vtable};
}
static void counting_wake_by_ref(const void *d) { (void)d; wakes++; }
static void counting_drop(const void *d) { (void)d; drops++; }
static void counting_wake(const void *d) { counting_wake_by_ref(d); counting_drop(d); }
static const struct raw_waker_vtable counting_vtable = {
    counting_clone, counting_wake, counting_wake_by_ref, counting_drop};

/* The trap the chapter works around: an it_value of zero disarms the timer instead of firing
   it, so its descriptor would never become readable. */
START_TEST(zero_it_value_disarms_the_timer)
{
    int fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    ck_assert_int_ge(fd, 0);
    struct itimerspec zero = {{0, 0}, {0, 0}}, now;
    ck_assert_int_eq(timerfd_settime(fd, 0, &zero, NULL), 0);
    ck_assert_int_eq(timerfd_gettime(fd, &now), 0);
    ck_assert(now.it_value.tv_sec == 0 && now.it_value.tv_nsec == 0);     /* disarmed */
    uint64_t expirations;
    ck_assert_int_eq(read(fd, &expirations, sizeof expirations), -1);
    ck_assert_int_eq(errno, EAGAIN);
    close(fd);
}
END_TEST

START_TEST(timerfd_read_needs_8_bytes)
{
    int fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    ck_assert_int_ge(fd, 0);
    uint32_t too_small;
    ck_assert_int_eq(read(fd, &too_small, sizeof too_small), -1);
    ck_assert_int_eq(errno, EINVAL);
    close(fd);
}
END_TEST

/* Zero, and any negative duration (which timerfd_settime would refuse with EINVAL), is due
   already: ready at the first poll, with no error and no timer. */
START_TEST(sleep_of_zero_or_less_is_ready_at_the_first_poll_without_a_timer)
{
    const long durations[] = {0, -1, -1000, LONG_MIN};
    struct reactor *r;
    ck_assert_int_eq(reactor_new(&r), 0);
    int fds_before = open_fd_count();
    for (size_t i = 0; i < sizeof durations / sizeof durations[0]; i++) {
        struct sleep_future s;
        sleep_future_init(&s, r, durations[i]);
        struct raw_waker w = {NULL, &counting_vtable};
        struct future_context cx = {&w};
        struct future_result res = future_poll(&s.base, &cx);
        ck_assert_int_eq(res.status, FUTURE_READY);
        ck_assert_msg(*(int *)res.output == 0, "a sleep of %ld ms ended with %s", durations[i],
                      strerror(-*(int *)res.output));
        ck_assert_int_eq(s.io.fd, -1);
        ck_assert_int_eq(open_fd_count(), fds_before);
        future_drop(&s.base);
    }
    reactor_free(r);
}
END_TEST

/* A timer that cannot be started is the sleep's output, not a wait that never ends: with no
   descriptor left to the process, the first poll is ready with -EMFILE. */
START_TEST(sleep_whose_timer_cannot_start_is_ready_with_the_error)
{
    struct reactor *r;
    ck_assert_int_eq(reactor_new(&r), 0);
    struct rlimit saved, none = {0, 0};
    ck_assert_int_eq(getrlimit(RLIMIT_NOFILE, &saved), 0);
    none.rlim_max = saved.rlim_max;
    struct sleep_future s;
    sleep_future_init(&s, r, 1000);
    struct raw_waker w = {NULL, &counting_vtable};
    struct future_context cx = {&w};
    ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &none), 0);
    struct future_result res = future_poll(&s.base, &cx);
    ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &saved), 0);
    ck_assert_int_eq(res.status, FUTURE_READY);
    ck_assert_int_eq(*(int *)res.output, -EMFILE);
    ck_assert_int_eq(s.io.fd, -1);
    future_drop(&s.base);
    reactor_free(r);
}
END_TEST

START_TEST(no_timer_exists_before_the_first_poll)
{
    struct reactor *r;
    ck_assert_int_eq(reactor_new(&r), 0);
    int fds_before = open_fd_count();
    struct sleep_future s;
    sleep_future_init(&s, r, 1000);
    struct sleep_future copy = s;       /* allowed: it has never been polled */
    ck_assert_int_eq(copy.io.fd, -1);
    ck_assert_int_eq(open_fd_count(), fds_before);
    future_drop(&copy.base);            /* dropping a sleep that never started is fine too */
    ck_assert_int_eq(open_fd_count(), fds_before);
    reactor_free(r);
}
END_TEST

START_TEST(pending_sleep_dropped_closes_its_timerfd_and_gives_back_its_waker)
{
    struct reactor *r;
    ck_assert_int_eq(reactor_new(&r), 0);
    int fds_before = open_fd_count();
    struct sleep_future s;
    sleep_future_init(&s, r, 60 * 60 * 1000);      /* an hour: it cannot finish here */
    struct raw_waker w = {NULL, &counting_vtable};
    struct future_context cx = {&w};
    wakes = clones = drops = 0;
    ck_assert_int_eq(future_poll(&s.base, &cx).status, FUTURE_PENDING);
    ck_assert_int_eq(open_fd_count(), fds_before + 1);
    ck_assert_int_eq(clones, 1);                        /* the reactor holds a clone */
    future_drop(&s.base);
    ck_assert_int_eq(open_fd_count(), fds_before);
    ck_assert_int_eq(wakes, 0);
    ck_assert_int_eq(drops, clones);                    /* deregistered: the clone given back */
    ck_assert_int_eq(reactor_wait(r, 0), -EDEADLK);     /* and nothing left to wait for */
    reactor_free(r);
}
END_TEST

/* ... and a finished sleep gives its descriptor back at once, not when it is dropped, which
   inside a then or a join may be much later. */
START_TEST(expired_sleep_wakes_its_waker_once_and_then_holds_no_descriptor)
{
    struct reactor *r;
    ck_assert_int_eq(reactor_new(&r), 0);
    int fds_before = open_fd_count();
    struct sleep_future s;
    sleep_future_init(&s, r, 20);
    struct raw_waker w = {NULL, &counting_vtable};
    struct future_context cx = {&w};
    wakes = clones = drops = 0;
    ck_assert_int_eq(future_poll(&s.base, &cx).status, FUTURE_PENDING);
    ck_assert_int_eq(reactor_wait(r, 5000), 1);     /* bounded: the timer is 20 ms */
    ck_assert_int_eq(wakes, 1);
    struct future_result res = future_poll(&s.base, &cx);
    ck_assert_int_eq(res.status, FUTURE_READY);
    ck_assert_int_eq(*(int *)res.output, 0);
    ck_assert_int_eq(s.io.fd, -1);                  /* finished, not yet dropped */
    ck_assert_int_eq(open_fd_count(), fds_before);
    ck_assert_int_eq(drops, clones);
    future_drop(&s.base);
    ck_assert_int_eq(open_fd_count(), fds_before);
    reactor_free(r);
}
END_TEST

/* The sleeps overlap: when the first of three finishes, the other two have started their
   timers already, because the executor polled every task before it waited. An executor, or a
   sleep, that ran them one after another would have started only the first. */
static struct sleep_future *overlap_sleeps[3];
static int overlap_finished, overlap_started_at_first_finish = -1;

struct overlap_task {
    struct future base;
    int index;
    struct sleep_future sleep;
};

static struct future_result overlap_task_poll(struct future *self, struct future_context *cx)
{
    struct overlap_task *t = (struct overlap_task *)self;
    overlap_sleeps[t->index] = &t->sleep;           /* the task's copy, which never moves */
    struct future_result res = future_poll(&t->sleep.base, cx);
    if (res.status == FUTURE_READY && overlap_finished++ == 0) {
        overlap_started_at_first_finish = 0;
        for (int i = 0; i < 3; i++)
            if (i != t->index && overlap_sleeps[i] && overlap_sleeps[i]->io.fd >= 0)
                overlap_started_at_first_finish++;
    }
    return res;
}

static void overlap_task_drop(struct future *self)
{
    future_drop(&((struct overlap_task *)self)->sleep.base);
}

START_TEST(sleeps_overlap_every_timer_is_started_before_the_first_finishes)
{
    static const struct future_vtable vtable = {overlap_task_poll, overlap_task_drop};
    const long durations[] = {30, 10, 20};
    struct reactor *r;
    ck_assert_int_eq(reactor_new(&r), 0);
    struct executor *ex = executor_new();
    ck_assert_ptr_nonnull(ex);
    for (int i = 0; i < 3; i++) {
        struct overlap_task t = {.base = {&vtable}, .index = i};
        sleep_future_init(&t.sleep, r, durations[i]);
        ck_assert_int_eq(executor_spawn(ex, &t.base, sizeof t), 0);
    }
    ck_assert_int_eq(executor_run(ex, r), 0);
    ck_assert_int_eq(overlap_finished, 3);
    ck_assert_int_eq(overlap_started_at_first_finish, 2);
    executor_free(ex);
    reactor_free(r);
}
END_TEST

/* The demo's output as the chapter shows it, but for the measured total, which depends on the
   machine's load: the test reads it as a number and asserts nothing about it. */
START_TEST(demo_wakes_in_deadline_order)
{
    int status;
    const char *out = command_output(BUILD_DIR "/conclusion", &status);
    ck_assert_int_eq(WEXITSTATUS(status), 0);
    const char *expected = "slept 100 ms\nslept 200 ms\nslept 300 ms\ntotal: ";
    ck_assert_int_eq(strncmp(out, expected, strlen(expected)), 0);
    double total_ms;
    char rest[100];
    ck_assert_int_eq(sscanf(out + strlen(expected), "%lf ms, %99[^\n]", &total_ms, rest), 2);
    ck_assert_str_eq(rest, "on one thread (one after the other: 600 ms)");
}
END_TEST

START_TEST(sleep_is_64_counted_lines)
{
    int status;
    const char *out = command_output("tests/count-lines.sh generated-src/conclusion/sleep.h "
                                     "generated-src/conclusion/sleep.c", &status);
    ck_assert_int_eq(WEXITSTATUS(status), 0);
    ck_assert_ptr_nonnull(strstr(out, "   64 total\n"));
}
END_TEST

/* Exercise 3. The reader is polled first and waits for its pipe; the spinner then writes the
   reader's data and wakes itself on every poll. The executor asks the reactor for events only
   when its queue is empty, so the reader stays asleep, its data waiting, until the spinner
   stops. */
static bool reader_done;
static int reader_done_when_spinner_stopped = -1;

struct reader {
    struct future base;
    struct read_n_chars read;
};

static struct future_result reader_poll(struct future *self, struct future_context *cx)
{
    struct reader *rd = (struct reader *)self;
    struct future_result res = future_poll(&rd->read.base, cx);
    if (res.status == FUTURE_READY)
        reader_done = true;
    return res;
}

static void reader_drop(struct future *self) { future_drop(&((struct reader *)self)->read.base); }

struct spinner {
    struct future base;
    int polls, limit, write_fd;
};

static struct future_result spinner_poll(struct future *self, struct future_context *cx)
{
    struct spinner *s = (struct spinner *)self;
    if (s->polls++ == 0)
        ck_assert_int_eq(write(s->write_fd, "abc", 3), 3);  /* the reader's data arrives */
    if (s->polls == s->limit) {
        reader_done_when_spinner_stopped = reader_done;
        return future_ready(NULL);
    }
    waker_wake_by_ref(cx->waker);
    return future_pending();
}

START_TEST(spinning_task_keeps_the_reactor_from_waking_a_reader)
{
    static const struct future_vtable reader_vtable = {reader_poll, reader_drop};
    static const struct future_vtable spinner_vtable = {spinner_poll, NULL};
    static char buf[3];
    int fds[2];
    ck_assert_int_eq(pipe(fds), 0);
    ck_assert_int_ne(fcntl(fds[0], F_SETFL, O_NONBLOCK), -1);
    struct reactor *r;
    ck_assert_int_eq(reactor_new(&r), 0);
    struct executor *ex = executor_new();
    ck_assert_ptr_nonnull(ex);
    struct reader rd = {.base = {&reader_vtable}};
    read_n_chars_init(&rd.read, r, fds[0], buf, sizeof buf);
    ck_assert_int_eq(executor_spawn(ex, &rd.base, sizeof rd), 0);
    struct spinner sp = {.base = {&spinner_vtable}, .limit = 10000, .write_fd = fds[1]};
    ck_assert_int_eq(executor_spawn(ex, &sp.base, sizeof sp), 0);
    ck_assert_int_eq(executor_run(ex, r), 0);
    ck_assert_int_eq(reader_done_when_spinner_stopped, 0);  /* 10,000 polls, reader asleep */
    ck_assert(reader_done);                                 /* woken once the queue ran dry */
    ck_assert_int_eq(memcmp(buf, "abc", 3), 0);
    executor_free(ex);
    reactor_free(r);
    close(fds[0]);
    close(fds[1]);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("conclusion");
    TCase *tc = tcase_create("sleep");
    tcase_set_timeout(tc, 20);
    tcase_add_test(tc, zero_it_value_disarms_the_timer);
    tcase_add_test(tc, timerfd_read_needs_8_bytes);
    tcase_add_test(tc, sleep_of_zero_or_less_is_ready_at_the_first_poll_without_a_timer);
    tcase_add_test(tc, sleep_whose_timer_cannot_start_is_ready_with_the_error);
    tcase_add_test(tc, no_timer_exists_before_the_first_poll);
    tcase_add_test(tc, pending_sleep_dropped_closes_its_timerfd_and_gives_back_its_waker);
    tcase_add_test(tc, expired_sleep_wakes_its_waker_once_and_then_holds_no_descriptor);
    tcase_add_test(tc, sleeps_overlap_every_timer_is_started_before_the_first_finishes);
    tcase_add_test(tc, demo_wakes_in_deadline_order);
    tcase_add_test(tc, sleep_is_64_counted_lines);
    tcase_add_test(tc, spinning_task_keeps_the_reactor_from_waking_a_reader);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
