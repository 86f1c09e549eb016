/*
 * embedded.c - built once per EMBEDDED_NAME (embedded_a, embedded_b) as a
 * shared library linked with the *static* galloc.  Every function goes
 * through this library's own copy of galloc's front end.
 */
#include "embedded.h"

#include "galloc.h"

#define GLUE2(a, b) a##b
#define GLUE(a, b) GLUE2(a, b)
#define FN(suffix) GLUE(EMBEDDED_NAME, suffix)

void *FN(_alloc)(size_t size, size_t align) {
    galloc_layout layout = {size, align};
    return galloc_alloc(layout);
}

void *FN(_alloc_zeroed)(size_t size, size_t align) {
    galloc_layout layout = {size, align};
    return galloc_alloc_zeroed(layout);
}

void *FN(_realloc)(void *ptr, size_t size, size_t align, size_t new_size) {
    galloc_layout layout = {size, align};
    return galloc_realloc(ptr, layout, new_size);
}

void FN(_dealloc)(void *ptr, size_t size, size_t align) {
    galloc_layout layout = {size, align};
    galloc_dealloc(ptr, layout);
}

const void *FN(_global)(void) {
    return galloc_global();
}

const void *FN(_system)(void) {
    return &galloc_system;
}
