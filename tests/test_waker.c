/* test_waker.c: the promises of the waker chapter (book/03-waker.nw). */
#define _POSIX_C_SOURCE 200809L
#include "waker/dispatch.h"
#include "waker/rc_waker.h"
#include "waker/tally_waker.h"

#include <check.h>

#include "check_support.h"
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef BUILD_DIR
#define BUILD_DIR "build"
#endif

/* Set in the AddressSanitizer build (gcc defines the macro, clang answers __has_feature). */
#if defined(__SANITIZE_ADDRESS__)
#define WAKER_TEST_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define WAKER_TEST_UNDER_ASAN 1
#endif
#endif

static const double pi = 3.14159265358979323846;

static void assert_close(double got, double want)
{
    double diff = got > want ? got - want : want - got;
    ck_assert_msg(diff < 1e-9, "got %.12f, want %.12f", got, want);
}

/* ---- dispatch ---- */

START_TEST(three_ways_agree)
{
    struct square_inline s1 = square_inline_make(3);
    struct circle_inline c1 = circle_inline_make(1.5);
    struct square s2 = { 3 };
    struct circle c2 = { 1.5 };
    struct square_obj s3 = square_obj_make(3);
    struct circle_obj c3 = circle_obj_make(1.5);
    struct shape_ref r;

    assert_close(s1.methods.area(&s1.methods), 9);
    assert_close(s1.methods.perimeter(&s1.methods), 12);
    assert_close(c1.methods.area(&c1.methods), pi * 2.25);
    assert_close(c1.methods.perimeter(&c1.methods), 3 * pi);
    r = square_as_shape(&s2);
    assert_close(r.vtable->area(r.data), 9);
    assert_close(r.vtable->perimeter(r.data), 12);
    r = circle_as_shape(&c2);
    assert_close(r.vtable->area(r.data), pi * 2.25);
    assert_close(r.vtable->perimeter(r.data), 3 * pi);
    assert_close(s3.base.vptr->area(&s3.base), 9);
    assert_close(s3.base.vptr->perimeter(&s3.base), 12);
    assert_close(c3.base.vptr->area(&c3.base), pi * 2.25);
    assert_close(c3.base.vptr->perimeter(&c3.base), 3 * pi);
}
END_TEST

START_TEST(hand_built_table_order_decides)
{
    const struct shape_vtable in_order = {
        NULL, sizeof(struct square), _Alignof(struct square), square_area, square_perimeter
    };
    const struct shape_vtable reordered = {
        NULL, sizeof(struct square), _Alignof(struct square), square_perimeter, square_area
    };
    struct square sq = { 5 };
    struct shape_ref a = { &sq, &in_order }, b = { &sq, &reordered };

    assert_close(a.vtable->area(a.data), 25);
    assert_close(a.vtable->perimeter(a.data), 20);
    assert_close(b.vtable->area(b.data), 20);      /* the area slot runs the perimeter */
    assert_close(b.vtable->perimeter(b.data), 25);
}
END_TEST

START_TEST(vtable_is_laid_out_like_rusts)
{
    ck_assert_uint_eq(offsetof(struct shape_vtable, drop), 0);
    ck_assert_uint_lt(offsetof(struct shape_vtable, drop), offsetof(struct shape_vtable, size));
    ck_assert_uint_lt(offsetof(struct shape_vtable, size), offsetof(struct shape_vtable, align));
    ck_assert_uint_lt(offsetof(struct shape_vtable, align), offsetof(struct shape_vtable, area));
    ck_assert_uint_lt(offsetof(struct shape_vtable, area),
                      offsetof(struct shape_vtable, perimeter));
    ck_assert_uint_eq(square_vtable.size, sizeof(struct square));
    ck_assert_uint_eq(square_vtable.align, _Alignof(struct square));
    ck_assert_uint_eq(circle_vtable.size, sizeof(struct circle));
    ck_assert_uint_eq(circle_vtable.align, _Alignof(struct circle));
    ck_assert_uint_eq(sizeof(struct shape_ref), 2 * sizeof(void *));
    ck_assert_uint_eq(sizeof(struct shape_obj), sizeof(void *));
}
END_TEST

