/* main-pingpong-poll.c: the measuring chapter's ping-pong on the future runtime, compiled
   again and linked with the io_uring reactor: each end waits with IORING_OP_POLL_ADD. */
#include "uring/choose.h"
/* NOLINTNEXTLINE(bugprone-suspicious-include): the same program, compiled a second time */
#include "measuring/main-pingpong-runtime.c"
