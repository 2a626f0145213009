/* main-wasted.c: the preface's polling loop, counting the polls that found nothing to do. */
#include <stdio.h>
#include <stdlib.h>

#include "preface/countdown.h"
#include "preface/number.h"

int main(int argc, char **argv)
{
    long polls = 3;
    if (argc > 2 || (argc == 2 && number_parse("answers-wasted", "POLLS", argv[1], 0, 1000000,
                                                &polls) < 0)) {
        fprintf(stderr, "usage: answers-wasted [POLLS]\n");
        return 2;
    }
    struct countdown c = countdown_new((int)polls);
    long wasted = 0;
    while (countdown_poll(&c) == COUNTDOWN_PENDING)
        wasted++;
    printf("ready after %ld polls, %ld of them wasted\n", wasted + 1, wasted);
    return EXIT_SUCCESS;
}