/* Exercise 1's answer: the sizes after adding a third method, name, in each of the ways. */
START_TEST(exercise_1_sizes_with_a_third_method)
{
    struct inline3 { double (*area)(const void *), (*perimeter)(const void *);
                     const char *(*name)(const void *); };
    struct square_inline3 { struct inline3 methods; double side; };
    struct vtable3 { void (*drop)(void *); size_t size, align;
                     double (*area)(const void *), (*perimeter)(const void *);
                     const char *(*name)(const void *); };
    struct class3 { double (*area)(const void *), (*perimeter)(const void *);
                    const char *(*name)(const void *); };
    struct square_obj3 { const struct class3 *vptr; double side; };

    ck_assert_uint_eq(sizeof(struct square_inline3), 32);
    ck_assert_uint_eq(sizeof(struct vtable3), 48);
    ck_assert_uint_eq(sizeof(struct square), 8);
    ck_assert_uint_eq(sizeof(struct shape_ref), 16);
    ck_assert_uint_eq(sizeof(struct class3), 24);
    ck_assert_uint_eq(sizeof(struct square_obj3), 16);
}
END_TEST

/* A shape of the test's own: over-aligned, and with a drop that counts its calls. */
struct wide_square {
    _Alignas(64) double side;
    int *drops;
};

static void wide_drop(void *self) { (*((struct wide_square *)self)->drops)++; }
static double wide_area(const void *self)
{
    const struct wide_square *w = self;
    return w->side * w->side;
}
static double wide_perimeter(const void *self)
{
    return 4 * ((const struct wide_square *)self)->side;
}

static const struct shape_vtable wide_vtable = {
    .drop = wide_drop, .size = sizeof(struct wide_square),
    .align = _Alignof(struct wide_square), .area = wide_area, .perimeter = wide_perimeter,
};

START_TEST(box_uses_size_align_and_drop)
{
    int drops = 0;
    struct wide_square original = { .side = 3, .drops = &drops };
    struct shape_ref boxed;

    ck_assert_int_eq(shape_box_new((struct shape_ref){ &original, &wide_vtable }, &boxed), 0);
    ck_assert_ptr_ne(boxed.data, &original);
    ck_assert_uint_eq((uintptr_t)boxed.data % 64, 0);
    original.side = 100;
    assert_close(boxed.vtable->area(boxed.data), 9);
    ck_assert_int_eq(drops, 0);
    shape_box_free(boxed);
    ck_assert_int_eq(drops, 1);
}
END_TEST

START_TEST(box_of_a_shape_without_drop)
{
    struct circle c = { 2 };
    struct shape_ref boxed;
    ck_assert_int_eq(shape_box_new(circle_as_shape(&c), &boxed), 0);
    assert_close(boxed.vtable->perimeter(boxed.data), 4 * pi);
    shape_box_free(boxed);
}
END_TEST

/* ---- counting rules, checked for every sequence of operations ---- */

/* What the checker can observe of a waker, for the rc_waker and the tally waker alike. */
struct probe {
    struct raw_waker (*make)(void *ctx);
    long (*count)(void *ctx, const struct raw_waker *w);  /* only while not released */
    long (*wakes)(void *ctx);
    long (*releases)(void *ctx);
    long (*misuses)(void *ctx);                           /* calls after the release */
};

struct rc_ctx { long wakes, releases; };
static void rc_ctx_wake(void *arg) { ((struct rc_ctx *)arg)->wakes++; }
static void rc_ctx_release(void *arg) { ((struct rc_ctx *)arg)->releases++; }
static struct raw_waker rc_make(void *ctx)
{
    *(struct rc_ctx *)ctx = (struct rc_ctx){ 0, 0 };
    return rc_waker_new(rc_ctx_wake, ctx, rc_ctx_release);
}
static long rc_count(void *ctx, const struct raw_waker *w) { (void)ctx; return rc_waker_refcount(w); }
static long rc_wakes(void *ctx) { return ((struct rc_ctx *)ctx)->wakes; }
static long rc_releases(void *ctx) { return ((struct rc_ctx *)ctx)->releases; }
static long rc_misuses(void *ctx) { (void)ctx; return 0; }
static const struct probe rc_probe = { rc_make, rc_count, rc_wakes, rc_releases, rc_misuses };

