/* m7_override_two.c - the second override (row M7): linking it next to
 * m7_override_one.c must fail. */
#include "galloc.h"

static void *two_alloc(const galloc_allocator *self, galloc_layout layout) {
    (void)self;
    (void)layout;
    return NULL;
}

static void two_dealloc(const galloc_allocator *self, void *ptr, galloc_layout layout) {
    (void)self;
    (void)ptr;
    (void)layout;
}

static const galloc_allocator two = {two_alloc, two_dealloc, NULL, NULL, "two"};
GALLOC_GLOBAL_ALLOCATOR(two);
