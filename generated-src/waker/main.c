/* main.c: the waker chapter's demo: dispatch three ways, a hand-built table, a box, the
   waker's counting rules and the classic wake_by_ref mistake. Takes no arguments. */
#include "waker/dispatch.h"
#include "waker/rc_waker.h"
#include "waker/tally_waker.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

static void print_shape(const char *label, double area, double perimeter)
{
    printf("  %-24s area %5.2f, perimeter %5.2f\n", label, area, perimeter);
}

static void print_inline(const char *label, const struct shape_inline *s)
{
    print_shape(label, s->area(s), s->perimeter(s));
}

static void print_ref(const char *label, struct shape_ref s)
{
    print_shape(label, s.vtable->area(s.data), s.vtable->perimeter(s.data));
}

static void print_obj(const char *label, const struct shape_obj *s)
{
    print_shape(label, s->vptr->area(s), s->vptr->perimeter(s));
}
static void show_three_ways(void)
{
    struct square_inline sq1 = square_inline_make(2);
    struct circle_inline ci1 = circle_inline_make(1);
    struct square sq2 = { 2 };
    struct circle ci2 = { 1 };
    struct square_obj sq3 = square_obj_make(2);
    struct circle_obj ci3 = circle_obj_make(1);

    puts("Way 1, methods inside the object:");
    print_inline("square(2)", &sq1.methods);
    print_inline("circle(1)", &ci1.methods);
    puts("Way 2, a fat pointer {data, vtable}:");
    print_ref("square(2)", square_as_shape(&sq2));
    print_ref("circle(1)", circle_as_shape(&ci2));
    puts("Way 3, a thin pointer to an object that holds its vptr:");
    print_obj("square(2)", &sq3.base);
    print_obj("circle(1)", &ci3.base);
}
static void show_sizes(void)
{
    puts("Sizes in bytes:             a square   a reference   shared table");
    printf("  way 1, methods inside   %10zu %13zu %14s\n", sizeof(struct square_inline),
           sizeof(const struct shape_inline *), "none");
    printf("  way 2, fat pointer      %10zu %13zu %14zu\n", sizeof(struct square),
           sizeof(struct shape_ref), sizeof(struct shape_vtable));
    printf("  way 3, thin pointer     %10zu %13zu %14zu\n", sizeof(struct square_obj),
           sizeof(const struct shape_obj *), sizeof(struct shape_class));
}
static void show_vtable_layout(void)
{
    const struct shape_vtable *vt = &square_vtable;
    printf("square_vtable, %zu bytes:\n", sizeof *vt);
    printf("  offset %2zu  drop       %s\n", offsetof(struct shape_vtable, drop),
           vt->drop == NULL ? "NULL (a square owns nothing)" : "a function");
    printf("  offset %2zu  size       %zu\n", offsetof(struct shape_vtable, size), vt->size);
    printf("  offset %2zu  align      %zu\n", offsetof(struct shape_vtable, align), vt->align);
    printf("  offset %2zu  area       %s\n", offsetof(struct shape_vtable, area),
           vt->area == square_area ? "square_area" : "another function");
    printf("  offset %2zu  perimeter  %s\n", offsetof(struct shape_vtable, perimeter),
           vt->perimeter == square_perimeter ? "square_perimeter" : "another function");
}
static void show_hand_built(void)
{
    static const struct shape_vtable in_order = {
        NULL, sizeof(struct square), _Alignof(struct square), square_area, square_perimeter
    };
    static const struct shape_vtable reordered = {
        NULL, sizeof(struct square), _Alignof(struct square), square_perimeter, square_area
    };
    struct square sq = { 2 };

    puts("A square(2) built by hand from a data pointer and a table:");
    print_ref("table (area, perimeter)", (struct shape_ref){ &sq, &in_order });
    print_ref("table (perimeter, area)", (struct shape_ref){ &sq, &reordered });
}
static void show_box(void)
{
    struct circle c = { 1 };
    struct shape_ref boxed;
    if (shape_box_new(circle_as_shape(&c), &boxed) != 0) {
        fputs("waker: out of memory while boxing a circle\n", stderr);
        exit(EXIT_FAILURE);
    }
    c.radius = 5;
    puts("A circle(1) boxed through its vtable; then the original grows to radius 5:");
    print_ref("the original", circle_as_shape(&c));
    print_ref("the box", boxed);
    shape_box_free(boxed);
}
struct demo_task { int woken; int released; };

