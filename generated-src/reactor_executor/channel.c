#define _POSIX_C_SOURCE 200809L
#include "reactor_executor/channel.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

struct chan {
    pthread_mutex_t lock;       /* guards every field below */
    pthread_cond_t nonempty;    /* signalled when len grows or closed is set */
    uint64_t *ring;             /* cap slots; the queue is ring[head], ring[head+1], ... */
    size_t cap, head, len;      /* ... len of them, indices taken modulo cap */
    bool closed;                /* set once by chan_close; sends fail after it */
};

int chan_new(struct chan **out)
{
    struct chan *c = calloc(1, sizeof *c);
    if (c == NULL)
        return -ENOMEM;
    c->cap = 16;
    c->ring = malloc(c->cap * sizeof *c->ring);
    int err = c->ring == NULL ? ENOMEM : pthread_mutex_init(&c->lock, NULL);
    if (err == 0 && (err = pthread_cond_init(&c->nonempty, NULL)) != 0)
        pthread_mutex_destroy(&c->lock);
    if (err != 0) {
        free(c->ring);
        free(c);
        return -err;
    }
    *out = c;
    return 0;
}
enum chan_status chan_send(struct chan *c, uint64_t msg)
{
    pthread_mutex_lock(&c->lock);
    if (c->closed) {
        pthread_mutex_unlock(&c->lock);
        return CHAN_CLOSED;
    }
    if (c->len == c->cap) {
        uint64_t *bigger = malloc(2 * c->cap * sizeof *bigger);
        if (bigger == NULL) {
            pthread_mutex_unlock(&c->lock);
            return CHAN_NOMEM;
        }
        for (size_t i = 0; i < c->len; i++)
            bigger[i] = c->ring[(c->head + i) % c->cap];
        free(c->ring);
        c->ring = bigger;
        c->head = 0;
        c->cap *= 2;
    }
    c->ring[(c->head + c->len) % c->cap] = msg;
    c->len++;
    pthread_cond_signal(&c->nonempty);
    pthread_mutex_unlock(&c->lock);
    return CHAN_OK;
}
static uint64_t chan_pop(struct chan *c)
{
    uint64_t msg = c->ring[c->head];
    c->head = (c->head + 1) % c->cap;
    c->len--;
    return msg;
}
enum chan_status chan_recv(struct chan *c, uint64_t *msg)
{
    pthread_mutex_lock(&c->lock);
    while (c->len == 0 && !c->closed)
        pthread_cond_wait(&c->nonempty, &c->lock);
    enum chan_status st = CHAN_CLOSED;
    if (c->len > 0) {
        *msg = chan_pop(c);
        st = CHAN_OK;
    }
    pthread_mutex_unlock(&c->lock);
    return st;
}
enum chan_status chan_try_recv(struct chan *c, uint64_t *msg)
{
    pthread_mutex_lock(&c->lock);
    enum chan_status st = c->closed ? CHAN_CLOSED : CHAN_EMPTY;
    if (c->len > 0) {
        *msg = chan_pop(c);
        st = CHAN_OK;
    }
    pthread_mutex_unlock(&c->lock);
    return st;
}
void chan_close(struct chan *c)
{
    pthread_mutex_lock(&c->lock);
    c->closed = true;
    pthread_cond_broadcast(&c->nonempty);
    pthread_mutex_unlock(&c->lock);
}

void chan_free(struct chan *c)
{
    if (c == NULL)
        return;
    pthread_cond_destroy(&c->nonempty);
    pthread_mutex_destroy(&c->lock);
    free(c->ring);
    free(c);
}
