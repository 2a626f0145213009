/* clock.h: deadlines and elapsed time on CLOCK_MONOTONIC. */
#ifndef OLD_WORLD_CLOCK_H
#define OLD_WORLD_CLOCK_H

#include <stdbool.h>
#include <time.h>

struct timespec ow_clock_after(long ms);          /* now + ms; a negative ms counts as 0 */
bool ow_clock_passed(const struct timespec *deadline);
double ow_clock_seconds(void);                    /* now, for measuring intervals */

#endif
