/* Tests for the preface: the countdown future and the demo's documented output. */
#define _POSIX_C_SOURCE 200809L
#include <check.h>

#include "check_support.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "preface/countdown.h"

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
    suite_add_tcase(s, tc);
    return run_suite(s);
}
