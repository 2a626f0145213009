/* test_old_world.c: the thread-based runtime of the old_world chapter. */
#define _POSIX_C_SOURCE 200809L
#include <check.h>

#include "check_support.h"
#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "old_world/all.h"
#include "old_world/block_on.h"
#include "old_world/clock.h"
#include "old_world/parker.h"
#include "old_world/reactor.h"
#include "old_world/task.h"
#include "waker/rc_waker.h"

#ifndef BUILD_DIR
#define BUILD_DIR "build"
#endif

extern char **environ;

/* ---- a waker that counts its wakes and releases, and unparks a parker ---- */

struct counting {
    atomic_int wakes, releases;
    struct ow_parker parker;      /* unparked on every wake */
};

static void counting_wake(void *arg)
{
    struct counting *c = arg;
    atomic_fetch_add(&c->wakes, 1);
    ow_parker_unpark(&c->parker);
}

static void counting_release(void *arg)
{
    struct counting *c = arg;
    atomic_fetch_add(&c->releases, 1);
}

static struct raw_waker counting_waker(struct counting *c)
{
    atomic_init(&c->wakes, 0);
    atomic_init(&c->releases, 0);
    ck_assert_int_eq(ow_parker_init(&c->parker), 0);
    return rc_waker_new(counting_wake, c, counting_release);
}

static struct ow_reactor *new_reactor(void)
{
    struct ow_reactor *r = NULL;
    ck_assert_int_eq(ow_reactor_new(&r), 0);
    return r;
}

static enum ow_poll poll_task(struct ow_task *t, const struct raw_waker *w)
{
    return t->future.poll(&t->future, w);
}

/* ---- parker ---- */

START_TEST(unpark_before_park_is_kept_once)
{
    struct ow_parker p;
    ck_assert_int_eq(ow_parker_init(&p), 0);
    ow_parker_unpark(&p);
    ow_parker_unpark(&p);                       /* two unparks fold into one */
    ck_assert(ow_parker_park_for(&p, 5000));    /* returns at once: the flag was set */
    ck_assert(!ow_parker_park_for(&p, 20));     /* consumed: this one times out */
    ow_parker_destroy(&p);
}
END_TEST

enum { PING_PONG_ROUNDS = 20000 };

struct ping_pong {
    struct ow_parker ping, pong;
    atomic_int lost;
};

static void *pong_thread(void *arg)
{
    struct ping_pong *pp = arg;
    for (int i = 0; i < PING_PONG_ROUNDS; i++) {
        if (!ow_parker_park_for(&pp->ping, 5000)) {
            atomic_store(&pp->lost, 1);
            return NULL;
        }
        ow_parker_unpark(&pp->pong);
    }
    return NULL;
}

START_TEST(ping_pong_loses_no_wake_up)
{
    struct ping_pong pp;
    atomic_init(&pp.lost, 0);
    ck_assert_int_eq(ow_parker_init(&pp.ping), 0);
    ck_assert_int_eq(ow_parker_init(&pp.pong), 0);
    pthread_t t;
    ck_assert_int_eq(pthread_create(&t, NULL, pong_thread, &pp), 0);
    int i = 0;
    for (; i < PING_PONG_ROUNDS && !atomic_load(&pp.lost); i++) {
        ow_parker_unpark(&pp.ping);
        if (!ow_parker_park_for(&pp.pong, 5000))
            break;
    }
    pthread_join(t, NULL);
    ck_assert_msg(i == PING_PONG_ROUNDS && !atomic_load(&pp.lost),
                  "a wake-up was lost in round %d", i);
    ow_parker_destroy(&pp.ping);
    ow_parker_destroy(&pp.pong);
}
END_TEST

enum { COUNTERS = 4, COUNTS_EACH = 5000 };

struct counter_run {
    struct ow_parker parker;
    atomic_int count;
};

static void *counter_thread(void *arg)
{
    struct counter_run *run = arg;
    for (int i = 0; i < COUNTS_EACH; i++) {
        atomic_fetch_add(&run->count, 1);       /* the event ... */
        ow_parker_unpark(&run->parker);         /* ... then the wake-up */
    }
    return NULL;
}

