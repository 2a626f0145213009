/* test_generator.c: the generators' sequences, the switch-coroutine macros and their broken
   variants, Duff's device, the ucontext coroutine and the stack it refuses, the system call
   at each of its switches, the stale cursor after swapping two started self-referential
   generators, answers to exercises 1, 2, 3, 4 and 6, and the demos' output as the chapter
   shows it. */
#define _GNU_SOURCE   /* MAP_ANONYMOUS and ucontext, for exercise 4's guarded stack */
#include <check.h>

#include "check_support.h"
#include "strace_c.h"
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>

#include "generator/borrow.h"
#include "generator/coro.h"
#include "generator/count.h"
#include "generator/duff.h"
#include "generator/limits.h"
#include "generator/stackful.h"
#include "generator/sum.h"

#ifndef BUILD_DIR
#define BUILD_DIR "build"
#endif
#define CHAPTER "book/04-generator.nw"
#define MAX_STEPS 64
#define STACK_SIZE (64 * 1024)   /* the demo's size, well above gen_stackful_min_stack() */

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define GENERATOR_TEST_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define GENERATOR_TEST_SANITIZED 1
#endif
#endif
#ifndef GENERATOR_TEST_SANITIZED
#define GENERATOR_TEST_SANITIZED 0
#endif

extern char **environ;

/* ---- helpers: run any generator to completion, recording what it yielded ---- */

struct trace {
    long yielded[MAX_STEPS];
    int n;               /* values yielded */
    int completed;       /* 1 if it completed within MAX_STEPS resumes */
    long result;
};

typedef struct gen_result resume_fn(void *state);

static struct trace run(resume_fn *resume, void *state)
{
    struct trace t = { .n = 0 };
    for (int step = 0; step < MAX_STEPS; step++) {
        struct gen_result r = resume(state);
        if (r.status == GEN_COMPLETE) {
            t.completed = 1;
            t.result = r.value;
            return t;
        }
        t.yielded[t.n++] = r.value;
    }
    return t;
}

static struct gen_result r_sum(void *s) { return gen_sum_resume(s); }
static struct gen_result r_count(void *s) { return gen_count_resume(s); }
static struct gen_result r_by_hand(void *s) { return gen_count_resume_by_hand(s); }
static struct gen_result r_lost(void *s) { return gen_lost_local_resume(s); }
static struct gen_result r_trap(void *s) { return gen_switch_trap_resume(s); }
static struct gen_result r_stackful(void *s) { return gen_stackful_resume(s); }
static struct gen_result r_borrow(void *s) { return gen_borrow_resume(s); }

static void assert_trace_eq(const struct trace *a, const struct trace *b)
{
    ck_assert_int_eq(a->completed, b->completed);
    ck_assert_int_eq(a->n, b->n);
    for (int k = 0; k < a->n; k++)
        ck_assert_int_eq(a->yielded[k], b->yielded[k]);
    ck_assert_int_eq(a->result, b->result);
}

/* ---- the hand-written generator ---- */

START_TEST(sum_yields_each_number_then_the_sum)
{
    struct gen_sum g;
    gen_sum_init(&g, 1, 3);
    struct trace t = run(r_sum, &g);
    ck_assert_int_eq(t.n, 3);
    ck_assert_int_eq(t.yielded[0], 1);
    ck_assert_int_eq(t.yielded[1], 2);
    ck_assert_int_eq(t.yielded[2], 3);
    ck_assert(t.completed);
    ck_assert_int_eq(t.result, 6);
    ck_assert_int_eq(g.state, GEN_SUM_DONE);
}
END_TEST

START_TEST(sum_state_holds_loop_variables_between_resumes)
{
    struct gen_sum g;
    gen_sum_init(&g, 10, 12);
    ck_assert_int_eq(g.state, GEN_SUM_START);
    gen_sum_resume(&g);
    gen_sum_resume(&g);
    ck_assert_int_eq(g.state, GEN_SUM_IN_LOOP);
    ck_assert_int_eq(g.i, 11);
    ck_assert_int_eq(g.total, 21);
}
END_TEST

