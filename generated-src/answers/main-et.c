/* main-et.c: the three scenarios on the edge-triggered reactor with readiness kept. */
#include "answers/choose_et.h"
#include "answers/et_scenarios.h"

int main(void) { return et_scenarios_run(et_reactor_drained); }
