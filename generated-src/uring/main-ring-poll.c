/* main-ring-poll.c: the measuring chapter's ring on the future runtime, compiled again and
   linked with the io_uring reactor: ReadNChars waits for readiness with IORING_OP_POLL_ADD. */
#include "uring/choose.h"
/* NOLINTNEXTLINE(bugprone-suspicious-include): the same program, compiled a second time */
#include "measuring/main-future.c"