START_TEST(sum_of_empty_range_completes_at_once_and_stays_complete)
{
    struct gen_sum g;
    gen_sum_init(&g, 5, 4);
    struct gen_result r = gen_sum_resume(&g);
    ck_assert_int_eq(r.status, GEN_COMPLETE);
    ck_assert_int_eq(r.value, 0);
    r = gen_sum_resume(&g);
    ck_assert_int_eq(r.status, GEN_COMPLETE);
    ck_assert_int_eq(r.value, 0);
}
END_TEST

START_TEST(sum_does_not_overflow_long_total)
{
    struct gen_sum g;
    gen_sum_init(&g, INT_MAX - 2, INT_MAX - 1);
    struct trace t = run(r_sum, &g);
    ck_assert_int_eq(t.n, 2);
    ck_assert(t.completed);
    ck_assert_int_eq(t.result, 2L * INT_MAX - 3);
}
END_TEST

/* The loop's i++ would overflow at INT_MAX: init refuses it with a message (assert). */
START_TEST(sum_init_refuses_int_max)
{
    struct gen_sum g;
    gen_sum_init(&g, 1, INT_MAX);
}
END_TEST

START_TEST(count_init_refuses_int_max)
{
    struct gen_count c;
    gen_count_init(&c, 1, INT_MAX);
}
END_TEST

/* ---- the same state machine, four spellings ---- */

static const int ranges[][2] = { { 1, 3 }, { 5, 5 }, { -3, 2 }, { 4, 1 }, { 0, 10 } };

START_TEST(by_hand_macros_and_stackful_agree_with_sum)
{
    int from = ranges[_i][0], to = ranges[_i][1];
    struct gen_sum s;
    struct gen_count c1, c2;
    gen_sum_init(&s, from, to);
    gen_count_init(&c1, from, to);
    gen_count_init(&c2, from, to);
    struct trace expect = run(r_sum, &s);
    ck_assert(expect.completed);
    ck_assert_int_eq(expect.n, to >= from ? to - from + 1 : 0);

    struct trace by_hand = run(r_by_hand, &c1);
    struct trace macros = run(r_count, &c2);
    assert_trace_eq(&by_hand, &expect);
    assert_trace_eq(&macros, &expect);

    int range[2] = { from, to };
    struct gen_stackful *co = gen_stackful_new(gen_stackful_sum_body, range, STACK_SIZE);
    ck_assert_ptr_nonnull(co);
    struct trace stackful = run(r_stackful, co);
    assert_trace_eq(&stackful, &expect);
    gen_stackful_free(co);
}
END_TEST

START_TEST(macro_coroutine_stays_complete)
{
    struct gen_count c;
    gen_count_init(&c, 1, 2);
    struct trace t = run(r_count, &c);
    ck_assert(t.completed);
    ck_assert_int_eq(c.pc, -1);
    struct gen_result r = gen_count_resume(&c);
    ck_assert_int_eq(r.status, GEN_COMPLETE);
    ck_assert_int_eq(r.value, 3);
}
END_TEST

START_TEST(macro_coroutine_saves_yield_line_in_pc)
{
    struct gen_count c;
    gen_count_init(&c, 1, 2);
    ck_assert_int_eq(c.pc, 0);
    gen_count_resume(&c);
    ck_assert_int_gt(c.pc, 0);          /* the __LINE__ of its one CORO_YIELD */
    int line = c.pc;
    gen_count_resume(&c);
    ck_assert_int_eq(c.pc, line);       /* the same yield again */
}
END_TEST

/* ---- the rules of coro.h, broken ---- */

START_TEST(local_loop_variable_repeats_forever)
{
    struct gen_lost_local c = { .pc = 0, .from = 1, .to = 4 };
    struct trace t = run(r_lost, &c);
    ck_assert(!t.completed);
    ck_assert_int_eq(t.yielded[0], 1);
    for (int k = 1; k < t.n; k++)
        ck_assert_int_eq(t.yielded[k], 2);
}
END_TEST

START_TEST(local_loop_variable_completes_when_from_equals_to)
{
    /* from + 1 is already past to, so the lost local ends the loop: the bug hides. */
    struct gen_lost_local c = { .pc = 0, .from = 3, .to = 3 };
    struct trace t = run(r_lost, &c);
    ck_assert(t.completed);
    ck_assert_int_eq(t.n, 1);
    ck_assert_int_eq(t.yielded[0], 3);
}
END_TEST

