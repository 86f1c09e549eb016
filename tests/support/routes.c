/*
 * routes.c - one dispatch for the routes of routes.h.
 */
#include "routes.h"

const char *const route_names[ROUTES] = {"global", "explicit", "object", "libc"};

static galloc_layout layout(size_t size, size_t align) {
    galloc_layout l = {size, align};
    return l;
}

void *route_alloc(test_route route, const galloc_allocator *a, size_t size, size_t align,
                  bool zeroed) {
    galloc_layout l = layout(size, align);
    switch (route) {
    case ROUTE_GLOBAL:
        return zeroed ? galloc_alloc_zeroed(l) : galloc_alloc(l);
    case ROUTE_EXPLICIT:
        return zeroed ? galloc_allocator_alloc_zeroed(a, l) : galloc_allocator_alloc(a, l);
    case ROUTE_OBJECT:
        return zeroed ? a->alloc_zeroed(a, l) : a->alloc(a, l);
    default:
        return zeroed ? galloc_libc_calloc(size, 1) : galloc_libc_malloc(size);
    }
}

void *route_realloc(test_route route, const galloc_allocator *a, void *ptr, size_t size,
                    size_t align, size_t new_size) {
    galloc_layout l = layout(size, align);
    switch (route) {
    case ROUTE_GLOBAL:
        return galloc_realloc(ptr, l, new_size);
    case ROUTE_EXPLICIT:
        return galloc_allocator_realloc(a, ptr, l, new_size);
    case ROUTE_OBJECT:
        return a->realloc(a, ptr, l, new_size);
    default:
        return galloc_libc_realloc(ptr, new_size);
    }
}

void route_dealloc(test_route route, const galloc_allocator *a, void *ptr, size_t size,
                   size_t align) {
    galloc_layout l = layout(size, align);
    switch (route) {
    case ROUTE_GLOBAL:
        galloc_dealloc(ptr, l);
        break;
    case ROUTE_EXPLICIT:
        galloc_allocator_dealloc(a, ptr, l);
        break;
    case ROUTE_OBJECT:
        a->dealloc(a, ptr, l);
        break;
    default:
        galloc_libc_free(ptr);
        break;
    }
}