static void demo_task_wake(void *arg) { ((struct demo_task *)arg)->woken++; }
static void demo_task_release(void *arg) { ((struct demo_task *)arg)->released = 1; }

/* Reads the count only while the waker exists: after release its memory is gone. */
static void print_count(const char *step, const struct raw_waker *w, const struct demo_task *t)
{
    if (t->released)
        printf("  %-24s released (woken %d times)\n", step, t->woken);
    else
        printf("  %-24s count %ld, woken %d\n", step, rc_waker_refcount(w), t->woken);
}
static void show_counting_rules(void)
{
    struct demo_task task = { 0, 0 };
    printf("A waker handle is %zu bytes, its vtable %zu. An rc_waker, step by step:\n",
           sizeof(struct raw_waker), sizeof(struct raw_waker_vtable));
    struct raw_waker w = rc_waker_new(demo_task_wake, &task, demo_task_release);
    print_count("w = rc_waker_new(...)", &w, &task);
    struct raw_waker c = waker_clone(&w);
    print_count("c = waker_clone(&w)", &w, &task);
    waker_wake_by_ref(&c);
    print_count("waker_wake_by_ref(&c)", &w, &task);
    waker_wake(c);
    print_count("waker_wake(c)", &w, &task);
    c = waker_clone(&w);
    print_count("c = waker_clone(&w)", &w, &task);
    waker_drop(c);
    print_count("waker_drop(c)", &w, &task);
    waker_drop(w);
    print_count("waker_drop(w)", &w, &task);
}
static void print_tally(const char *step, int handles, const struct tally *t,
                        struct tally *seen)
{
    printf("  %-26s %7d %6ld", step, handles, t->refs);
    if (t->releases > seen->releases && handles > 0)
        printf("  released; %d handles remain", handles);
    else if (t->releases > seen->releases)
        printf("  released");
    if (t->after_release > seen->after_release)
        printf("  used after release");
    putchar('\n');
    *seen = *t;
}
static void show_reactor_scene(const char *title, struct raw_waker (*make)(struct tally *))
{
    struct tally t, seen = { 0 };
    printf("%-28s handles  count\n", title);
    struct raw_waker executor = make(&t);
    print_tally("executor creates the waker", 1, &t, &seen);
    struct raw_waker reactor = waker_clone(&executor);
    print_tally("reactor keeps a clone", 2, &t, &seen);
    for (int event = 1; event <= 3; event++) {
        char step[32];
        snprintf(step, sizeof step, "event %d: wake_by_ref", event);
        waker_wake_by_ref(&reactor);
        print_tally(step, 2, &t, &seen);
    }
    waker_drop(reactor);
    print_tally("reactor drops its clone", 1, &t, &seen);
    waker_drop(executor);
    print_tally("executor drops its handle", 0, &t, &seen);
}

static void show_scene_correct(void)
{
    show_reactor_scene("With the correct table:", tally_waker_new);
}

static void show_scene_mistaken(void)
{
    show_reactor_scene("With wake_by_ref = wake:", tally_waker_new_mistaken);
}
int main(int argc, char **argv)
{
    if (argc > 1) {
        fprintf(stderr, "usage: %s\n(the waker demo takes no arguments; it prints the "
                        "examples of the waker chapter)\n", argv[0]);
        return 2;
    }
    void (*const sections[])(void) = {
        show_three_ways, show_sizes, show_vtable_layout, show_hand_built, show_box,
        show_counting_rules, show_scene_correct, show_scene_mistaken,
    };
    for (size_t i = 0; i < sizeof sections / sizeof sections[0]; i++) {
        if (i > 0)
            putchar('\n');
        sections[i]();
    }
    return 0;
}