START_TEST(switch_around_yield_completes_after_first_value)
{
    struct gen_switch_trap c = { .pc = 0, .to = 4 };
    struct trace t = run(r_trap, &c);
    ck_assert(t.completed);
    ck_assert_int_eq(t.n, 1);
    ck_assert_int_eq(t.yielded[0], 1);
    ck_assert_int_eq(t.result, 4);
}
END_TEST

/* ---- Duff's device ---- */

START_TEST(duff_copies_exactly_count_bytes)
{
    size_t count = (size_t)_i;
    char src[48], dst[48];
    for (size_t k = 0; k < sizeof src; k++)
        src[k] = (char)('a' + k % 26);
    memset(dst, '#', sizeof dst);
    gen_duff_copy(dst, src, count);
    ck_assert_int_eq(memcmp(dst, src, count), 0);
    for (size_t k = count; k < sizeof dst; k++)
        ck_assert_int_eq(dst[k], '#');
}
END_TEST

/* ---- the stackful coroutine ---- */

START_TEST(stackful_many_interleaved_keep_their_own_locals)
{
    enum { N = 40 };
    int range[N][2];
    struct gen_stackful *co[N];
    for (int k = 0; k < N; k++) {
        range[k][0] = k * 100;
        range[k][1] = k * 100 + 4;
        co[k] = gen_stackful_new(gen_stackful_sum_body, range[k], STACK_SIZE);
        ck_assert_ptr_nonnull(co[k]);
    }
    for (int step = 0; step < 5; step++)
        for (int k = 0; k < N; k++) {
            struct gen_result r = gen_stackful_resume(co[k]);
            ck_assert_int_eq(r.status, GEN_YIELDED);
            ck_assert_int_eq(r.value, k * 100 + step);
        }
    for (int k = 0; k < N; k++) {
        struct gen_result r = gen_stackful_resume(co[k]);
        ck_assert_int_eq(r.status, GEN_COMPLETE);
        ck_assert_int_eq(r.value, 5L * k * 100 + 10);
        gen_stackful_free(co[k]);
    }
}
END_TEST

START_TEST(stackful_refuses_a_stack_too_small_for_a_signal_frame)
{
    size_t min = gen_stackful_min_stack();
    const size_t too_small[] = { 0, 64, min - 1 };
    int range[2] = { 1, 3 };
    ck_assert_uint_ge(min, 2048);
    for (size_t k = 0; k < sizeof too_small / sizeof too_small[0]; k++) {
        errno = 0;
        ck_assert_ptr_null(gen_stackful_new(gen_stackful_sum_body, range, too_small[k]));
        ck_assert_int_eq(errno, EINVAL);
    }
    struct gen_stackful *co = gen_stackful_new(gen_stackful_sum_body, range, min);
    ck_assert_ptr_nonnull(co);
    struct trace t = run(r_stackful, co);
    ck_assert(t.completed);
    ck_assert_int_eq(t.result, 6);
    gen_stackful_free(co);
}
END_TEST

/* The chapter's strace of the stackful demo: glibc's getcontext and each swapcontext, and the
   return through uc_link, set the signal mask with one rt_sigprocmask: 1 + 4 resumes + 3 yields
   + 1 return = 9. A sanitizer's runtime may add calls of its own, so there only at least 9. */