/* The executor's pattern: check for progress, park if there is none. A wake-up that lands
   between the check and the park must end the park. */
START_TEST(check_then_park_sees_every_event)
{
    struct counter_run run;
    atomic_init(&run.count, 0);
    ck_assert_int_eq(ow_parker_init(&run.parker), 0);
    pthread_t t[COUNTERS];
    for (int i = 0; i < COUNTERS; i++)
        ck_assert_int_eq(pthread_create(&t[i], NULL, counter_thread, &run), 0);
    while (atomic_load(&run.count) < COUNTERS * COUNTS_EACH)
        ck_assert_msg(ow_parker_park_for(&run.parker, 5000),
                      "parked with count %d: a wake-up was lost", atomic_load(&run.count));
    for (int i = 0; i < COUNTERS; i++)
        pthread_join(t[i], NULL);
    ow_parker_destroy(&run.parker);
}
END_TEST

/* ---- a negative duration ---- */

/* A negative duration counts as zero: a valid deadline (0 <= tv_nsec < 1 s) that has passed.
   Before, ms % 1000 made tv_nsec negative whenever the clock's nanoseconds were below
   -(ms % 1000) ms, 999 times in 1000 for -999. */
START_TEST(negative_duration_gives_a_valid_deadline_that_has_passed)
{
    for (long ms = -1; ms >= -1999; ms -= 499) {
        struct timespec d = ow_clock_after(ms);
        ck_assert_msg(d.tv_nsec >= 0 && d.tv_nsec < 1000000000L,
                      "ow_clock_after(%ld) has tv_nsec %ld", ms, (long)d.tv_nsec);
        ck_assert(ow_clock_passed(&d));
    }
}
END_TEST

/* With an invalid deadline pthread_cond_timedwait fails with EINVAL, and a loop that waited
   for ETIMEDOUT spun until the tcase's timeout. Now the park ends at once, unwoken. */
START_TEST(park_for_a_negative_duration_returns_at_once)
{
    struct ow_parker p;
    ck_assert_int_eq(ow_parker_init(&p), 0);
    ck_assert(!ow_parker_park_for(&p, -999));
    ow_parker_unpark(&p);
    ck_assert(ow_parker_park_for(&p, -999));       /* an earlier unpark is still seen */
    ow_parker_destroy(&p);
}
END_TEST

/* ---- wakers and reference counts ---- */

START_TEST(newest_waker_is_the_one_woken)
{
    struct ow_reactor *r = new_reactor();
    struct counting a, b;
    struct raw_waker wa = counting_waker(&a), wb = counting_waker(&b);
    struct ow_task t;
    ck_assert_int_eq(ow_task_init(&t, r, 1, 3600 * 1000L), 0);
    ck_assert_int_eq(poll_task(&t, &wa), OW_PENDING);
    ck_assert_int_eq(rc_waker_refcount(&wa), 2);       /* ours and the reactor's */
    ck_assert_int_eq(poll_task(&t, &wb), OW_PENDING);
    ck_assert_int_eq(rc_waker_refcount(&wa), 1);       /* the old one was dropped */
    ck_assert_int_eq(rc_waker_refcount(&wb), 2);
    ow_reactor_expire(r, 1);
    ck_assert_msg(ow_parker_park_for(&b.parker, 5000), "the newest waker was not woken");
    ck_assert_int_eq(atomic_load(&b.wakes), 1);
    ck_assert_int_eq(atomic_load(&a.wakes), 0);
    ck_assert_int_eq(poll_task(&t, &wb), OW_READY);
    ck_assert_int_eq(t.err, 0);
    ck_assert_int_eq(poll_task(&t, &wb), OW_READY);    /* finished: ready again, harmless */
    ow_task_drop(&t);
    /* The timer thread drops its reference after on_wake returns, so only once it is
       joined is the count certain: ours alone. */
    ow_reactor_free(r, NULL);
    ck_assert_int_eq(rc_waker_refcount(&wa), 1);
    ck_assert_int_eq(rc_waker_refcount(&wb), 1);
    waker_drop(wa);
    waker_drop(wb);
    ck_assert_int_eq(atomic_load(&a.releases), 1);
    ck_assert_int_eq(atomic_load(&b.releases), 1);
    ck_assert_int_eq(atomic_load(&a.wakes), 0);
}
END_TEST

