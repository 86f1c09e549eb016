/*
 * refusing_allocator.h - the allocator that libraries in the linking matrix
 * wrongly install as the override (library_override.c, plugin.c built with
 * PLUGIN_WRONG_OVERRIDE): it refuses every allocation, so a test that ever
 * reached it would see NULLs.  Each including file gets its own copy.
 */
#ifndef GALLOC_TEST_REFUSING_ALLOCATOR_H
#define GALLOC_TEST_REFUSING_ALLOCATOR_H

#include "galloc.h"

static void *refuse_alloc(const galloc_allocator *self, galloc_layout layout) {
    (void)self;
    (void)layout;
    return 0; /* if this were ever used, every allocation would fail */
}

static void refuse_dealloc(const galloc_allocator *self, void *ptr, galloc_layout layout) {
    (void)self;
    (void)ptr;
    (void)layout;
}

/* An initialiser: static const galloc_allocator a = REFUSING_ALLOCATOR("x"); */
#define REFUSING_ALLOCATOR(name) {refuse_alloc, refuse_dealloc, 0, 0, (name)}

#endif