START_TEST(stackful_demo_changes_the_signal_mask_at_every_switch)
{
    ck_assert_msg(access("/usr/bin/strace", X_OK) == 0,
                  "/usr/bin/strace is missing: run make -f build.mk deps (it installs strace)");
    char dir[] = "/tmp/test_generator.XXXXXX", out[64], path[256];
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(out, sizeof out, "%s/strace", dir);
    snprintf(path, sizeof path, "%s/generator-stackful", BUILD_DIR);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        if (!freopen("/dev/null", "w", stdout)) _exit(126);
        setenv("ASAN_OPTIONS", "detect_leaks=0", 1);   /* LeakSanitizer fails under ptrace */
        execl("/usr/bin/strace", "strace", "-c", "-e", "trace=rt_sigprocmask", "-o", out, path,
              (char *)NULL);
        _exit(127);
    }
    int ws;
    ck_assert_int_eq(waitpid(pid, &ws, 0), pid);
    ck_assert_msg(WIFEXITED(ws) && WEXITSTATUS(ws) == 0, "strace %s failed", path);
    FILE *f = fopen(out, "r");
    ck_assert_ptr_nonnull(f);
    long calls = -1;
    char line[256], name[64];
    while (fgets(line, sizeof line, f)) {
        long n, errors;
        if (strace_c_line(line, &n, &errors, name) && strcmp(name, "rt_sigprocmask") == 0)
            calls = n;
    }
    fclose(f);
    unlink(out);
    rmdir(dir);
    if (GENERATOR_TEST_SANITIZED)
        ck_assert_int_ge(calls, 9);
    else
        ck_assert_int_eq(calls, 9);
}
END_TEST

/* A stackful body may yield from a function it calls: here, two levels down. */
static void yield_twice(struct gen_stackful *self, long v)
{
    gen_stackful_yield(self, v);
    gen_stackful_yield(self, -v);
}

static long nested_body(struct gen_stackful *self, void *arg)
{
    (void)arg;
    for (long v = 1; v <= 2; v++)
        yield_twice(self, v);
    return 99;
}

START_TEST(stackful_yields_from_a_called_function)
{
    struct gen_stackful *co = gen_stackful_new(nested_body, NULL, STACK_SIZE);
    ck_assert_ptr_nonnull(co);
    struct trace t = run(r_stackful, co);
    ck_assert(t.completed);
    ck_assert_int_eq(t.n, 4);
    ck_assert_int_eq(t.yielded[0], 1);
    ck_assert_int_eq(t.yielded[1], -1);
    ck_assert_int_eq(t.yielded[2], 2);
    ck_assert_int_eq(t.yielded[3], -2);
    ck_assert_int_eq(t.result, 99);
    ck_assert_int_eq(gen_stackful_resume(co).value, 99);   /* stays complete */
    gen_stackful_free(co);
}
END_TEST

START_TEST(stackful_costs_more_than_stackless_and_measures_its_stack)
{
    enum { SIZE = STACK_SIZE };
    int range[2] = { 1, 3 };
    struct gen_stackful *co = gen_stackful_new(gen_stackful_sum_body, range, SIZE);
    ck_assert_ptr_nonnull(co);
    ck_assert_uint_eq(gen_stackful_stack_depth(co), 0);
    run(r_stackful, co);
    size_t depth = gen_stackful_stack_depth(co);
    ck_assert_uint_gt(depth, 0);
    ck_assert_uint_lt(depth, SIZE);
    ck_assert_uint_gt(gen_stackful_control_size(), 10 * sizeof(struct gen_sum));
    gen_stackful_free(co);
    gen_stackful_free(NULL);
}
END_TEST

/* ---- the self-referential generator ---- */

START_TEST(borrow_yields_letters_then_count)
{
    struct gen_borrow g;
    gen_borrow_init(&g, "kiwi");
    struct trace t = run(r_borrow, &g);
    ck_assert(t.completed);
    ck_assert_int_eq(t.n, 4);
    ck_assert_int_eq(t.yielded[0], 'k');
    ck_assert_int_eq(t.yielded[3], 'i');
    ck_assert_int_eq(t.result, 4);
}
END_TEST

START_TEST(borrow_cuts_long_words)
{
    struct gen_borrow g;
    gen_borrow_init(&g, "abcdefghijklmnopqrstuvwxyz");
    struct trace t = run(r_borrow, &g);
    ck_assert_int_eq(t.result, GEN_BORROW_MAX);
    ck_assert_int_eq(t.yielded[GEN_BORROW_MAX - 1], 'a' + GEN_BORROW_MAX - 1);
}
END_TEST

static void swap(struct gen_borrow *a, struct gen_borrow *b)
{
    struct gen_borrow tmp = *a;
    *a = *b;
    *b = tmp;
}

