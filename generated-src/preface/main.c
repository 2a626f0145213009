/* The preface's demo: poll a countdown until it is ready, printing each answer. */
#include <stdio.h>
#include <stdlib.h>

#include "preface/countdown.h"

int main(int argc, char **argv)
{
    /* NOLINTNEXTLINE(cert-err34-c): atoi accepts 12abc; issue 14 replaces it with strtol */
    int polls = argc > 1 ? atoi(argv[1]) : 3;
    struct countdown c = countdown_new(polls);
    for (int round = 1;; round++) {
        if (countdown_poll(&c) == COUNTDOWN_READY) {
            printf("poll %d: ready\n", round);
            return EXIT_SUCCESS;
        }
        printf("poll %d: pending\n", round);
    }
}
