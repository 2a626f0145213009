/* tally_waker.h: a waker that counts instead of freeing, to make counting bugs visible. */
#ifndef WAKER_TALLY_WAKER_H
#define WAKER_TALLY_WAKER_H

#include "waker/waker.h"

struct tally {
    long refs;           /* the references the waker's functions believe exist */
    long wakes;          /* wake-ups delivered */
    long releases;       /* times refs fell to 0: an rc_waker frees its task there */
    long after_release;  /* calls made while refs <= 0: each a use-after-free in an rc_waker */
};

/* Sets *t to one reference and returns its handle. Single-threaded; nothing is ever freed. */
struct raw_waker tally_waker_new(struct tally *t);
/* The same, with the classic mistake in the table: wake_by_ref is wake. */
struct raw_waker tally_waker_new_mistaken(struct tally *t);

#endif