START_TEST(borrow_swapped_before_start_works)
{
    struct gen_borrow first, second;
    gen_borrow_init(&first, "ab");
    gen_borrow_init(&second, "xyz");
    swap(&first, &second);
    struct trace t = run(r_borrow, &first);
    ck_assert_int_eq(t.n, 3);
    ck_assert_int_eq(t.yielded[0], 'x');
    ck_assert_int_eq(t.yielded[2], 'z');
    ck_assert(first.cursor == &first.word[3]);
}
END_TEST

START_TEST(borrow_swapped_after_start_reads_the_other_object)
{
    struct gen_borrow first, second;
    gen_borrow_init(&first, "apple");
    gen_borrow_init(&second, "melon");
    ck_assert_int_eq(gen_borrow_resume(&first).value, 'a');
    ck_assert_int_eq(gen_borrow_resume(&second).value, 'm');
    ck_assert(first.cursor == &first.word[0]);
    swap(&first, &second);
    /* The states moved; the cursors did not: each points into the other object. */
    ck_assert_str_eq(first.word, "melon");
    ck_assert(first.cursor == &second.word[0]);
    ck_assert(second.cursor == &first.word[0]);
    struct trace t = run(r_borrow, &first);
    ck_assert_int_eq(t.n, 4);
    ck_assert_int_eq(t.yielded[0], 'p');      /* melon should go on with 'e' */
    ck_assert_int_eq(t.yielded[3], 'e');
    t = run(r_borrow, &second);
    ck_assert_int_eq(t.yielded[0], 'e');      /* apple should go on with 'p' */
    ck_assert_int_eq(t.yielded[3], 'n');
}
END_TEST

/* ---- answers to the chapter's exercises 1, 2, 3 and 6 ---- */

/* Exercise 1: sum with a second yield (of total). By hand it needs four states. */
enum two_yields_state { TWO_START, TWO_AFTER_I, TWO_AFTER_TOTAL, TWO_DONE };
struct two_yields { enum two_yields_state state; int pc, from, to, i; long total; };

static struct gen_result two_yields_by_hand(struct two_yields *g)
{
    switch (g->state) {
    case TWO_START:
        g->total = 0;
        g->i = g->from;
        break;
    case TWO_AFTER_I:
        g->state = TWO_AFTER_TOTAL;
        return gen_yielded(g->total);
    case TWO_AFTER_TOTAL:
        g->i++;
        break;
    case TWO_DONE:
        return gen_complete(g->total);
    }
    if (g->i <= g->to) {
        g->total += g->i;
        g->state = TWO_AFTER_I;
        return gen_yielded(g->i);
    }
    g->state = TWO_DONE;
    return gen_complete(g->total);
}

static struct gen_result two_yields_macros(struct two_yields *g)
{
    CORO_BEGIN(g->pc);
    g->total = 0;
    for (g->i = g->from; g->i <= g->to; g->i++) {
        g->total += g->i;
        CORO_YIELD(g->pc, gen_yielded(g->i));
        CORO_YIELD(g->pc, gen_yielded(g->total));
    }
    CORO_END(g->pc, gen_complete(g->total));
}

static struct gen_result r_two_by_hand(void *s) { return two_yields_by_hand(s); }
static struct gen_result r_two_macros(void *s) { return two_yields_macros(s); }

START_TEST(exercise_1_second_yield_by_hand_and_with_macros)
{
    struct two_yields a = { .from = 1, .to = 3 }, b = { .from = 1, .to = 3 };
    struct trace by_hand = run(r_two_by_hand, &a), macros = run(r_two_macros, &b);
    const long expect[] = { 1, 1, 2, 3, 3, 6 };
    ck_assert(by_hand.completed);
    ck_assert_int_eq(by_hand.n, 6);
    for (int k = 0; k < 6; k++)
        ck_assert_int_eq(by_hand.yielded[k], expect[k]);
    ck_assert_int_eq(by_hand.result, 6);
    assert_trace_eq(&macros, &by_hand);
}
END_TEST

/* Exercise 2: __COUNTER__ instead of __LINE__. The inner macro receives the number already
   expanded, so both uses agree; + 1 keeps it away from CORO_BEGIN's case 0. This file is
   compiled with -Wpedantic -Werror: __COUNTER__ is a name reserved to the implementation. */
#define CORO_YIELD_AS(pc, result, n) \
    do {                             \
        (pc) = (n);                  \
        return (result);             \
    case (n):;                       \
    } while (0)