START_TEST(refcounts_return_after_drop_and_free)
{
    struct ow_reactor *r = new_reactor();
    struct counting c;
    struct raw_waker w = counting_waker(&c);
    struct ow_task dropped, pending;
    ck_assert_int_eq(ow_task_init(&dropped, r, 1, 3600 * 1000L), 0);
    ck_assert_int_eq(ow_task_init(&pending, r, 2, 3600 * 1000L), 0);
    ck_assert_int_eq(poll_task(&dropped, &w), OW_PENDING);
    ck_assert_int_eq(poll_task(&dropped, &w), OW_PENDING);  /* same waker again */
    ck_assert_int_eq(poll_task(&pending, &w), OW_PENDING);
    ck_assert_int_eq(rc_waker_refcount(&w), 3);
    ow_task_drop(&dropped);                         /* a pending task gives its clone back */
    ck_assert_int_eq(rc_waker_refcount(&w), 2);
    struct ow_reactor_stats stats;
    ow_reactor_free(r, &stats);                     /* so does a reactor with a pending task */
    ck_assert_int_eq(rc_waker_refcount(&w), 1);
    ck_assert_int_eq(atomic_load(&c.wakes), 0);     /* shutdown wakes nobody */
    ck_assert_uint_eq(stats.timers_started, stats.timers_joined);
    waker_drop(w);
    ck_assert_int_eq(atomic_load(&c.releases), 1);
}
END_TEST

/* A waker whose data pointer is NULL, like Rust's Waker::noop: all its state is here, and
   each of its functions counts what it does to the references it stands for. */
static atomic_int null_data_clones, null_data_wakes, null_data_gone;
static struct ow_parker null_data_woken;

static struct raw_waker null_data_clone(const void *data);

static void null_data_wake_by_ref(const void *data)
{
    (void)data;
    atomic_fetch_add(&null_data_wakes, 1);
    ow_parker_unpark(&null_data_woken);
}

static void null_data_drop(const void *data)
{
    (void)data;
    atomic_fetch_add(&null_data_gone, 1);
}

static void null_data_wake(const void *data)
{
    null_data_wake_by_ref(data);
    null_data_drop(data);
}

static const struct raw_waker_vtable null_data_vtable = {
    .clone = null_data_clone, .wake = null_data_wake,
    .wake_by_ref = null_data_wake_by_ref, .drop = null_data_drop,
};

static struct raw_waker null_data_clone(const void *data)
{
    (void)data;
    atomic_fetch_add(&null_data_clones, 1);
    return (struct raw_waker){ .data = NULL, .vtable = &null_data_vtable };
}

/* "No waker" is a NULL vtable, never a NULL data pointer: this waker must be woken, and every
   clone the reactor takes must be given back. */
START_TEST(null_data_waker_is_woken_once_and_every_clone_dropped)
{
    ck_assert_int_eq(ow_parker_init(&null_data_woken), 0);
    struct ow_reactor *r = new_reactor();
    struct raw_waker w = { .data = NULL, .vtable = &null_data_vtable };
    struct ow_task t;
    ck_assert_int_eq(ow_task_init(&t, r, 1, 3600 * 1000L), 0);
    ck_assert_int_eq(poll_task(&t, &w), OW_PENDING);
    ow_reactor_expire(r, 1);
    ck_assert_msg(ow_parker_park_for(&null_data_woken, 5000),
                  "a waker with a NULL data pointer was never woken");
    ck_assert_int_eq(poll_task(&t, &w), OW_READY);
    ow_task_drop(&t);
    ow_reactor_free(r, NULL);                      /* joins the timer thread */
    ck_assert_int_eq(atomic_load(&null_data_wakes), 1);
    ck_assert_int_eq(atomic_load(&null_data_gone), atomic_load(&null_data_clones));
    ow_parker_destroy(&null_data_woken);
}
END_TEST

struct inline_poll {
    struct ow_task *task;
    struct ow_parker done;
    atomic_int result;
};

