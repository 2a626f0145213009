/* double_square.h: a square whose area counts twice, derived by hand from way 3's square. */
#ifndef ANSWERS_DOUBLE_SQUARE_H
#define ANSWERS_DOUBLE_SQUARE_H

#include "waker/dispatch.h"

struct double_square_obj { struct square_obj base; };

struct double_square_obj double_square_obj_make(double side);

#endif
