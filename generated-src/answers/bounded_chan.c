/* bounded_chan.c: a fixed ring, a mutex and two condition variables. */
#define _POSIX_C_SOURCE 200809L
#include "answers/bounded_chan.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

struct bchan {
    pthread_mutex_t lock;        /* guards every field below */
    pthread_cond_t nonempty;     /* signalled when a message arrives or the channel closes */
    pthread_cond_t nonfull;      /* signalled when a message leaves or the channel closes */
    uint64_t *ring;              /* cap slots, len of them in use from head on */
    size_t cap, head, len;
    bool closed;
};

int bchan_new(struct bchan **out, size_t capacity)
{
    if (capacity == 0)
        return -EINVAL;
    struct bchan *c = calloc(1, sizeof *c);
    if (c == NULL)
        return -ENOMEM;
    c->cap = capacity;
    c->ring = calloc(capacity, sizeof *c->ring);
    int err = c->ring == NULL ? ENOMEM : pthread_mutex_init(&c->lock, NULL);
    if (err == 0 && (err = pthread_cond_init(&c->nonempty, NULL)) != 0)
        pthread_mutex_destroy(&c->lock);
    if (err == 0 && (err = pthread_cond_init(&c->nonfull, NULL)) != 0) {
        pthread_cond_destroy(&c->nonempty);
        pthread_mutex_destroy(&c->lock);
    }
    if (err != 0) {
        free(c->ring);
        free(c);
        return -err;
    }
    *out = c;
    return 0;
}

void bchan_free(struct bchan *c)
{
    if (c == NULL)
        return;
    pthread_cond_destroy(&c->nonfull);
    pthread_cond_destroy(&c->nonempty);
    pthread_mutex_destroy(&c->lock);
    free(c->ring);
    free(c);
}

enum chan_status bchan_send(struct bchan *c, uint64_t msg)
{
    pthread_mutex_lock(&c->lock);
    while (c->len == c->cap && !c->closed)
        pthread_cond_wait(&c->nonfull, &c->lock);
    enum chan_status st = CHAN_CLOSED;
    if (!c->closed) {
        c->ring[(c->head + c->len++) % c->cap] = msg;
        pthread_cond_signal(&c->nonempty);
        st = CHAN_OK;
    }
    pthread_mutex_unlock(&c->lock);
    return st;
}

enum chan_status bchan_recv(struct bchan *c, uint64_t *msg)
{
    pthread_mutex_lock(&c->lock);
    while (c->len == 0 && !c->closed)
        pthread_cond_wait(&c->nonempty, &c->lock);
    enum chan_status st = CHAN_CLOSED;
    if (c->len > 0) {
        *msg = c->ring[c->head];
        c->head = (c->head + 1) % c->cap;
        c->len--;
        pthread_cond_signal(&c->nonfull);
        st = CHAN_OK;
    }
    pthread_mutex_unlock(&c->lock);
    return st;
}

void bchan_close(struct bchan *c)
{
    pthread_mutex_lock(&c->lock);
    c->closed = true;
    pthread_cond_broadcast(&c->nonempty);
    pthread_cond_broadcast(&c->nonfull);
    pthread_mutex_unlock(&c->lock);
}