static struct raw_waker tally_make(void *ctx) { return tally_waker_new(ctx); }
static struct raw_waker tally_make_mistaken(void *ctx) { return tally_waker_new_mistaken(ctx); }
static long tally_count(void *ctx, const struct raw_waker *w) { (void)w; return ((struct tally *)ctx)->refs; }
static long tally_wakes(void *ctx) { return ((struct tally *)ctx)->wakes; }
static long tally_releases(void *ctx) { return ((struct tally *)ctx)->releases; }
static long tally_misuses(void *ctx) { return ((struct tally *)ctx)->after_release; }
static const struct probe tally_probe = {
    tally_make, tally_count, tally_wakes, tally_releases, tally_misuses
};
static const struct probe tally_mistaken_probe = {
    tally_make_mistaken, tally_count, tally_wakes, tally_releases, tally_misuses
};

enum op { OP_CLONE, OP_WAKE_BY_REF, OP_WAKE, OP_DROP, OP_COUNT };
static const char *const op_names[OP_COUNT] = { "clone", "wake_by_ref", "wake", "drop" };
#define MAX_OPS 8

/* True when the sequence never acts after the last handle is gone. */
static bool sequence_is_possible(const enum op *ops, int n)
{
    int handles = 1;
    for (int i = 0; i < n; i++) {
        if (handles == 0)
            return false;
        handles += ops[i] == OP_CLONE ? 1 : ops[i] == OP_WAKE || ops[i] == OP_DROP ? -1 : 0;
    }
    return true;
}

/* Checks the waker's observable state against the live handles; writes why on failure. */
static bool state_ok(const struct probe *p, void *ctx, const struct raw_waker *held, int h,
                     long want_wakes, char *why, size_t len)
{
    long releases = p->releases(ctx);
    if (releases != (h == 0 ? 1 : 0)) {
        snprintf(why, len, "%d handles live but %ld releases", h, releases);
        return false;
    }
    if (h > 0 && p->count(ctx, &held[0]) != h) {
        snprintf(why, len, "%d handles live but the count is %ld", h, p->count(ctx, &held[0]));
        return false;
    }
    if (p->wakes(ctx) != want_wakes || p->misuses(ctx) != 0) {
        snprintf(why, len, "%ld wake-ups (want %ld), %ld calls after release",
                 p->wakes(ctx), want_wakes, p->misuses(ctx));
        return false;
    }
    return true;
}

/* Runs ops on a fresh waker, checking after every step, then gives up every handle left. */
static bool run_sequence(const struct probe *p, void *ctx, const enum op *ops, int n,
                         char *why, size_t len)
{
    struct raw_waker held[MAX_OPS + 1];
    int h = 0;
    long want_wakes = 0;
    held[h++] = p->make(ctx);
    for (int i = 0; i <= n; i++) {
        if (i < n) {
            switch (ops[i]) {
            case OP_CLONE: held[h] = waker_clone(&held[h - 1]); h++; break;
            case OP_WAKE_BY_REF: waker_wake_by_ref(&held[h - 1]); want_wakes++; break;
            case OP_WAKE: waker_wake(held[--h]); want_wakes++; break;
            case OP_DROP: waker_drop(held[--h]); break;
            case OP_COUNT: break;
            }
        } else {
            while (h > 0)
                waker_drop(held[--h]);
        }
        if (!state_ok(p, ctx, held, h, want_wakes, why, len))
            return false;
    }
    return true;
}

/* Enumerates every possible sequence of 0..MAX_OPS operations, shortest first. Returns the
   number checked, or -1 with the first failing sequence and the reason in report. */
static long check_every_sequence(const struct probe *p, void *ctx, char *report, size_t len)
{
    long checked = 0;
    for (int n = 0; n <= MAX_OPS; n++) {
        long total = 1;
        for (int i = 0; i < n; i++)
            total *= OP_COUNT;
        for (long code = 0; code < total; code++) {
            enum op ops[MAX_OPS];
            long c = code;
            for (int i = n - 1; i >= 0; i--, c /= OP_COUNT)
                ops[i] = (enum op)(c % OP_COUNT);
            if (!sequence_is_possible(ops, n))
                continue;
            char why[128];
            if (!run_sequence(p, ctx, ops, n, why, sizeof why)) {
                size_t used = (size_t)snprintf(report, len, "sequence:");
                for (int i = 0; i < n && used < len; i++)
                    used += (size_t)snprintf(report + used, len - used, " %s", op_names[ops[i]]);
                if (used < len)
                    snprintf(report + used, len - used, ": %s", why);
                return -1;
            }
            checked++;
        }
    }
    return checked;
}

