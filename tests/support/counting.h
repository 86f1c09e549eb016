/*
 * counting.h - a counting allocator for the tests: it forwards to the System
 * allocator and records every call, plus every call that breaks the
 * allocator contract of galloc.h (zero size, invalid layout, NULL block),
 * which the front end must never let through.
 */
#ifndef GALLOC_TEST_COUNTING_H
#define GALLOC_TEST_COUNTING_H

#include "galloc.h"

typedef struct counting_allocator {
    galloc_allocator base; /* first member: galloc passes &base as self */
    volatile long allocs;
    volatile long zeroed_allocs;
    volatile long deallocs;
    volatile long reallocs;
    volatile long contract_violations;
} counting_allocator;

/* A counting allocator with every function, forwarding to galloc_system. */
#define COUNTING_ALLOCATOR_INIT(name)                                          \
    {{counting_alloc, counting_dealloc, counting_alloc_zeroed,                 \
      counting_realloc, name},                                                 \
     0, 0, 0, 0, 0}

void *counting_alloc(const galloc_allocator *self, galloc_layout layout);
void *counting_alloc_zeroed(const galloc_allocator *self, galloc_layout layout);
void counting_dealloc(const galloc_allocator *self, void *ptr, galloc_layout layout);
void *counting_realloc(const galloc_allocator *self, void *ptr,
                       galloc_layout layout, size_t new_size);

/* Reads a counter (the counters are updated atomically). */
long counting_read(const volatile long *counter);

/* Zeroes every counter. */
void counting_reset(counting_allocator *counting);

/* Asserts (CMocka) the calls the counting allocator c saw since its last
 * reset, and that none of them broke the contract.  A macro, so that a
 * failure names the test's line; for files that include testing.h. */
#define assert_counted(c, n_allocs, n_zeroed, n_reallocs, n_deallocs)           \
    do {                                                                       \
        assert_int_equal(counting_read(&(c)->allocs), (n_allocs));             \
        assert_int_equal(counting_read(&(c)->zeroed_allocs), (n_zeroed));      \
        assert_int_equal(counting_read(&(c)->reallocs), (n_reallocs));         \
        assert_int_equal(counting_read(&(c)->deallocs), (n_deallocs));         \
        assert_int_equal(counting_read(&(c)->contract_violations), 0);         \
    } while (0)

#endif