#define CORO_YIELD_COUNTER(pc, result) CORO_YIELD_AS(pc, result, __COUNTER__ + 1)

struct counter_two { int pc; };

static struct gen_result counter_two_resume(void *s)
{
    struct counter_two *t = s;
    CORO_BEGIN(t->pc);
    CORO_YIELD_COUNTER(t->pc, gen_yielded(1)); CORO_YIELD_COUNTER(t->pc, gen_yielded(2));
    CORO_END(t->pc, gen_complete(0));
}

START_TEST(exercise_2_counter_allows_two_yields_on_one_line)
{
    struct counter_two t = { 0 };
    struct trace tr = run(counter_two_resume, &t);
    ck_assert(tr.completed);
    ck_assert_int_eq(tr.n, 2);
    ck_assert_int_eq(tr.yielded[0], 1);
    ck_assert_int_eq(tr.yielded[1], 2);
}
END_TEST

/* Exercise 3: the switch-trap coroutine with if/else instead of the inner switch. */
static struct gen_result switch_fixed_resume(void *s)
{
    struct gen_switch_trap *c = s;
    CORO_BEGIN(c->pc);
    for (c->i = 1; c->i <= c->to; c->i++) {
        if (c->i % 2 == 1)
            CORO_YIELD(c->pc, gen_yielded(c->i));
        else
            CORO_YIELD(c->pc, gen_yielded(-c->i));
    }
    CORO_END(c->pc, gen_complete(c->to));
}

START_TEST(exercise_3_if_else_instead_of_switch_yields_all)
{
    struct gen_switch_trap c = { .pc = 0, .to = 4 };
    struct trace t = run(switch_fixed_resume, &c);
    const long expect[] = { 1, -2, 3, -4 };
    ck_assert(t.completed);
    ck_assert_int_eq(t.n, 4);
    for (int k = 0; k < 4; k++)
        ck_assert_int_eq(t.yielded[k], expect[k]);
    ck_assert_int_eq(t.result, 4);
}
END_TEST

/* Exercise 4: a stack from mmap with a PROT_NONE page below it. A body that recurses without
   end then dies at the guard page, in a child process, instead of writing below its block. */
static int deep(int n)
{
    volatile char frame[512];   /* volatile: every frame really takes its 512 bytes */
    frame[0] = (char)n;
    return n >= 1000000 ? n : deep(n + 1) + frame[0];
}

static ucontext_t guarded_main, guarded_body;

static void recurse_without_end(void)
{
    deep(0);
}

static void run_on_a_guarded_stack(void)
{
    long page = sysconf(_SC_PAGESIZE);
    size_t size = 16 * (size_t)page;
    unsigned char *block = mmap(NULL, (size_t)page + size, PROT_READ | PROT_WRITE,
                                MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (block == MAP_FAILED || mprotect(block, (size_t)page, PROT_NONE) == -1)
        _exit(100);
    if (getcontext(&guarded_body) == -1)
        _exit(101);
    guarded_body.uc_stack.ss_sp = block + page;
    guarded_body.uc_stack.ss_size = size;
    guarded_body.uc_link = &guarded_main;
    makecontext(&guarded_body, recurse_without_end, 0);
    if (swapcontext(&guarded_main, &guarded_body) == -1)
        _exit(102);
    _exit(0);   /* the recursion came back: the guard page did not stop it */
}

START_TEST(exercise_4_guard_page_stops_an_overflow)
{
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        if (!freopen("/dev/null", "w", stderr)) _exit(126);   /* a sanitizer's report */
        run_on_a_guarded_stack();
    }
    int ws;
    ck_assert_int_eq(waitpid(pid, &ws, 0), pid);
    /* 0: the recursion came back; 100 and up: the guarded stack could not be made. */
    ck_assert_msg(!WIFEXITED(ws) || (WEXITSTATUS(ws) != 0 && WEXITSTATUS(ws) < 100),
                  "the child exited with %d", WEXITSTATUS(ws));
    if (!GENERATOR_TEST_SANITIZED)   /* a sanitizer's handler reports and exits instead */
        ck_assert(WIFSIGNALED(ws) && WTERMSIG(ws) == SIGSEGV);
}
END_TEST

