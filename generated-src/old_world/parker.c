#define _POSIX_C_SOURCE 200809L
#include "old_world/clock.h"
#include "old_world/parker.h"

int ow_parker_init(struct ow_parker *p)
{
    pthread_condattr_t ca;
    int rc = pthread_condattr_init(&ca);
    if (rc != 0)
        return -rc;
    rc = pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    if (rc == 0)
        rc = pthread_cond_init(&p->cond, &ca);
    pthread_condattr_destroy(&ca);
    if (rc != 0)
        return -rc;
    rc = pthread_mutex_init(&p->mutex, NULL);
    if (rc != 0) {
        pthread_cond_destroy(&p->cond);
        return -rc;
    }
    p->notified = false;
    return 0;
}

void ow_parker_destroy(struct ow_parker *p)
{
    pthread_cond_destroy(&p->cond);
    pthread_mutex_destroy(&p->mutex);
}
void ow_parker_park(struct ow_parker *p)
{
    pthread_mutex_lock(&p->mutex);
    while (!p->notified)
        pthread_cond_wait(&p->cond, &p->mutex);
    p->notified = false;
    pthread_mutex_unlock(&p->mutex);
}

bool ow_parker_park_for(struct ow_parker *p, long ms)
{
    struct timespec deadline = ow_clock_after(ms);
    int rc = 0;
    pthread_mutex_lock(&p->mutex);
    while (!p->notified && rc == 0)      /* 0: signalled, or a spurious wake-up */
        rc = pthread_cond_timedwait(&p->cond, &p->mutex, &deadline);
    bool woken = p->notified;
    p->notified = false;
    pthread_mutex_unlock(&p->mutex);
    return woken;
}

void ow_parker_unpark(struct ow_parker *p)
{
    pthread_mutex_lock(&p->mutex);
    p->notified = true;
    pthread_cond_signal(&p->cond);
    pthread_mutex_unlock(&p->mutex);
}