static void inline_poll_wake(void *arg)
{
    struct inline_poll *ip = arg;
    struct raw_waker none = rc_waker_new(NULL, NULL, NULL);
    atomic_store(&ip->result, (int)poll_task(ip->task, &none));   /* poll right here */
    waker_drop(none);
    ow_parker_unpark(&ip->done);
}

/* If the reactor called wake while holding its lock, this poll would lock it twice and the
   error-checking mutex would abort the test with a message. */
START_TEST(wake_may_poll_the_task_inline)
{
    struct ow_reactor *r = new_reactor();
    struct ow_task t;
    struct inline_poll ip = { .task = &t };
    atomic_init(&ip.result, -1);
    ck_assert_int_eq(ow_parker_init(&ip.done), 0);
    ck_assert_int_eq(ow_task_init(&t, r, 1, 3600 * 1000L), 0);
    struct raw_waker w = rc_waker_new(inline_poll_wake, &ip, NULL);
    ck_assert_int_eq(poll_task(&t, &w), OW_PENDING);
    ow_reactor_expire(r, 1);
    ck_assert(ow_parker_park_for(&ip.done, 5000));
    ck_assert_int_eq(atomic_load(&ip.result), OW_READY);
    ow_task_drop(&t);
    ow_reactor_free(r, NULL);
    waker_drop(w);
    ow_parker_destroy(&ip.done);
}
END_TEST

/* ---- ids ---- */

START_TEST(duplicate_id_is_refused_until_dropped)
{
    struct ow_reactor *r = new_reactor();
    struct ow_task first, second, bad;
    ck_assert_int_eq(ow_task_init(&bad, r, 9, -1), -EINVAL);
    ck_assert_int_eq(ow_task_init(&first, r, 5, 3600 * 1000L), 0);
    ck_assert_int_eq(ow_task_init(&second, r, 5, 10), -EEXIST);
    struct counting old, fresh;
    struct raw_waker wold = counting_waker(&old), wfresh = counting_waker(&fresh);
    ck_assert_int_eq(poll_task(&first, &wold), OW_PENDING);   /* its timer is running */
    ow_task_drop(&first);
    ck_assert_int_eq(ow_task_init(&second, r, 5, 3600 * 1000L), 0);
    ck_assert_int_eq(poll_task(&second, &wfresh), OW_PENDING);
    ow_reactor_expire(r, 5);                 /* wakes every timer thread; only one may fire */
    ck_assert(ow_parker_park_for(&fresh.parker, 5000));
    ow_task_drop(&second);
    struct ow_reactor_stats stats;
    ow_reactor_free(r, &stats);              /* joins the old timer too */
    ck_assert_int_eq(atomic_load(&fresh.wakes), 1);
    ck_assert_int_eq(atomic_load(&old.wakes), 0);
    ck_assert_uint_eq(stats.timers_started, stats.timers_joined);
    waker_drop(wold);
    waker_drop(wfresh);
    ck_assert_int_eq(atomic_load(&old.releases) + atomic_load(&fresh.releases), 2);
}
END_TEST

/* The number of threads of this process: Linux lists one directory per thread in
   /proc/self/task (proc(5)), and a thread's entry goes when it ends, joined or not. */
static int thread_count(void)
{
    DIR *d = opendir("/proc/self/task");
    ck_assert(d != NULL);
    int n = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;)
        n += e->d_name[0] != '.';
    closedir(d);
    return n;
}

/* Waits, for at most 5 s, until the process has n threads. */
static bool threads_become(int n)
{
    for (int i = 0; i < 5000 && thread_count() != n; i++)
        nanosleep(&(struct timespec){ 0, 1000000L }, NULL);
    return thread_count() == n;
}

/* The serial: task A's timer waits when A is dropped and B claims the same id. A's timer must
   then end the next time it wakes, instead of staying on as a second timer for B. An expiry
   of a third task C wakes every timer thread; seeing C woken also means that B's timer thread
   exists, because the reactor thread starts timers in the order of the first polls. All other
   deadlines are an hour away: without the serial, A's and B's timers would both stay. */