/* Exercise 6: an index instead of a cursor pointer; a swap after starting is harmless. */
struct borrow_index { int pc, count, at; char word[GEN_BORROW_MAX + 1]; };

static struct gen_result borrow_index_resume(void *s)
{
    struct borrow_index *g = s;
    CORO_BEGIN(g->pc);
    for (g->at = 0; g->word[g->at] != '\0'; g->at++) {
        g->count++;
        CORO_YIELD(g->pc, gen_yielded(g->word[g->at]));
    }
    CORO_END(g->pc, gen_complete(g->count));
}

START_TEST(exercise_6_index_survives_a_swap_after_starting)
{
    struct borrow_index first = { .word = "apple" }, second = { .word = "melon" }, tmp;
    ck_assert_int_eq(borrow_index_resume(&first).value, 'a');
    ck_assert_int_eq(borrow_index_resume(&second).value, 'm');
    tmp = first; first = second; second = tmp;
    struct trace t = run(borrow_index_resume, &first);
    ck_assert_int_eq(t.n, 4);
    ck_assert_int_eq(t.yielded[0], 'e');      /* melon goes on with e l o n */
    ck_assert_int_eq(t.yielded[3], 'n');
    ck_assert_int_eq(t.result, 5);
    t = run(borrow_index_resume, &second);
    ck_assert_int_eq(t.yielded[0], 'p');      /* apple goes on with p p l e */
    ck_assert_int_eq(t.yielded[3], 'e');
}
END_TEST

/* ---- the demos print what the chapter shows ---- */

/* Reads the whole chapter; the caller frees it. */
static char *read_chapter(void)
{
    FILE *f = fopen(CHAPTER, "r");
    ck_assert_msg(f != NULL, "cannot open %s (run the tests from the repository root)", CHAPTER);
    static char buf[1 << 17];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    ck_assert(!ferror(f) && n < sizeof buf - 1);
    fclose(f);
    buf[n] = '\0';
    return strdup(buf);
}

/* The output the chapter shows after "$ build/<demo>" in a text block. */
static char *shown_output(const char *demo)
{
    char *book = read_chapter(), head[128];
    snprintf(head, sizeof head, "```text\n$ build/%s\n", demo);
    char *start = strstr(book, head);
    ck_assert_msg(start != NULL, "%s shows no output for build/%s", CHAPTER, demo);
    start += strlen(head);
    char *end = strstr(start, "```\n");
    ck_assert(end != NULL);
    char *shown = strndup(start, (size_t)(end - start));
    free(book);
    return shown;
}

/* Runs BUILD_DIR/<demo> and returns its standard output. */
static char *demo_output(const char *demo)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", BUILD_DIR, demo);
    int fds[2];
    ck_assert_int_eq(pipe(fds), 0);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&fa, fds[0]);
    posix_spawn_file_actions_addclose(&fa, fds[1]);
    char *argv[] = { path, NULL };
    pid_t pid;
    int err = posix_spawn(&pid, path, &fa, NULL, argv, environ);
    ck_assert_msg(err == 0, "cannot run %s: %s", path, strerror(err));
    posix_spawn_file_actions_destroy(&fa);
    close(fds[1]);
    static char out[8192];
    size_t len = 0;
    ssize_t got;
    while ((got = read(fds[0], out + len, sizeof out - 1 - len)) > 0)
        len += (size_t)got;
    close(fds[0]);
    out[len] = '\0';
    int status;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "%s failed", path);
    return strdup(out);
}

/* In a line that says "varies", each run of spaces and digits that holds a digit becomes one
   '#': the number may differ (and so may its padding), but there must be one. */
static void mask_numbers_of_varying_lines(char *text)
{
    char *out = text;
    for (const char *line = text; *line != '\0';) {
        const char *nl = strchr(line, '\n');
        size_t len = nl ? (size_t)(nl - line) + 1 : strlen(line);
        char copy[256];
        snprintf(copy, sizeof copy, "%.*s", (int)len, line);
        int varies = strstr(copy, "varies") != NULL;
        for (size_t k = 0; k < len;) {
            size_t run = 0, digits = 0;
            while (varies && k + run < len && (copy[k + run] == ' ' ||
                   (copy[k + run] >= '0' && copy[k + run] <= '9')))
                digits += copy[k + run++] != ' ';
            if (digits > 0) {
                *out++ = '#';
                k += run;
            } else {
                *out++ = copy[k++];
            }
        }
        line += len;
    }
    *out = '\0';
}

