/* Tests for the preface: the countdown future, the demo's documented output, the answer to
   exercise 1, and the claim about a thread's default stack in "Four ways to wait". */
#define _GNU_SOURCE                     /* pthread_getattr_np */
#include <check.h>

#include "check_support.h"
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "preface/countdown.h"
#include "preface/number.h"

START_TEST(countdown_is_pending_until_the_last_poll)
{
    struct countdown c = countdown_new(3);
    ck_assert_int_eq(countdown_poll(&c), COUNTDOWN_PENDING);
    ck_assert_int_eq(countdown_poll(&c), COUNTDOWN_PENDING);
    ck_assert_int_eq(countdown_poll(&c), COUNTDOWN_READY);
}
END_TEST

START_TEST(countdown_stays_ready)
{
    struct countdown c = countdown_new(1);
    ck_assert_int_eq(countdown_poll(&c), COUNTDOWN_READY);
    for (int again = 0; again < 3; again++)     /* a finished countdown stays finished */
        ck_assert_int_eq(countdown_poll(&c), COUNTDOWN_READY);
    ck_assert_int_eq(c.remaining, 0);
}
END_TEST

START_TEST(countdown_of_zero_or_less_is_ready_at_once)
{
    struct countdown zero = countdown_new(0), negative = countdown_new(-4);
    ck_assert_int_eq(countdown_poll(&zero), COUNTDOWN_READY);
    ck_assert_int_eq(countdown_poll(&negative), COUNTDOWN_READY);
}
END_TEST

START_TEST(demo_prints_what_the_preface_shows)
{
    int status;
    const char *out = command_output(BUILD_DIR "/preface", &status);
    ck_assert_int_eq(WEXITSTATUS(status), 0);
    ck_assert_str_eq(out, "poll 1: pending\npoll 2: pending\npoll 3: ready\n");
}
END_TEST

START_TEST(demo_with_zero_is_ready_on_the_first_poll)
{
    int status;
    const char *out = command_output(BUILD_DIR "/preface 0", &status);
    ck_assert_int_eq(WEXITSTATUS(status), 0);
    ck_assert_str_eq(out, "poll 1: ready\n");
}
END_TEST

START_TEST(demo_with_five_is_ready_on_the_fifth_poll)
{
    int status;
    const char *out = command_output(BUILD_DIR "/preface 5", &status);
    ck_assert_int_eq(WEXITSTATUS(status), 0);
    ck_assert_str_eq(out, "poll 1: pending\npoll 2: pending\npoll 3: pending\n"
                          "poll 4: pending\npoll 5: ready\n");
}
END_TEST

/* Every bad number is refused with status 2, the message, the usage, and nothing on stdout:
   letters, trailing letters, a sign or space strtol would accept, past the range, past long. */
START_TEST(demo_refuses_what_is_not_a_number_in_range)
{
    const char *bad[] = { "abc", "12abc", "", " 5", "+5", "5 ", "-1", "1000001", "2147483648",
                          "99999999999999999999999" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char command[128], want[256];
        int status;
        snprintf(command, sizeof command, BUILD_DIR "/preface '%s' 2>&1", bad[i]);
        snprintf(want, sizeof want, "preface: POLLS must be a whole number from 0 to 1000000, "
                 "not \"%s\"\nusage: preface [POLLS]   (how often to poll; default 3)\n", bad[i]);
        const char *out = command_output(command, &status);
        ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 2, "%s: status", bad[i]);
        ck_assert_str_eq(out, want);
    }
}
END_TEST

START_TEST(number_parse_takes_the_whole_range_and_nothing_else)
{
    long v = 7;
    ck_assert_int_eq(number_parse("t", "N", "0", 0, 10, &v), 0);
    ck_assert_int_eq(v, 0);
    ck_assert_int_eq(number_parse("t", "N", "10", 0, 10, &v), 0);
    ck_assert_int_eq(v, 10);
    ck_assert_int_eq(number_parse("t", "N", "-5", -5, 5, &v), 0);
    ck_assert_int_eq(v, -5);
    ck_assert_int_eq(number_parse("t", "N", "9223372036854775807", 0, LONG_MAX, &v), 0);
    ck_assert_int_eq(v, LONG_MAX);
    v = 7;                              /* a refusal leaves *out alone */
    ck_assert_int_eq(number_parse("t", "N", "11", 0, 10, &v), -1);
    ck_assert_int_eq(number_parse("t", "N", "-6", -5, 5, &v), -1);
    ck_assert_int_eq(number_parse("t", "N", "-", -5, 5, &v), -1);
    ck_assert_int_eq(number_parse("t", "N", "9223372036854775808", 0, LONG_MAX, &v), -1);
    ck_assert_int_eq(number_parse("t", "N", "0x10", 0, 100, &v), -1);
    ck_assert_int_eq(v, 7);
}
END_TEST

static void *report_own_stack_size(void *arg)
{
    pthread_attr_t attr;
    ck_assert_int_eq(pthread_getattr_np(pthread_self(), &attr), 0);
    ck_assert_int_eq(pthread_attr_getstacksize(&attr, arg), 0);
    pthread_attr_destroy(&attr);
    return NULL;
}

/* "Four ways to wait": with glibc, a thread created with default attributes gets a stack as
   large as the soft stack limit (ulimit -s) rounded up to whole pages, or, when the limit is
   unlimited, a fixed size: 2 MiB on x86-64 (pthread_create(3); glibc's
   sysdeps/nptl/pthread_early_init.h). Try it with (ulimit -s 1001; build/test_preface). */
START_TEST(default_thread_stack_is_the_stack_limit)
{
    struct rlimit limit;
    ck_assert_int_eq(getrlimit(RLIMIT_STACK, &limit), 0);
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t expected = (limit.rlim_cur + page - 1) / page * page;
    if (limit.rlim_cur == RLIM_INFINITY) {
#if defined(__x86_64__)
        expected = 2 * 1024 * 1024;
#else
        return;                         /* pthread_create(3) lists other sizes elsewhere */
#endif
    }
    size_t size = 0;
    pthread_t t;
    ck_assert_int_eq(pthread_create(&t, NULL, report_own_stack_size, &size), 0);
    ck_assert_int_eq(pthread_join(t, NULL), 0);
    ck_assert_uint_eq(size, expected);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("preface");
    TCase *tc = tcase_create("countdown");
    tcase_set_timeout(tc, 10);
    tcase_add_test(tc, countdown_is_pending_until_the_last_poll);
    tcase_add_test(tc, countdown_stays_ready);
    tcase_add_test(tc, countdown_of_zero_or_less_is_ready_at_once);
    tcase_add_test(tc, demo_prints_what_the_preface_shows);
    tcase_add_test(tc, demo_with_zero_is_ready_on_the_first_poll);
    tcase_add_test(tc, demo_with_five_is_ready_on_the_fifth_poll);
    tcase_add_test(tc, demo_refuses_what_is_not_a_number_in_range);
    tcase_add_test(tc, number_parse_takes_the_whole_range_and_nothing_else);
    tcase_add_test(tc, default_thread_stack_is_the_stack_limit);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
