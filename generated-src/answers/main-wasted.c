/* main-wasted.c: the preface's polling loop, counting the polls that found nothing to do. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

#include "preface/countdown.h"

int main(int argc, char **argv)
{
    long polls = 3;
    if (argc > 1) {
        char *end;
        polls = strtol(argv[1], &end, 10);
        if (argc > 2 || end == argv[1] || *end != '\0' || polls < 0 || polls > INT_MAX) {
            fprintf(stderr, "usage: answers-wasted [POLLS]   (POLLS: a whole number, 0 or more)\n");
            return 2;
        }
    }
    struct countdown c = countdown_new((int)polls);
    long wasted = 0;
    while (countdown_poll(&c) == COUNTDOWN_PENDING)
        wasted++;
    printf("ready after %ld polls, %ld of them wasted\n", wasted + 1, wasted);
    return EXIT_SUCCESS;
}