static const char *const demos[] = {
    "generator", "generator-limits", "generator-stackful", "generator-swap",
};

START_TEST(demo_prints_what_the_chapter_shows)
{
    char *shown = shown_output(demos[_i]);
    char *actual = demo_output(demos[_i]);
    char *masked_shown = strdup(shown), *masked_actual = strdup(actual);
    mask_numbers_of_varying_lines(masked_shown);
    mask_numbers_of_varying_lines(masked_actual);
    ck_assert_msg(strcmp(masked_actual, masked_shown) == 0,
                  "build/%s printed:\n%s\nbut the chapter shows:\n%s", demos[_i], actual, shown);
    free(masked_shown);
    free(masked_actual);
    free(shown);
    free(actual);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("generator");
    TCase *tc = tcase_create("stackless");
    tcase_set_timeout(tc, 10);
    tcase_add_test(tc, sum_yields_each_number_then_the_sum);
    tcase_add_test(tc, sum_state_holds_loop_variables_between_resumes);
    tcase_add_test(tc, sum_of_empty_range_completes_at_once_and_stays_complete);
    tcase_add_test(tc, sum_does_not_overflow_long_total);
    tcase_add_test_raise_signal(tc, sum_init_refuses_int_max, SIGABRT);
    tcase_add_test_raise_signal(tc, count_init_refuses_int_max, SIGABRT);
    tcase_add_loop_test(tc, by_hand_macros_and_stackful_agree_with_sum, 0,
                        (int)(sizeof ranges / sizeof ranges[0]));
    tcase_add_test(tc, macro_coroutine_stays_complete);
    tcase_add_test(tc, macro_coroutine_saves_yield_line_in_pc);
    tcase_add_test(tc, local_loop_variable_repeats_forever);
    tcase_add_test(tc, local_loop_variable_completes_when_from_equals_to);
    tcase_add_test(tc, switch_around_yield_completes_after_first_value);
    tcase_add_loop_test(tc, duff_copies_exactly_count_bytes, 0, 41);
    suite_add_tcase(s, tc);

    TCase *tf = tcase_create("stackful");
    tcase_set_timeout(tf, 10);
    tcase_add_test(tf, stackful_many_interleaved_keep_their_own_locals);
    tcase_add_test(tf, stackful_yields_from_a_called_function);
    tcase_add_test(tf, stackful_costs_more_than_stackless_and_measures_its_stack);
    tcase_add_test(tf, stackful_refuses_a_stack_too_small_for_a_signal_frame);
    tcase_add_test(tf, stackful_demo_changes_the_signal_mask_at_every_switch);
    suite_add_tcase(s, tf);

    TCase *tb = tcase_create("self-reference");
    tcase_set_timeout(tb, 10);
    tcase_add_test(tb, borrow_yields_letters_then_count);
    tcase_add_test(tb, borrow_cuts_long_words);
    tcase_add_test(tb, borrow_swapped_before_start_works);
    tcase_add_test(tb, borrow_swapped_after_start_reads_the_other_object);
    suite_add_tcase(s, tb);

    TCase *tx = tcase_create("exercises");
    tcase_set_timeout(tx, 10);
    tcase_add_test(tx, exercise_1_second_yield_by_hand_and_with_macros);
    tcase_add_test(tx, exercise_2_counter_allows_two_yields_on_one_line);
    tcase_add_test(tx, exercise_3_if_else_instead_of_switch_yields_all);
    tcase_add_test(tx, exercise_4_guard_page_stops_an_overflow);
    tcase_add_test(tx, exercise_6_index_survives_a_swap_after_starting);
    suite_add_tcase(s, tx);

    TCase *td = tcase_create("demos");
    tcase_set_timeout(td, 20);
    tcase_add_loop_test(td, demo_prints_what_the_chapter_shows, 0,
                        (int)(sizeof demos / sizeof demos[0]));
    suite_add_tcase(s, td);

    return run_suite(s);
}
