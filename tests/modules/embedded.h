/*
 * embedded.h - a library that embeds galloc statically.  The same source is
 * built as two libraries, embedded_a and embedded_b, each with its own
 * private copy of galloc; their functions are prefixed with the library's
 * name so one program can link both.
 */
#ifndef GALLOC_TEST_EMBEDDED_H
#define GALLOC_TEST_EMBEDDED_H

#include <stddef.h>

#if defined(_WIN32)
#define EMBEDDED_API __declspec(dllexport)
#else
#define EMBEDDED_API __attribute__((visibility("default")))
#endif

#define EMBEDDED_DECLARE(name)                                                  \
    EMBEDDED_API void *name##_alloc(size_t size, size_t align);                \
    EMBEDDED_API void *name##_alloc_zeroed(size_t size, size_t align);         \
    EMBEDDED_API void *name##_realloc(void *ptr, size_t size, size_t align,    \
                                      size_t new_size);                        \
    EMBEDDED_API void name##_dealloc(void *ptr, size_t size, size_t align);    \
    EMBEDDED_API const void *name##_global(void);                              \
    EMBEDDED_API const void *name##_system(void)

EMBEDDED_DECLARE(embedded_a);
EMBEDDED_DECLARE(embedded_b);

#endif
