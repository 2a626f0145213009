/* main.c: moves that break a self-referential struct, and ways to prevent them.
   Usage: pinning [moved | return | dead] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pinning/box.h"
#include "pinning/guarded.h"
#include "pinning/selfref.h"

/* An object the demo prints, with the expression for its value field. */
struct pin_demo_obj {
    const char *name;                /* "a" */
    const char *field;               /* "&a.value" */
    const struct pin_selfref *obj;
};

/* Names the value field p points at, among the given live objects. */
static const char *pin_demo_target(const int *p, const struct pin_demo_obj *objs, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p == &objs[i].obj->value)
            return objs[i].field;
    return "(an object not shown)";
}

static void pin_demo_show(const struct pin_demo_obj *objs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const struct pin_selfref *s = objs[i].obj;
        printf("  %s: value %d, *ptr %d, ptr == %s%s\n", objs[i].name, s->value,
               pin_selfref_get(s), pin_demo_target(s->ptr, objs, n),
               pin_selfref_is_home(s) ? "" : "  <- stale");
    }
}
static void pin_demo_assignment(void)
{
    struct pin_selfref a;
    pin_selfref_init(&a, 1);
    struct pin_selfref b = a;               /* the move: bytes of a into b */
    struct pin_demo_obj objs[] = { { "a", "&a.value", &a }, { "b", "&b.value", &b } };

    puts("struct pin_selfref b = a;");
    pin_demo_show(objs, 2);
    pin_selfref_set(&b, 2);
    puts("pin_selfref_set(&b, 2);");
    pin_demo_show(objs, 2);
}
static void pin_demo_memcpy(void)
{
    struct pin_selfref a, c;
    pin_selfref_init(&a, 1);
    memcpy(&c, &a, sizeof a);               /* the move: bytes of a into c */
    struct pin_demo_obj objs[] = { { "a", "&a.value", &a }, { "c", "&c.value", &c } };

    puts("memcpy(&c, &a, sizeof a);");
    pin_demo_show(objs, 2);
    pin_selfref_init(&a, 3);                /* the old place gets a new object */
    puts("pin_selfref_init(&a, 3);");
    pin_demo_show(objs, 2);
}
/* Returns a copy whose ptr names a local of this frame, which is gone when the caller reads. */
static __attribute__((noinline)) struct pin_selfref pin_demo_copied_out(int value)
{
    struct pin_selfref a, c;
    pin_selfref_init(&a, value);
    memcpy(&c, &a, sizeof a);               /* c.ptr == &a.value */
    return c;                               /* a's lifetime ends here */
}

static void pin_demo_dead_frame(void)
{
    struct pin_selfref r = pin_demo_copied_out(11);
    puts("struct pin_selfref r = pin_demo_copied_out(11);");
    fflush(stdout);                         /* AddressSanitizer's report ends the process */
    printf("pin_selfref_get(&r) = %d\n", pin_selfref_get(&r));   /* undefined behaviour */
}
static void pin_demo_swap(void)
{
    struct pin_selfref a, b;
    pin_selfref_init(&a, 1);
    pin_selfref_init(&b, 2);
    struct pin_demo_obj objs[] = { { "a", "&a.value", &a }, { "b", "&b.value", &b } };

    puts("before the swap:");
    pin_demo_show(objs, 2);
    pin_swap_bytes(&a, &b, sizeof a);
    puts("pin_swap_bytes(&a, &b, sizeof a);");
    pin_demo_show(objs, 2);
}
/* Receives the object by pointer: it does not move. */
static void pin_demo_increment(struct pin_selfref *s)
{
    pin_selfref_set(s, pin_selfref_get(s) + 1);
}

static int pin_demo_heap(void)
{
    struct pin_selfref *h = pin_selfref_new(4);
    if (h == NULL) {
        fprintf(stderr, "pinning: out of memory\n");
        return -1;
    }
    pin_demo_increment(h);
    struct pin_selfref copy = *h;           /* still compiles: the type is complete */
    struct pin_demo_obj objs[] = { { "*h", "&h->value", h },
                                   { "copy", "&copy.value", &copy } };

    puts("h = pin_selfref_new(4); pin_demo_increment(h); copy = *h;");
    pin_demo_show(objs, 2);
    pin_selfref_free(h);
    return 0;
}
static int pin_demo_box(void)
{
    struct pin_box *box = pin_box_new(6);
    if (box == NULL) {
        fprintf(stderr, "pinning: out of memory\n");
        return -1;
    }
    pin_box_set(box, pin_box_get(box) + 1);
    puts("box = pin_box_new(6); pin_box_set(box, pin_box_get(box) + 1);");
    printf("  pin_box_get(box) %d, pin_box_is_home(box) %s\n", pin_box_get(box),
           pin_box_is_home(box) ? "true" : "false");
    pin_box_free(box);
    return 0;
}
static void pin_demo_guard_before_use(void)
{
    struct pin_guarded g;
    pin_guarded_init(&g, 8);
    struct pin_guarded moved = g;           /* allowed: never used yet */
    int first = pin_guarded_get(&moved);
    int second = pin_guarded_get(&moved);
    puts("pin_guarded_init(&g, 8); moved = g; pin_guarded_get(&moved) twice;");
    printf("  got %d and %d, moved.ptr == &moved.value: %s\n", first, second,
           moved.ptr == &moved.value ? "true" : "false");
}
static void pin_demo_guard_after_use(void)
{
    struct pin_guarded g;
    pin_guarded_init(&g, 9);
    printf("pin_guarded_get(&g) = %d\n", pin_guarded_get(&g));
    struct pin_guarded copy = g;            /* the move the guard catches */
    puts("struct pin_guarded copy = g;");
    fflush(stdout);                         /* abort does not flush stdio */
    printf("pin_guarded_get(&copy) = %d\n", pin_guarded_get(&copy));
}
/* Breaks the discipline: the object is used in this frame, then returned. */
static struct pin_guarded pin_demo_started(int value)
{
    struct pin_guarded g;
    pin_guarded_init(&g, value);
    (void)pin_guarded_get(&g);              /* first use: pinned in this frame */
    return g;
}

static void pin_demo_return(void)
{
    struct pin_guarded r = pin_demo_started(10);
    puts("struct pin_guarded r = pin_demo_started(10);");
    if (pin_guard_has_moved(&r.guard))
        puts("  r moved: it was first used in pin_demo_started's frame, which is gone");
    else
        puts("  r did not move: the compiler built it in place this time");
}
int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "moved") == 0) {
        pin_demo_guard_after_use();         /* aborts */
        return EXIT_FAILURE;
    }
    if (argc == 2 && strcmp(argv[1], "return") == 0) {
        pin_demo_return();
        return EXIT_SUCCESS;
    }
    if (argc == 2 && strcmp(argv[1], "dead") == 0) {
        pin_demo_dead_frame();              /* undefined behaviour */
        return EXIT_SUCCESS;
    }
    if (argc != 1) {
        fprintf(stderr, "usage: %s [moved | return | dead]\n"
                "  no argument: run the safe examples; moved: move a guarded object "
                "after its first use (aborts); return: return a started object by value;\n"
                "  dead: read through a pointer into a returned frame "
                "(undefined behaviour, for AddressSanitizer)\n",
                argv[0]);
        return 2;
    }
    pin_demo_assignment();
    pin_demo_memcpy();
    pin_demo_swap();
    if (pin_demo_heap() != 0 || pin_demo_box() != 0)
        return EXIT_FAILURE;
    pin_demo_guard_before_use();
    return EXIT_SUCCESS;
}
