/* Tests for the preface: the countdown future and the demo's documented output. */
#define _POSIX_C_SOURCE 200809L
#include <check.h>
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

/* Runs a shell command and returns everything it printed (caller frees). */
static char *output_of(const char *command, int *status)
{
    FILE *p = popen(command, "r");
    ck_assert_ptr_nonnull(p);
    static char buf[4096];
    size_t n = fread(buf, 1, sizeof buf - 1, p);
    buf[n] = '\0';
    *status = pclose(p);
    return strdup(buf);
}

START_TEST(demo_prints_what_the_preface_shows)
{
    int status;
    char *out = output_of(BUILD_DIR "/preface", &status);
    ck_assert_int_eq(WEXITSTATUS(status), 0);
    ck_assert_str_eq(out, "poll 1: pending\npoll 2: pending\npoll 3: ready\n");
    free(out);
}
END_TEST

START_TEST(demo_with_zero_is_ready_on_the_first_poll)
{
    int status;
    char *out = output_of(BUILD_DIR "/preface 0", &status);
    ck_assert_str_eq(out, "poll 1: ready\n");
    free(out);
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
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