/* The number of possible sequences, counted independently by dynamic programming over the
   number of live handles: ways[h] = sequences so far that leave h handles. */
static long count_possible_sequences(void)
{
    long ways[MAX_OPS + 3] = { 0 }, total = 0;
    ways[1] = 1;
    for (int n = 0; n <= MAX_OPS; n++) {
        long next[MAX_OPS + 3] = { 0 };
        for (int h = 0; h <= MAX_OPS + 1; h++) {
            total += ways[h];
            if (h == 0 || n == MAX_OPS)
                continue;
            next[h + 1] += ways[h];          /* clone */
            next[h] += ways[h];              /* wake_by_ref */
            next[h - 1] += 2 * ways[h];      /* wake, drop */
        }
        memcpy(ways, next, sizeof ways);
    }
    return total;
}

START_TEST(rc_counts_return_to_zero_for_every_sequence)
{
    struct rc_ctx ctx;
    char report[512] = "";
    long checked = check_every_sequence(&rc_probe, &ctx, report, sizeof report);
    ck_assert_msg(checked >= 0, "rc_waker: %s", report);
    ck_assert_int_eq(checked, count_possible_sequences());
}
END_TEST

START_TEST(tally_counts_return_to_zero_for_every_sequence)
{
    struct tally t;
    char report[512] = "";
    long checked = check_every_sequence(&tally_probe, &t, report, sizeof report);
    ck_assert_msg(checked >= 0, "tally waker: %s", report);
    ck_assert_int_eq(checked, count_possible_sequences());
}
END_TEST

START_TEST(every_sequence_check_catches_the_classic_mistake)
{
    struct tally t;
    char report[512] = "";
    ck_assert_int_eq(check_every_sequence(&tally_mistaken_probe, &t, report, sizeof report), -1);
    ck_assert_str_eq(report, "sequence: wake_by_ref: 1 handles live but 1 releases");
}
END_TEST

START_TEST(wake_by_ref_leaves_the_count_unchanged)
{
    struct rc_ctx ctx;
    struct raw_waker w = rc_make(&ctx);
    struct raw_waker c = waker_clone(&w);
    for (int i = 0; i < 1000; i++) {
        waker_wake_by_ref(&c);
        ck_assert_int_eq(rc_waker_refcount(&w), 2);
    }
    ck_assert_int_eq(ctx.wakes, 1000);
    waker_drop(c);
    waker_drop(w);
    ck_assert_int_eq(ctx.releases, 1);
}
END_TEST

START_TEST(rc_waker_without_callbacks)
{
    struct raw_waker w = rc_waker_new(NULL, NULL, NULL);
    waker_wake_by_ref(&w);
    ck_assert_int_eq(rc_waker_refcount(&w), 1);
    waker_wake(w);   /* the last reference: frees, and the leak checker would notice if not */
}
END_TEST

START_TEST(refcount_of_a_foreign_waker_is_minus_one)
{
    struct tally t;
    struct raw_waker w = tally_waker_new(&t);
    ck_assert_int_eq(rc_waker_refcount(&w), -1);
    waker_drop(w);
    ck_assert_int_eq(t.releases, 1);
}
END_TEST

START_TEST(will_wake_compares_data_and_table)
{
    struct rc_ctx a, b;
    struct raw_waker wa = rc_make(&a), wb = rc_make(&b);
    struct raw_waker ca = waker_clone(&wa);
    struct tally t;
    struct raw_waker right = tally_waker_new(&t), wrong = tally_waker_new_mistaken(&t);

    ck_assert(waker_will_wake(&wa, &ca));
    ck_assert(!waker_will_wake(&wa, &wb));
    ck_assert(!waker_will_wake(&right, &wrong));   /* same data, other functions */
    waker_drop(ca);
    waker_drop(wa);
    waker_drop(wb);
    waker_drop(right);
    ck_assert_int_eq(a.releases + b.releases, 2);
}
END_TEST

