/*
 * allocator_round_trip.h - the four operations once each through the
 * explicit-allocator functions, for tests that count what reaches an
 * allocator (include it after support/testing.h).
 */
#ifndef GALLOC_TEST_ALLOCATOR_ROUND_TRIP_H
#define GALLOC_TEST_ALLOCATOR_ROUND_TRIP_H

/* Through galloc_allocator_* on `a` (NULL: the global allocator): a block
 * allocated, a zeroed one aligned to 128, the first grown by realloc, both
 * released; each checked.  That is 1 alloc, 1 zeroed alloc, 1 realloc and
 * 2 deallocs of the allocator behind. */
static inline void allocator_round_trip(const galloc_allocator *a) {
    galloc_layout small = layout_of(48, 16);
    galloc_layout big = layout_of(3000, 128);
    unsigned char *p = galloc_allocator_alloc(a, small);
    unsigned char *z = galloc_allocator_alloc_zeroed(a, big);
    assert_non_null(p);
    assert_non_null(z);
    assert_true(is_aligned(z, 128));
    assert_true(is_all_zero(z, 3000));
    fill_pattern(p, 48, 7);
    p = galloc_allocator_realloc(a, p, small, 4000);
    assert_non_null(p);
    assert_true(has_pattern(p, 48, 7));
    galloc_allocator_dealloc(a, p, layout_of(4000, 16));
    galloc_allocator_dealloc(a, z, big);
}

#endif