START_TEST(dropped_tasks_timer_ends_and_leaves_the_new_task_alone)
{
    struct ow_reactor *r = new_reactor();
    int before = thread_count();
    struct counting old, fresh, other;
    struct raw_waker wold = counting_waker(&old), wfresh = counting_waker(&fresh),
                     wother = counting_waker(&other);
    struct ow_task a, b, c;
    ck_assert_int_eq(ow_task_init(&a, r, 5, 3600 * 1000L), 0);
    ck_assert_int_eq(poll_task(&a, &wold), OW_PENDING);
    ck_assert_msg(threads_become(before + 1), "A's timer thread did not start");
    ow_task_drop(&a);
    ck_assert_int_eq(ow_task_init(&b, r, 5, 3600 * 1000L), 0);
    ck_assert_int_eq(poll_task(&b, &wfresh), OW_PENDING);
    ck_assert_int_eq(ow_task_init(&c, r, 6, 3600 * 1000L), 0);
    ck_assert_int_eq(poll_task(&c, &wother), OW_PENDING);
    ow_reactor_expire(r, 6);
    ck_assert(ow_parker_park_for(&other.parker, 5000));
    ck_assert_msg(threads_become(before + 1), "%d timer threads left; only B's should be",
                  thread_count() - before);
    ck_assert_int_eq(atomic_load(&fresh.wakes), 0);
    ow_reactor_expire(r, 5);                /* B's own timer still works */
    ck_assert(ow_parker_park_for(&fresh.parker, 5000));
    ck_assert_int_eq(poll_task(&b, &wfresh), OW_READY);
    ow_task_drop(&c);
    ow_task_drop(&b);
    ow_reactor_free(r, NULL);
    ck_assert_int_eq(atomic_load(&old.wakes), 0);
    ck_assert_int_eq(atomic_load(&fresh.wakes), 1);
    waker_drop(wold);
    waker_drop(wfresh);
    waker_drop(wother);
}
END_TEST

/* ---- a timer thread that cannot start ---- */

/* Sanitizers reserve terabytes of address space, so an address-space limit is only
   usable in the plain build. */
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define OW_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define OW_SANITIZED 1
#endif
#endif

#ifndef OW_SANITIZED
static unsigned long vm_size_kib(void)
{
    char line[256];
    unsigned long kib = 0;
    FILE *f = fopen("/proc/self/status", "r");
    ck_assert(f != NULL);
    while (fgets(line, sizeof line, f) != NULL)
        if (sscanf(line, "VmSize: %lu kB", &kib) == 1)
            break;
    fclose(f);
    ck_assert_uint_gt(kib, 0);
    return kib;
}

/* With the address space capped just above what the process uses, the reactor thread cannot
   map a stack for a timer thread: pthread_create fails, and the task must become ready with
   the error instead of waiting forever. */
START_TEST(timer_that_cannot_start_makes_the_task_ready_with_its_error)
{
    struct ow_reactor *r = new_reactor();
    struct counting c;
    struct raw_waker w = counting_waker(&c);
    struct ow_task t;
    ck_assert_int_eq(ow_task_init(&t, r, 1, 3600 * 1000L), 0);
    struct rlimit old, low;
    ck_assert_int_eq(getrlimit(RLIMIT_AS, &old), 0);
    low = old;
    low.rlim_cur = (vm_size_kib() + 1024) * 1024;
    ck_assert_int_eq(setrlimit(RLIMIT_AS, &low), 0);
    enum ow_poll first = poll_task(&t, &w);
    bool woken = ow_parker_park_for(&c.parker, 5000);
    ck_assert_int_eq(setrlimit(RLIMIT_AS, &old), 0);
    ck_assert_int_eq(first, OW_PENDING);
    ck_assert_msg(woken, "the task was not woken when its timer could not start");
    ck_assert_int_eq(poll_task(&t, &w), OW_READY);
    ck_assert_int_eq(t.err, -EAGAIN);
    ow_task_drop(&t);
    struct ow_reactor_stats stats;
    ow_reactor_free(r, &stats);
    ck_assert_uint_eq(stats.timers_started, 0);
    ck_assert_int_eq(rc_waker_refcount(&w), 1);
    waker_drop(w);
}
END_TEST
#endif

/* ---- timing and shutdown ---- */

