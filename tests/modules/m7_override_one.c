/* m7_override_one.c - the first of two overrides in one program (row M7).
 * Linked alone with m7_main.c it builds and runs; with m7_override_two.c
 * the link must fail, naming galloc_global_allocator. */
#include "galloc.h"

static void *one_alloc(const galloc_allocator *self, galloc_layout layout) {
    (void)self;
    return galloc_allocator_alloc(&galloc_system, layout);
}

static void one_dealloc(const galloc_allocator *self, void *ptr, galloc_layout layout) {
    (void)self;
    galloc_allocator_dealloc(&galloc_system, ptr, layout);
}

static const galloc_allocator one = {one_alloc, one_dealloc, NULL, NULL, "one"};
GALLOC_GLOBAL_ALLOCATOR(one);
