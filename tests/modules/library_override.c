/*
 * library_override.c - a shared library that (wrongly) writes
 * GALLOC_GLOBAL_ALLOCATOR.  Only the executable decides the global
 * allocator, so galloc must ignore this one.
 */
#include "galloc.h"

#if defined(_WIN32)
#define LIBRARY_API __declspec(dllexport)
#else
#define LIBRARY_API __attribute__((visibility("default")))
#endif

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

static const galloc_allocator library_allocator = {refuse_alloc, refuse_dealloc,
                                                   0, 0, "library override"};
GALLOC_GLOBAL_ALLOCATOR(library_allocator);

/* The library's own allocator object, so the test can name it. */
LIBRARY_API const galloc_allocator *library_override_allocator(void);
const galloc_allocator *library_override_allocator(void) {
    return &library_allocator;
}
