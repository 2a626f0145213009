/* main-et-level.c: the same scenarios on the future chapter's level-triggered reactor. */
#include "answers/et_scenarios.h"

int main(void) { return et_scenarios_run(NULL); }
