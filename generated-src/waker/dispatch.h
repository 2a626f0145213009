/* dispatch.h: one interface (a shape's area and perimeter), dispatched three ways. */
#ifndef WAKER_DISPATCH_H
#define WAKER_DISPATCH_H

#include <stddef.h>

/* Way 1: every object carries its own function pointers. */
struct shape_inline {
    double (*area)(const struct shape_inline *self);
    double (*perimeter)(const struct shape_inline *self);
};
struct square_inline { struct shape_inline methods; double side; };
struct circle_inline { struct shape_inline methods; double radius; };

struct square_inline square_inline_make(double side);
struct circle_inline circle_inline_make(double radius);
/* Way 2: the object is only its data; a reference is {data, vtable}. The vtable is laid out
   as rustc lays out a trait object's: drop, size, align, then the methods in order. */
struct square { double side; };
struct circle { double radius; };

struct shape_vtable {
    void (*drop)(void *self);            /* releases what *self owns; NULL: owns nothing */
    size_t size;                         /* sizeof the concrete type */
    size_t align;                        /* _Alignof the concrete type */
    double (*area)(const void *self);
    double (*perimeter)(const void *self);
};

struct shape_ref { const void *data; const struct shape_vtable *vtable; };

extern const struct shape_vtable square_vtable;
extern const struct shape_vtable circle_vtable;
double square_area(const void *self);          /* public so that a reader can build */
double square_perimeter(const void *self);     /* tables of their own by hand */

struct shape_ref square_as_shape(const struct square *sq);
struct shape_ref circle_as_shape(const struct circle *c);
/* Way 3: every object starts with a pointer to its type's table (a vptr), as in C++. */
struct shape_obj;
struct shape_class {
    double (*area)(const struct shape_obj *self);
    double (*perimeter)(const struct shape_obj *self);
};
struct shape_obj { const struct shape_class *vptr; };
struct square_obj { struct shape_obj base; double side; };
struct circle_obj { struct shape_obj base; double radius; };

struct square_obj square_obj_make(double side);
struct circle_obj circle_obj_make(double radius);
/* A heap copy of value that the returned reference owns, like Rust's Box<dyn Shape>. It is
   made knowing only value.vtable. Returns 0, or -ENOMEM (then *boxed is untouched). */
int shape_box_new(struct shape_ref value, struct shape_ref *boxed);
/* Runs the vtable's drop on the box, then frees its memory. */
void shape_box_free(struct shape_ref boxed);

#endif
