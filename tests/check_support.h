/* check_support.h: what the Check suites share. Each suite's main() ends with
   `return run_suite(s);`; the helpers cover what several suites need to observe. */
#ifndef TESTS_CHECK_SUPPORT_H
#define TESTS_CHECK_SUPPORT_H

#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>

/* Runs every test in fork mode (a crash fails one test, not the suite), prints Check's
   summary line, and turns the number of failures into the exit status. */
static inline int run_suite(Suite *s)
{
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

/* A test's own deadline for a program it runs, scaled like Check's timeouts by the environment's
   CK_TIMEOUT_MULTIPLIER (at least 1): `make -f build.mk valgrind` sets it, because a program
   runs many times slower under valgrind. A deadline only stops a hang; no test asserts it. */
static inline double check_deadline_seconds(double seconds)
{
    const char *m = getenv("CK_TIMEOUT_MULTIPLIER");
    double factor = m ? strtod(m, NULL) : 1;
    return seconds * (factor > 1 ? factor : 1);
}

/* How many file descriptors this process has open: a leak shows up as a difference. */
static inline int open_fd_count(void)
{
    DIR *d = opendir("/proc/self/fd");
    ck_assert_ptr_nonnull(d);
    int n = 0;
    while (readdir(d))
        n++;
    closedir(d);
    return n;
}

/* Runs a shell command and returns what it wrote to standard output (a static buffer, up to
   cap - 1 bytes) and its wait status. */
static inline const char *command_output(const char *command, int *status)
{
    static char buf[8192];
    FILE *p = popen(command, "r");
    ck_assert_ptr_nonnull(p);
    size_t n = fread(buf, 1, sizeof buf - 1, p);
    buf[n] = '\0';
    *status = pclose(p);
    return buf;
}

#endif
