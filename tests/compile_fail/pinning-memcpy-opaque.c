/* expect-error: incomplete type */
/* A caller of box.h tries to copy a box's bytes with memcpy. It must not
   compile: sizeof cannot be applied to an incomplete type. */
#include <string.h>

#include "pinning/box.h"

int main(void)
{
    struct pin_box *box = pin_box_new(1);
    unsigned char copy[64];
    memcpy(copy, box, sizeof *box);
    pin_box_free(box);
    return copy[0];
}
