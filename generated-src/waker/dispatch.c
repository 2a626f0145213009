/* dispatch.c: squares and circles behind the three kinds of dispatch. */
#include "waker/dispatch.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const double shape_pi = 3.14159265358979323846;

static double square_inline_area(const struct shape_inline *self)
{
    const struct square_inline *sq = (const struct square_inline *)self;
    return sq->side * sq->side;
}

static double square_inline_perimeter(const struct shape_inline *self)
{
    return 4 * ((const struct square_inline *)self)->side;
}

struct square_inline square_inline_make(double side)
{
    return (struct square_inline){ { square_inline_area, square_inline_perimeter }, side };
}
static double circle_inline_area(const struct shape_inline *self)
{
    const struct circle_inline *c = (const struct circle_inline *)self;
    return shape_pi * c->radius * c->radius;
}

static double circle_inline_perimeter(const struct shape_inline *self)
{
    return 2 * shape_pi * ((const struct circle_inline *)self)->radius;
}

struct circle_inline circle_inline_make(double radius)
{
    return (struct circle_inline){ { circle_inline_area, circle_inline_perimeter }, radius };
}
double square_area(const void *self)
{
    const struct square *sq = self;
    return sq->side * sq->side;
}

double square_perimeter(const void *self)
{
    const struct square *sq = self;
    return 4 * sq->side;
}

const struct shape_vtable square_vtable = {
    .drop = NULL, .size = sizeof(struct square), .align = _Alignof(struct square),
    .area = square_area, .perimeter = square_perimeter,
};

struct shape_ref square_as_shape(const struct square *sq)
{
    return (struct shape_ref){ .data = sq, .vtable = &square_vtable };
}
static double circle_area(const void *self)
{
    const struct circle *c = self;
    return shape_pi * c->radius * c->radius;
}

static double circle_perimeter(const void *self)
{
    const struct circle *c = self;
    return 2 * shape_pi * c->radius;
}

const struct shape_vtable circle_vtable = {
    .drop = NULL, .size = sizeof(struct circle), .align = _Alignof(struct circle),
    .area = circle_area, .perimeter = circle_perimeter,
};

struct shape_ref circle_as_shape(const struct circle *c)
{
    return (struct shape_ref){ .data = c, .vtable = &circle_vtable };
}
static double square_obj_area(const struct shape_obj *self)
{
    const struct square_obj *sq = (const struct square_obj *)self;
    return sq->side * sq->side;
}

static double square_obj_perimeter(const struct shape_obj *self)
{
    return 4 * ((const struct square_obj *)self)->side;
}

static const struct shape_class square_class = { square_obj_area, square_obj_perimeter };

struct square_obj square_obj_make(double side)
{
    return (struct square_obj){ { &square_class }, side };
}
static double circle_obj_area(const struct shape_obj *self)
{
    const struct circle_obj *c = (const struct circle_obj *)self;
    return shape_pi * c->radius * c->radius;
}

static double circle_obj_perimeter(const struct shape_obj *self)
{
    return 2 * shape_pi * ((const struct circle_obj *)self)->radius;
}

static const struct shape_class circle_class = { circle_obj_area, circle_obj_perimeter };

struct circle_obj circle_obj_make(double radius)
{
    return (struct circle_obj){ { &circle_class }, radius };
}
int shape_box_new(struct shape_ref value, struct shape_ref *boxed)
{
    size_t align = value.vtable->align;
    size_t size = (value.vtable->size + align - 1) / align * align;
    void *copy = aligned_alloc(align, size > 0 ? size : align);
    if (copy == NULL)
        return -ENOMEM;
    memcpy(copy, value.data, value.vtable->size);
    *boxed = (struct shape_ref){ .data = copy, .vtable = value.vtable };
    return 0;
}
void shape_box_free(struct shape_ref boxed)
{
    void *copy = (void *)boxed.data;
    if (boxed.vtable->drop != NULL)
        boxed.vtable->drop(copy);
    free(copy);
}
