/*
 * library_override.c - a shared library that (wrongly) writes
 * GALLOC_GLOBAL_ALLOCATOR.  Only the executable decides the global
 * allocator, so galloc must ignore this one.
 */
#include "galloc.h"
#include "modules/refusing_allocator.h"

#if defined(_WIN32)
#define LIBRARY_API __declspec(dllexport)
#else
#define LIBRARY_API __attribute__((visibility("default")))
#endif

static const galloc_allocator library_allocator = REFUSING_ALLOCATOR("library override");
GALLOC_GLOBAL_ALLOCATOR(library_allocator);

/* The library's own allocator object, so the test can name it. */
LIBRARY_API const galloc_allocator *library_override_allocator(void);
const galloc_allocator *library_override_allocator(void) {
    return &library_allocator;
}
