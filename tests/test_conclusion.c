/* Tests for the conclusion's sleep future: a zero sleep is ready at once, sleeps finish in
   deadline order and overlap on one thread, a cancelled sleep closes its timerfd, and the demo
   prints what the chapter shows. */
#define _POSIX_C_SOURCE 200809L
#include <check.h>

#include "check_support.h"
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

#include "conclusion/sleep.h"

/* A waker that only counts its wake-ups: enough to poll a future by hand. */
static int wakes;
static const struct raw_waker_vtable counting_vtable;
static struct raw_waker counting_clone(const void *d) { return (struct raw_waker){d, &counting_vtable}; }
static void counting_wake(const void *d) { (void)d; wakes++; }
static void counting_drop(const void *d) { (void)d; }
static const struct raw_waker_vtable counting_vtable = {counting_clone, counting_wake, counting_wake, counting_drop};

START_TEST(zero_sleep_is_ready_at_the_first_poll_without_a_timer)
{
    struct reactor *r;
    ck_assert_int_eq(reactor_new(&r), 0);
    int fds_before = open_fd_count();
    struct sleep_future s;
    sleep_future_init(&s, r, 0);
    struct raw_waker w = {NULL, &counting_vtable};
    struct future_context cx = {&w};
    struct future_result res = future_poll(&s.base, &cx);
    ck_assert_int_eq(res.status, FUTURE_READY);
    ck_assert_int_eq(*(int *)res.output, 0);
    ck_assert_int_eq(s.io.fd, -1);
    ck_assert_int_eq(open_fd_count(), fds_before);
    future_drop(&s.base);
    reactor_free(r);
}
END_TEST

START_TEST(pending_sleep_dropped_closes_its_timerfd)
{
    struct reactor *r;
    ck_assert_int_eq(reactor_new(&r), 0);
    int fds_before = open_fd_count();
    struct sleep_future s;
    sleep_future_init(&s, r, 60 * 60 * 1000);      /* an hour: it cannot finish here */
    struct raw_waker w = {NULL, &counting_vtable};
    struct future_context cx = {&w};
    ck_assert_int_eq(future_poll(&s.base, &cx).status, FUTURE_PENDING);
    ck_assert_int_eq(open_fd_count(), fds_before + 1);
    future_drop(&s.base);
    ck_assert_int_eq(open_fd_count(), fds_before);
    ck_assert_int_eq(wakes, 0);
    reactor_free(r);
}
END_TEST

START_TEST(expired_sleep_wakes_its_waker_once_and_is_then_ready)
{
    struct reactor *r;
    ck_assert_int_eq(reactor_new(&r), 0);
    struct sleep_future s;
    sleep_future_init(&s, r, 20);
    struct raw_waker w = {NULL, &counting_vtable};
    struct future_context cx = {&w};
    wakes = 0;
    ck_assert_int_eq(future_poll(&s.base, &cx).status, FUTURE_PENDING);
    ck_assert_int_eq(reactor_wait(r, 5000), 1);     /* bounded: the timer is 20 ms */
    ck_assert_int_eq(wakes, 1);
    struct future_result res = future_poll(&s.base, &cx);
    ck_assert_int_eq(res.status, FUTURE_READY);
    ck_assert_int_eq(*(int *)res.output, 0);
    future_drop(&s.base);
    reactor_free(r);
}
END_TEST

START_TEST(demo_wakes_in_deadline_order_and_overlaps_the_sleeps)
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
    ck_assert(total_ms >= 300);          /* a timer never fires early */
    ck_assert(total_ms < 550);           /* overlapped: well under the 600 ms of a sequence */
}
END_TEST

int main(void)
{
    Suite *s = suite_create("conclusion");
    TCase *tc = tcase_create("sleep");
    tcase_set_timeout(tc, 20);
    tcase_add_test(tc, zero_sleep_is_ready_at_the_first_poll_without_a_timer);
    tcase_add_test(tc, pending_sleep_dropped_closes_its_timerfd);
    tcase_add_test(tc, expired_sleep_wakes_its_waker_once_and_is_then_ready);
    tcase_add_test(tc, demo_wakes_in_deadline_order_and_overlaps_the_sleeps);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