static double run_two(struct ow_reactor *r, enum ow_all_mode mode, long ms1, long ms2)
{
    struct ow_task t[2];
    ck_assert_int_eq(ow_task_init(&t[0], r, 1, ms1), 0);
    ck_assert_int_eq(ow_task_init(&t[1], r, 2, ms2), 0);
    struct ow_future *children[2] = { &t[0].future, &t[1].future };
    struct ow_all all;
    ow_all_init(&all, children, 2, mode, NULL, NULL);
    double start = ow_clock_seconds();
    ck_assert_int_eq(ow_block_on(&all.future), 0);
    double took = ow_clock_seconds() - start;
    ck_assert(children[0] == NULL && children[1] == NULL);
    ow_task_drop(&t[1]);
    ow_task_drop(&t[0]);
    return took;
}

/* Scaled down from 1 s and 2 s to keep the suite fast; the demo test uses the real ones. */
START_TEST(one_after_another_adds_up_concurrent_overlaps)
{
    struct ow_reactor *r = new_reactor();
    double seq = run_two(r, OW_ONE_AFTER_ANOTHER, 250, 500);
    double conc = run_two(r, OW_CONCURRENTLY, 250, 500);
    struct ow_reactor_stats stats;
    ow_reactor_free(r, &stats);
    ck_assert_msg(seq >= 0.75, "one after the other took %.3f s, less than 250 + 500 ms", seq);
    ck_assert_msg(conc >= 0.5, "concurrently took %.3f s, less than the longer task", conc);
    /* Overlap shows as concurrently finishing well before one after the other (0.5 s against
       0.75 s). Compared with each other, not with 0.75 s, so that a slow machine or valgrind,
       which delay both runs alike, cannot fail it. */
    ck_assert_msg(conc < seq - 0.1, "concurrently took %.3f s, one after the other %.3f s: "
                  "the timers did not overlap", conc, seq);
    ck_assert_uint_eq(stats.timers_started, 4);
    ck_assert_uint_eq(stats.timers_joined, 4);
}
END_TEST

START_TEST(shutdown_ends_waiting_timers_and_joins_them)
{
    struct ow_reactor *r = new_reactor();
    struct counting c;
    struct raw_waker w = counting_waker(&c);
    struct ow_task t[3];
    for (unsigned long i = 0; i < 3; i++) {
        ck_assert_int_eq(ow_task_init(&t[i], r, i, 3600 * 1000L), 0);
        ck_assert_int_eq(poll_task(&t[i], &w), OW_PENDING);
    }
    /* Make sure the timer threads exist: expiring task 0 and seeing its wake means the
       reactor thread has taken the requests off the channel in order up to it. */
    ow_reactor_expire(r, 0);
    ck_assert(ow_parker_park_for(&c.parker, 5000));
    double start = ow_clock_seconds();
    struct ow_reactor_stats stats;
    ow_reactor_free(r, &stats);
    double took = ow_clock_seconds() - start;
    ck_assert_msg(took < 2.0, "shutdown took %.2f s: it waited for the timers", took);
    ck_assert_uint_ge(stats.timers_started, 1);
    ck_assert_uint_eq(stats.timers_started, stats.timers_joined);
    ck_assert_int_eq(atomic_load(&c.wakes), 1);
    ck_assert_int_eq(rc_waker_refcount(&w), 1);
    waker_drop(w);
    ck_assert_int_eq(atomic_load(&c.releases), 1);
}
END_TEST

START_TEST(free_of_idle_and_null_reactor)
{
    ow_reactor_free(NULL, NULL);
    struct ow_reactor_stats stats = { 7, 7 };
    ow_reactor_free(new_reactor(), &stats);
    ck_assert_uint_eq(stats.timers_started, 0);
    ck_assert_uint_eq(stats.timers_joined, 0);
}
END_TEST

/* ---- the demos ---- */

/* Runs argv with stdout and stderr into out, for at most seconds; returns the exit status
   (or -1 if it did not end in time or was killed by a signal). */
