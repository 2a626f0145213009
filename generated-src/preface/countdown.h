/* A countdown: the smallest future. Each poll counts down by one; the poll that reaches
   zero reports that the countdown is ready. */
#ifndef PREFACE_COUNTDOWN_H
#define PREFACE_COUNTDOWN_H

enum countdown_status { COUNTDOWN_PENDING, COUNTDOWN_READY };

struct countdown {
    int remaining;      /* polls left before the countdown is ready */
};

struct countdown countdown_new(int polls);
enum countdown_status countdown_poll(struct countdown *c);

#endif