/* ---- threads ---- */

#define THREADS 4
#define ROUNDS 20000

struct shared_counts { atomic_long wakes, releases; };
static void shared_wake(void *arg)
{
    atomic_fetch_add(&((struct shared_counts *)arg)->wakes, 1);
}
static void shared_release(void *arg)
{
    atomic_fetch_add(&((struct shared_counts *)arg)->releases, 1);
}

struct worker { struct raw_waker mine; pthread_barrier_t *start; long *slot; long value; };

static void *clone_wake_drop_worker(void *arg)
{
    struct worker *w = arg;
    pthread_barrier_wait(w->start);
    for (int i = 0; i < ROUNDS; i++) {
        struct raw_waker c = waker_clone(&w->mine);
        waker_wake_by_ref(&c);
        waker_drop(c);
    }
    waker_wake(w->mine);
    return NULL;
}

static void run_workers(struct worker *workers, void *(*fn)(void *))
{
    pthread_t threads[THREADS];
    for (int i = 0; i < THREADS; i++)
        ck_assert_int_eq(pthread_create(&threads[i], NULL, fn, &workers[i]), 0);
    for (int i = 0; i < THREADS; i++)
        ck_assert_int_eq(pthread_join(threads[i], NULL), 0);
}

START_TEST(atomic_counts_under_concurrent_clone_and_drop)
{
    static struct shared_counts counts;
    pthread_barrier_t start;
    struct worker workers[THREADS];
    ck_assert_int_eq(pthread_barrier_init(&start, NULL, THREADS), 0);
    struct raw_waker w = rc_waker_new(shared_wake, &counts, shared_release);
    for (int i = 0; i < THREADS; i++)
        workers[i] = (struct worker){ .mine = waker_clone(&w), .start = &start };

    run_workers(workers, clone_wake_drop_worker);

    ck_assert_int_eq(rc_waker_refcount(&w), 1);
    ck_assert_int_eq(atomic_load(&counts.wakes), (long)THREADS * ROUNDS + THREADS);
    ck_assert_int_eq(atomic_load(&counts.releases), 0);
    waker_drop(w);
    ck_assert_int_eq(atomic_load(&counts.releases), 1);
    pthread_barrier_destroy(&start);
}
END_TEST

/* Each worker writes a plain field, then drops its handle; the release callback, run by
   whichever thread drops last, reads every field. Only the acquire-release ordering of the
   decrement makes those reads race-free, which ThreadSanitizer checks. */
struct ledger { long slots[THREADS]; long sum_at_release; atomic_int releases; };

static void ledger_release(void *arg)
{
    struct ledger *l = arg;
    for (int i = 0; i < THREADS; i++)
        l->sum_at_release += l->slots[i];
    atomic_fetch_add(&l->releases, 1);
}

static void *write_then_drop_worker(void *arg)
{
    struct worker *w = arg;
    pthread_barrier_wait(w->start);
    *w->slot = w->value;
    waker_drop(w->mine);
    return NULL;
}

START_TEST(rc_waker_release_sees_all_writes)
{
    static struct ledger ledger;
    pthread_barrier_t start;
    struct worker workers[THREADS];
    ck_assert_int_eq(pthread_barrier_init(&start, NULL, THREADS), 0);
    struct raw_waker w = rc_waker_new(NULL, &ledger, ledger_release);
    for (int i = 0; i < THREADS; i++)
        workers[i] = (struct worker){ .mine = waker_clone(&w), .start = &start,
                                      .slot = &ledger.slots[i], .value = i + 1 };
    waker_drop(w);   /* from now on the last reference belongs to one of the workers */

    run_workers(workers, write_then_drop_worker);

    ck_assert_int_eq(atomic_load(&ledger.releases), 1);
    ck_assert_int_eq(ledger.sum_at_release, 1 + 2 + 3 + 4);
    pthread_barrier_destroy(&start);
}
END_TEST

/* ---- the demo ---- */

struct run { int status; char out[8192]; size_t out_len; char err[16384]; size_t err_len; };