static int run_program(char *const argv[], char *out, size_t outlen, double seconds)
{
    int fds[2];
    ck_assert_int_eq(pipe(fds), 0);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
    posix_spawn_file_actions_adddup2(&fa, fds[1], 2);
    posix_spawn_file_actions_addclose(&fa, fds[0]);
    pid_t pid;
    int rc = posix_spawn(&pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(fds[1]);
    ck_assert_msg(rc == 0, "cannot run %s: %s", argv[0], strerror(rc));
    size_t len = 0;
    double deadline = ow_clock_seconds() + check_deadline_seconds(seconds);
    for (;;) {
        double left = deadline - ow_clock_seconds();
        struct pollfd pfd = { fds[0], POLLIN, 0 };
        if (left <= 0 || poll(&pfd, 1, (int)(left * 1000) + 1) == 0) {
            kill(pid, SIGKILL);
            break;
        }
        ssize_t n = read(fds[0], out + len, outlen - 1 - len);
        if (n <= 0)
            break;
        len += (size_t)n;
    }
    out[len] = '\0';
    close(fds[0]);
    int status;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* Finds the line that starts with prefix (after spaces) and reads the number after it. */
static double number_after(const char *out, const char *prefix)
{
    const char *p = strstr(out, prefix);
    ck_assert_msg(p != NULL, "no line with '%s' in:\n%s", prefix, out);
    return strtod(p + strlen(prefix), NULL);
}

START_TEST(demo_output_with_one_and_two_seconds)
{
    char out[4096];
    char *argv[] = { BUILD_DIR "/old_world", NULL };
    ck_assert_int_eq(run_program(argv, out, sizeof out, 15), 0);
    const char *seq = strstr(out, "one after the other:\n");
    const char *conc = strstr(out, "concurrently:\n");
    ck_assert_msg(seq != NULL && conc != NULL && seq < conc, "unexpected output:\n%s", out);
    double t1 = number_after(seq, "task 1 (1000 ms) finished at ");
    double t2 = number_after(seq, "task 2 (2000 ms) finished at ");
    double seq_total = number_after(seq, "total: ");
    double t3 = number_after(conc, "task 3 (1000 ms) finished at ");
    double t4 = number_after(conc, "task 4 (2000 ms) finished at ");
    double conc_total = number_after(conc, "total: ");
    ck_assert_msg(t1 >= 0.99 && t1 < 1.6, "task 1 at %.2f s", t1);
    ck_assert_msg(t2 > 2.9, "one after the other: task 2 at %.2f s", t2);
    ck_assert_msg(seq_total > 2.9 && seq_total >= t2, "one after the other: %.2f s", seq_total);
    ck_assert_msg(t3 >= 0.99 && t3 < 1.6, "task 3 at %.2f s", t3);
    ck_assert_msg(t4 >= 1.99 && conc_total < 2.6, "concurrently: task 4 at %.2f s, total %.2f s",
                  t4, conc_total);
    ck_assert_msg(strstr(conc, "\nthreads: 1 reactor and 4 timers started, 4 timers joined\n"),
                  "unexpected output:\n%s", out);
}
END_TEST

START_TEST(demo_rejects_a_bad_duration)
{
    char out[1024];
    char *argv[] = { BUILD_DIR "/old_world", "1000", "2s", NULL };
    ck_assert_int_eq(run_program(argv, out, sizeof out, 5), 2);
    ck_assert_str_eq(out, "old_world: '2s' is not a duration; give milliseconds from 0 to"
                          " 60000, e.g.: old_world 1000 2000\n");
}
END_TEST

START_TEST(lostwake_demo_output)
{
    char out[1024];
    char *argv[] = { BUILD_DIR "/old_world-lostwake", NULL };
    ck_assert_int_eq(run_program(argv, out, sizeof out, 10), 0);
    ck_assert_str_eq(out, "a wake-up arrives after \"pending\" and before \"park\":\n"
                          "  condition variable alone:     wake-up lost (gave up after 500 ms)\n"
                          "  condition variable and flag:  woken\n");
}
END_TEST

START_TEST(wakelock_demo_output)
{
    char out[1024];
    char *argv[] = { BUILD_DIR "/old_world-wakelock", NULL };
    ck_assert_int_eq(run_program(argv, out, sizeof out, 10), 0);
    ck_assert_str_eq(out, "a timer marks its task ready and wakes a waker that polls the task at"
                          " once:\n"
                          "  wake after the unlock:              polled at once: ready\n"
                          "  wake under an error-checking lock:  the poll's lock fails with"
                          " EDEADLK\n"
                          "  wake under a normal lock:           the poll waits for its own"
                          " thread (gave up after 500 ms)\n");
}
END_TEST

/* Runs the program as the chapter shows it, with its default of 500 tasks. */
START_TEST(many_demo_starts_a_thread_per_task)
{
    char out[1024];
    char *argv[] = { BUILD_DIR "/old_world-many", NULL };
    ck_assert_int_eq(run_program(argv, out, sizeof out, 25), 0);
    ck_assert_msg(strstr(out, "500 tasks of 200 ms, concurrently: done in ") == out,
                  "unexpected output:\n%s", out);
    ck_assert_msg(strstr(out, "\ntimer threads: 500 started (one per task), 500 joined\n"),
                  "unexpected output:\n%s", out);
    const char *stack = strstr(out, "\nstack reserved for them: 500 x ");
    ck_assert_msg(stack != NULL, "unexpected output:\n%s", out);
    unsigned long kib = 0, mib = 0;
    ck_assert_int_eq(sscanf(stack, "\nstack reserved for them: 500 x %lu KiB = %lu MiB", &kib,
                            &mib), 2);
    ck_assert_uint_eq(mib, 500 * kib / 1024);
}
END_TEST

START_TEST(duplicate_demo_output)
{
    char out[1024];
    char *argv[] = { BUILD_DIR "/old_world-duplicate", NULL };
    ck_assert_int_eq(run_program(argv, out, sizeof out, 5), 1);
    ck_assert_str_eq(out, "task 7: made\ntask 7 again: id 7 is in use by a live task; drop that"
                          " task first, or pick another id\n");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("old_world");
    TCase *parker = tcase_create("parker");
    tcase_add_test(parker, unpark_before_park_is_kept_once);
    tcase_add_test(parker, ping_pong_loses_no_wake_up);
    tcase_add_test(parker, check_then_park_sees_every_event);
    tcase_set_timeout(parker, 60);
    suite_add_tcase(s, parker);
    TCase *clock = tcase_create("negative durations");
    tcase_add_test(clock, negative_duration_gives_a_valid_deadline_that_has_passed);
    tcase_add_test(clock, park_for_a_negative_duration_returns_at_once);
    tcase_set_timeout(clock, 5);
    suite_add_tcase(s, clock);
    TCase *reactor = tcase_create("reactor");
    tcase_add_test(reactor, newest_waker_is_the_one_woken);
    tcase_add_test(reactor, refcounts_return_after_drop_and_free);
    tcase_add_test(reactor, null_data_waker_is_woken_once_and_every_clone_dropped);
    tcase_add_test(reactor, wake_may_poll_the_task_inline);
    tcase_add_test(reactor, duplicate_id_is_refused_until_dropped);
    tcase_add_test(reactor, dropped_tasks_timer_ends_and_leaves_the_new_task_alone);
    tcase_add_test(reactor, one_after_another_adds_up_concurrent_overlaps);
    tcase_add_test(reactor, shutdown_ends_waiting_timers_and_joins_them);
    tcase_add_test(reactor, free_of_idle_and_null_reactor);
#ifndef OW_SANITIZED
    tcase_add_test(reactor, timer_that_cannot_start_makes_the_task_ready_with_its_error);
#endif
    tcase_set_timeout(reactor, 20);
    suite_add_tcase(s, reactor);
    TCase *demos = tcase_create("demos");
    tcase_add_test(demos, demo_output_with_one_and_two_seconds);
    tcase_add_test(demos, demo_rejects_a_bad_duration);
    tcase_add_test(demos, lostwake_demo_output);
    tcase_add_test(demos, wakelock_demo_output);
    tcase_add_test(demos, many_demo_starts_a_thread_per_task);
    tcase_add_test(demos, duplicate_demo_output);
    tcase_set_timeout(demos, 30);
    suite_add_tcase(s, demos);
    return run_suite(s);
}
