/* main-fiber.c: one coroutine, its switches declared to ASan, its depth from its frame. */
#define _GNU_SOURCE                     /* ucontext, as the generator chapter asks for it */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <ucontext.h>

#if defined(__SANITIZE_ADDRESS__)
#define FIBER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define FIBER_ASAN 1
#endif
#endif
#ifdef FIBER_ASAN
#include <sanitizer/common_interface_defs.h>
#define fiber_start(save, bottom, size) __sanitizer_start_switch_fiber(save, bottom, size)
#define fiber_finish(save, bottom, size) __sanitizer_finish_switch_fiber(save, bottom, size)
#else
#define fiber_start(save, bottom, size) ((void)(save), (void)(bottom), (void)(size))
#define fiber_finish(save, bottom, size) (*(bottom) = NULL, *(size) = 0, (void)(save))
#endif
enum { FIBER_STACK = 64 * 1024 };

static ucontext_t fiber_self, fiber_caller;
static unsigned char *fiber_stack;
static const void *caller_bottom;           /* the caller's stack, as the body learned it */
static size_t caller_size;
static void *caller_fake, *body_fake;       /* ASan's handles for each side's fake stack */
static size_t depth_from_local, depth_from_frame;   /* the yield's: 0 if not on the stack */

/* The chapter's measure: bytes from p to the top of the stack, if p is on it. */
static size_t fiber_depth(const void *p) {
    uintptr_t at = (uintptr_t)p, low = (uintptr_t)fiber_stack, top = low + FIBER_STACK;
    return at >= low && at < top ? top - at : 0;
}
__attribute__((noinline)) static void fiber_yield(void) {
    unsigned char here = 0;                 /* the chapter's measure: in a fake frame? */
    depth_from_local = fiber_depth(&here);
    depth_from_frame = fiber_depth(__builtin_frame_address(0));  /* the machine's frame */
    fiber_start(&body_fake, caller_bottom, caller_size);        /* to: the caller's stack */
    swapcontext(&fiber_self, &fiber_caller);
    fiber_finish(body_fake, &caller_bottom, &caller_size);
}

static void fiber_body(void) {
    fiber_finish(NULL, &caller_bottom, &caller_size);   /* first arrival: no fake stack yet */
    fiber_yield();
    fiber_start(NULL, caller_bottom, caller_size);      /* leaving for good, through uc_link */
}
/* Switches to the body; returns 1 if ASan said the stack left was the coroutine's. */
static int fiber_resume(void) {
    const void *left = NULL;
    size_t left_size = 0;
    fiber_start(&caller_fake, fiber_stack, FIBER_STACK);  /* to: the coroutine's stack */
    swapcontext(&fiber_caller, &fiber_self);
    fiber_finish(caller_fake, &left, &left_size);
    return left == fiber_stack && left_size == FIBER_STACK;
}

int main(void) {
    fiber_stack = malloc(FIBER_STACK);
    if (fiber_stack == NULL || getcontext(&fiber_self) == -1) return perror("answers-fiber"), 1;
    fiber_self.uc_stack = (stack_t){.ss_sp = fiber_stack, .ss_size = FIBER_STACK};
    fiber_self.uc_link = &fiber_caller;
    makecontext(&fiber_self, fiber_body, 0);
    int left_fiber = fiber_resume();
    uintptr_t mine = (uintptr_t)__builtin_frame_address(0), low = (uintptr_t)caller_bottom;
    printf("depth at the yield from a local: %s; from its frame: %s\n",
           depth_from_local ? "measured" : "0 (a fake frame)", depth_from_frame ? "measured" : "0");
#ifdef FIBER_ASAN
    printf("first arrival: finish names the stack left, %s\n",
           mine >= low && mine - low < caller_size ? "main's" : "NOT main's");
    left_fiber &= fiber_resume();           /* the body returns, through uc_link */
    printf("back in resume, both times: finish names the stack left, %s\n",
           left_fiber ? "the coroutine's" : "NOT the coroutine's");
#else
    (void)mine, (void)low, (void)left_fiber;
    fiber_resume();
    printf("ASan is off: no switch to declare\n");
#endif
    free(fiber_stack);
    return 0;
}
