/* waker.h: a waker is a data pointer plus a table of four functions. */
#ifndef WAKER_WAKER_H
#define WAKER_WAKER_H

#include <stdbool.h>

struct raw_waker_vtable;

/* A handle to a waker. Copying the struct does not add a reference: use waker_clone.
   data may be NULL (a waker with no state of its own); vtable never is, so code that must
   mark "no waker here" sets vtable to NULL. */
struct raw_waker {
    const void *data;                       /* only the vtable's functions read this */
    const struct raw_waker_vtable *vtable;
};

struct raw_waker_vtable {
    struct raw_waker (*clone)(const void *data);  /* adds a reference */
    void (*wake)(const void *data);                /* wakes, consumes the reference */
    void (*wake_by_ref)(const void *data);         /* wakes, keeps the reference */
    void (*drop)(const void *data);                /* releases the reference */
};

/* The caller keeps *w and gets a second handle it must also wake or drop. */
static inline struct raw_waker waker_clone(const struct raw_waker *w)
{
    return w->vtable->clone(w->data);
}

/* Wakes and gives up w: do not use w afterwards. */
static inline void waker_wake(struct raw_waker w)
{
    w.vtable->wake(w.data);
}

/* Wakes; the caller still owns *w. */
static inline void waker_wake_by_ref(const struct raw_waker *w)
{
    w->vtable->wake_by_ref(w->data);
}

/* Gives up w without waking: do not use w afterwards. */
static inline void waker_drop(struct raw_waker w)
{
    w.vtable->drop(w.data);
}

/* True when a and b are handles to the same waker (same data, same functions). */
static inline bool waker_will_wake(const struct raw_waker *a, const struct raw_waker *b)
{
    return a->data == b->data && a->vtable == b->vtable;
}

#endif
