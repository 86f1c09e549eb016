/*
 * routes.h - the ways a test reaches an allocator, each with the four
 * operations, dispatched in one place for the tests that mix them
 * (test_fault.c, test_stress.c):
 *   - ROUTE_GLOBAL: the global front end, galloc_alloc & co.;
 *   - ROUTE_EXPLICIT: galloc_allocator_* on the allocator object given;
 *   - ROUTE_OBJECT: the object's own functions, past the front end (only
 *     for layouts the front end would pass on: valid, non-zero sizes);
 *   - ROUTE_LIBC: the libc-shaped functions, which align to 16 and take no
 *     alignment (the one given is ignored).
 */
#ifndef GALLOC_TEST_ROUTES_H
#define GALLOC_TEST_ROUTES_H

#include <galloc.h>

#include <stdbool.h>
#include <stddef.h>

typedef enum test_route { ROUTE_GLOBAL, ROUTE_EXPLICIT, ROUTE_OBJECT, ROUTE_LIBC, ROUTES } test_route;

/* "global", "explicit", "object", "libc". */
extern const char *const route_names[ROUTES];

void *route_alloc(test_route route, const galloc_allocator *a, size_t size, size_t align,
                  bool zeroed);
void *route_realloc(test_route route, const galloc_allocator *a, void *ptr, size_t size,
                    size_t align, size_t new_size);
void route_dealloc(test_route route, const galloc_allocator *a, void *ptr, size_t size,
                   size_t align);

#endif