/* Reads fd until end of file into buf, bounded by a deadline per read. */
static void read_all(int fd, char *buf, size_t cap, size_t *len)
{
    *len = 0;
    for (;;) {
        struct pollfd pfd = { .fd = fd, .events = POLLIN };
        int ready = poll(&pfd, 1, 10000);
        ck_assert_msg(ready == 1, "the demo wrote nothing for 10 s");
        ck_assert_msg(*len < cap - 1, "the demo printed more than %zu bytes", cap - 1);
        ssize_t n = read(fd, buf + *len, cap - 1 - *len);
        if (n < 0 && errno == EINTR)
            continue;
        ck_assert_msg(n >= 0, "read: %s", strerror(errno));
        if (n == 0)
            break;
        *len += (size_t)n;
    }
    buf[*len] = '\0';
}

/* Runs a demo with one optional argument; stdout and stderr are captured separately. */
static void run_program(const char *path, const char *arg, struct run *r)
{
    int out[2], err[2];
    ck_assert_int_eq(pipe(out), 0);
    ck_assert_int_eq(pipe(err), 0);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        dup2(out[1], STDOUT_FILENO);
        dup2(err[1], STDERR_FILENO);
        close(out[0]); close(out[1]); close(err[0]); close(err[1]);
        execl(path, path, arg, (char *)NULL);
        fprintf(stderr, "cannot run %s: %s\n", path, strerror(errno));
        _exit(127);
    }
    close(out[1]);
    close(err[1]);
    read_all(out[0], r->out, sizeof r->out, &r->out_len);   /* stderr (under 16 KiB) waits */
    read_all(err[0], r->err, sizeof r->err, &r->err_len);   /* in its pipe's 64 KiB buffer */
    close(out[0]);
    close(err[0]);
    ck_assert_int_eq(waitpid(pid, &r->status, 0), pid);
}

/* Appends the non-blank lines of text to buf. */
static void append_nonblank_lines(const char *text, char *buf, size_t cap)
{
    size_t used = strlen(buf);
    while (*text != '\0') {
        size_t n = strcspn(text, "\n");
        if (n > 0) {
            ck_assert_msg(used + n + 1 < cap, "expected output too long");
            memcpy(buf + used, text, n);
            used += n;
            buf[used++] = '\n';
            buf[used] = '\0';
        }
        text += n + (text[n] == '\n');
    }
}

#define MISTAKE_TITLE "A real rc_waker, its wake in the wake_by_ref slot:"

/* Collects the ```text blocks of the chapter: the output the book shows. The block whose first
   line is MISTAKE_TITLE is waker-mistake's output; every other block is the demo's. */
static void chapter_text_blocks(bool of_mistake_demo, char *buf, size_t cap)
{
    FILE *f = fopen("book/03-waker.nw", "r");
    ck_assert_msg(f != NULL, "book/03-waker.nw: %s (run the suite from the repository root)",
                  strerror(errno));
    char line[512];
    bool inside = false, first = false, keep = false;
    buf[0] = '\0';
    while (fgets(line, sizeof line, f) != NULL) {
        if (!inside && strcmp(line, "```text\n") == 0) {
            inside = first = true;
        } else if (inside && strcmp(line, "```\n") == 0) {
            inside = false;
        } else if (inside) {
            if (first)
                keep = (strcmp(line, MISTAKE_TITLE "\n") == 0) == of_mistake_demo;
            first = false;
            if (keep)
                append_nonblank_lines(line, buf, cap);
        }
    }
    fclose(f);
    ck_assert_msg(!inside, "a ```text block in the chapter is not closed");
}

START_TEST(demo_prints_what_the_chapter_shows)
{
    static struct run r;
    static char shown[8192], printed[8192];
    run_program(BUILD_DIR "/waker", NULL, &r);
    ck_assert_msg(WIFEXITED(r.status) && WEXITSTATUS(r.status) == 0,
                  "the demo failed: %s", r.err);
    ck_assert_uint_eq(r.err_len, 0);
    chapter_text_blocks(false, shown, sizeof shown);
    append_nonblank_lines(r.out, printed, sizeof printed);
    ck_assert_msg(strlen(shown) > 1000, "the chapter shows almost no output");
    ck_assert_str_eq(printed, shown);
}
END_TEST

