/* future_demo_output.h: what tests/future-demo.sh makes the main demo print. build/future and
   build/uring must both print exactly this, so both suites compare with this one text. */
#ifndef TESTS_FUTURE_DEMO_OUTPUT_H
#define TESTS_FUTURE_DEMO_OUTPUT_H

static const char demo_output[] =
    "Future2 finished with: Meanwhile, the second pipe gets a few lines of its own.\n"
    "Nothing blocks: both futures wait on one thr\n"
    "Future1 finished with: Hello from the first terminal.\n"
    "Every echo opens the pipe, writes a line and closes it.\n"
    "Only now does\n";

#endif
