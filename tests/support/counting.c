#include "counting.h"

#include <stdint.h>

#if defined(_MSC_VER) && !defined(__clang__)
#include <intrin.h>
static void bump(volatile long *counter) { _InterlockedIncrement(counter); }
long counting_read(const volatile long *counter) { return *counter; }
static void clear(volatile long *counter) { _InterlockedExchange(counter, 0); }
#else
static void bump(volatile long *counter) {
    __atomic_fetch_add(counter, 1, __ATOMIC_RELAXED);
}
long counting_read(const volatile long *counter) {
    return __atomic_load_n(counter, __ATOMIC_RELAXED);
}
static void clear(volatile long *counter) {
    __atomic_store_n(counter, 0, __ATOMIC_RELAXED);
}
#endif

static counting_allocator *counting_of(const galloc_allocator *self) {
    return (counting_allocator *)(uintptr_t)self;
}

/* The front end promises: valid layout, non-zero size (see galloc.h). */
static void check_layout(counting_allocator *c, galloc_layout layout) {
    if (layout.size == 0 || galloc_layout_validate(layout) != GALLOC_OK)
        bump(&c->contract_violations);
}

void *counting_alloc(const galloc_allocator *self, galloc_layout layout) {
    counting_allocator *c = counting_of(self);
    bump(&c->allocs);
    check_layout(c, layout);
    return galloc_allocator_alloc(&galloc_system, layout);
}

void *counting_alloc_zeroed(const galloc_allocator *self, galloc_layout layout) {
    counting_allocator *c = counting_of(self);
    bump(&c->zeroed_allocs);
    check_layout(c, layout);
    return galloc_allocator_alloc_zeroed(&galloc_system, layout);
}

void counting_dealloc(const galloc_allocator *self, void *ptr, galloc_layout layout) {
    counting_allocator *c = counting_of(self);
    bump(&c->deallocs);
    check_layout(c, layout);
    if (ptr == NULL)
        bump(&c->contract_violations);
    galloc_allocator_dealloc(&galloc_system, ptr, layout);
}

void *counting_realloc(const galloc_allocator *self, void *ptr,
                       galloc_layout layout, size_t new_size) {
    counting_allocator *c = counting_of(self);
    bump(&c->reallocs);
    check_layout(c, layout);
    galloc_layout new_layout = {new_size, layout.align};
    check_layout(c, new_layout);
    if (ptr == NULL)
        bump(&c->contract_violations);
    return galloc_allocator_realloc(&galloc_system, ptr, layout, new_size);
}

void counting_reset(counting_allocator *counting) {
    clear(&counting->allocs);
    clear(&counting->zeroed_allocs);
    clear(&counting->deallocs);
    clear(&counting->reallocs);
    clear(&counting->contract_violations);
}