START_TEST(demo_rejects_arguments)
{
    static struct run r;
    run_program(BUILD_DIR "/waker", "--help", &r);
    ck_assert(WIFEXITED(r.status));
    ck_assert_int_eq(WEXITSTATUS(r.status), 2);
    ck_assert_uint_eq(r.out_len, 0);
    ck_assert_ptr_nonnull(strstr(r.err, "takes no arguments"));
}
END_TEST

#ifdef WAKER_TEST_UNDER_ASAN
/* waker-mistake reads freed memory on purpose, so only this build runs it: here the read is
   caught and reported instead of being undefined behaviour. The report must name its parts in
   the order the chapter shows them. */
START_TEST(asan_catches_the_mistake_in_a_real_rc_waker)
{
    static const char *const report[] = {
        "ERROR: AddressSanitizer: heap-use-after-free", "READ of size 8",
        " in rc_waker_wake_by_ref ", " in rc_waker_wake ", " in waker_wake_by_ref ", " in main ",
        "is located 8 bytes inside of 32-byte region", "freed by thread T0 here:",
        " in rc_waker_drop ", " in rc_waker_wake ", " in main ",   /* free's name varies */
    };
    static struct run r;
    static char shown[8192], printed[8192];
    run_program(BUILD_DIR "/waker-mistake", NULL, &r);
    ck_assert_msg(WIFEXITED(r.status) && WEXITSTATUS(r.status) == 1,
                  "waker-mistake was not stopped by AddressSanitizer: %s", r.err);
    chapter_text_blocks(true, shown, sizeof shown);
    append_nonblank_lines(r.out, printed, sizeof printed);
    ck_assert_msg(strlen(shown) > 100, "the chapter does not show waker-mistake's output");
    ck_assert_str_eq(printed, shown);
    const char *at = r.err;
    for (size_t i = 0; i < sizeof report / sizeof report[0]; i++) {
        const char *found = strstr(at, report[i]);
        ck_assert_msg(found != NULL, "no \"%s\" in the report after: %.300s", report[i], at);
        at = found + strlen(report[i]);
    }
}
END_TEST
#endif

static Suite *waker_suite(void)
{
    Suite *s = suite_create("waker");
    TCase *dispatch = tcase_create("dispatch");
    tcase_add_test(dispatch, three_ways_agree);
    tcase_add_test(dispatch, hand_built_table_order_decides);
    tcase_add_test(dispatch, vtable_is_laid_out_like_rusts);
    tcase_add_test(dispatch, box_uses_size_align_and_drop);
    tcase_add_test(dispatch, box_of_a_shape_without_drop);
    tcase_add_test(dispatch, exercise_1_sizes_with_a_third_method);
    TCase *counts = tcase_create("counts");
    tcase_add_test(counts, rc_counts_return_to_zero_for_every_sequence);
    tcase_add_test(counts, tally_counts_return_to_zero_for_every_sequence);
    tcase_add_test(counts, every_sequence_check_catches_the_classic_mistake);
    tcase_add_test(counts, wake_by_ref_leaves_the_count_unchanged);
    tcase_add_test(counts, rc_waker_without_callbacks);
    tcase_add_test(counts, refcount_of_a_foreign_waker_is_minus_one);
    tcase_add_test(counts, will_wake_compares_data_and_table);
    TCase *threads = tcase_create("threads");
    tcase_add_test(threads, atomic_counts_under_concurrent_clone_and_drop);
    tcase_add_test(threads, rc_waker_release_sees_all_writes);
    TCase *demo = tcase_create("demo");
    tcase_add_test(demo, demo_prints_what_the_chapter_shows);
    tcase_add_test(demo, demo_rejects_arguments);
#ifdef WAKER_TEST_UNDER_ASAN
    tcase_add_test(demo, asan_catches_the_mistake_in_a_real_rc_waker);
#endif
    TCase *all[] = { dispatch, counts, threads, demo };
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        tcase_set_timeout(all[i], 60);
        suite_add_tcase(s, all[i]);
    }
    return s;
}

int main(void)
{
    return run_suite(waker_suite());
}
