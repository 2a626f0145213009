/* expect-error: undefined type|incomplete type */
/* A caller of box.h tries to assign one box to another. It must not compile:
   outside box.c the type is incomplete, and an lvalue of incomplete type is
   not modifiable (C11 6.3.2.1), so it cannot be assigned to. */
#include "pinning/box.h"

int main(void)
{
    struct pin_box *a = pin_box_new(1), *b = pin_box_new(2);
    *b = *a;
    pin_box_free(a);
    pin_box_free(b);
    return 0;
}
