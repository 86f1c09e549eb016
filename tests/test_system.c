/*
 * test_system.c - the System allocator, through the global front end
 * (galloc_alloc & co., with no override the global allocator is System; the
 * linux-preload leg also builds it linked with an override) and
 * through the explicit-allocator API on &galloc_system.  Each test runs once
 * per route.
 */
#include "support/testing.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* The four operations, as one route into the System allocator. */
typedef struct route {
    const char *name;
    void *(*alloc)(galloc_layout layout);
    void *(*alloc_zeroed)(galloc_layout layout);
    void (*dealloc)(void *ptr, galloc_layout layout);
    void *(*realloc)(void *ptr, galloc_layout layout, size_t new_size);
} route;

static void *explicit_alloc(galloc_layout layout) {
    return galloc_allocator_alloc(&galloc_system, layout);
}
static void *explicit_alloc_zeroed(galloc_layout layout) {
    return galloc_allocator_alloc_zeroed(&galloc_system, layout);
}
static void explicit_dealloc(void *ptr, galloc_layout layout) {
    galloc_allocator_dealloc(&galloc_system, ptr, layout);
}
static void *explicit_realloc(void *ptr, galloc_layout layout, size_t new_size) {
    return galloc_allocator_realloc(&galloc_system, ptr, layout, new_size);
}

static route global_route = {"global", galloc_alloc, galloc_alloc_zeroed,
                             galloc_dealloc, galloc_realloc};
static route explicit_route = {"explicit", explicit_alloc, explicit_alloc_zeroed,
                               explicit_dealloc, explicit_realloc};

#define ROUTE(state) ((const route *)*(state))

#define MAX_ALIGN_TESTED ((size_t)65536)

static const size_t sizes[] = {
    0,    1,    2,    3,    7,    8,    9,     15,    16,    17,    31,
    32,   33,   63,   64,   65,   100,  255,   256,   1000,  4095,  4096,
    4097, 8191, 8192, 65535, 65536, 65537, 131072 + 3, (size_t)1 << 20,
    ((size_t)3 << 20) + 5,
};
#define N_SIZES (sizeof sizes / sizeof sizes[0])

/* ------------------------------------------------------------------------ */

static void every_block_is_aligned_and_writable(void **state) {
    const route *r = ROUTE(state);
    unsigned seed = 0;
    for (size_t align = 1; align <= MAX_ALIGN_TESTED; align <<= 1) {
        for (size_t i = 0; i < N_SIZES; i++) {
            galloc_layout layout = layout_of(sizes[i], align);
            unsigned char *p = r->alloc(layout);
            assert_non_null(p);
            assert_true(is_aligned(p, align));
            fill_pattern(p, layout.size, ++seed);
            assert_true(has_pattern(p, layout.size, seed));
            r->dealloc(p, layout);
        }
    }
}

/* Some mallocs give blocks smaller than their usual alignment less of it;
 * galloc must notice size < align and still deliver the alignment.  Many
 * live blocks at once, so a lucky address does not hide the bug. */
static void sizes_smaller_than_the_alignment_are_aligned(void **state) {
    const route *r = ROUTE(state);
    static const size_t cases[][2] = {{8, 16}, {2, 4}, {1, 2}, {1, 8},  {4, 16},
                                      {1, 16}, {8, 32}, {16, 64}, {1, 4096}};
    enum { LIVE = 512 };
    static void *blocks[LIVE];
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        galloc_layout layout = layout_of(cases[c][0], cases[c][1]);
        for (int i = 0; i < LIVE; i++) {
            blocks[i] = r->alloc(layout);
            assert_non_null(blocks[i]);
            assert_true(is_aligned(blocks[i], layout.align));
            memset(blocks[i], 0x5a, layout.size);
        }
        for (int i = 0; i < LIVE; i++)
            r->dealloc(blocks[i], layout);
    }
}

/* A zero-size layout gets a non-NULL pointer aligned as asked, and no
 * block.  What shows it from here: every zero-size allocation of one
 * alignment, zeroed or not, is the same pointer while the others are still
 * live (DESIGN.md's "the zero-size pointer"), which no two live blocks
 * could share; and deallocating it once per allocation does nothing, where
 * one block would be freed three times.  (That it makes no platform call
 * at all is counted in test_fault.c:
 * zero_size_allocates_nothing_on_the_platform.) */
static void zero_size_allocates_nothing_and_is_aligned(void **state) {
    const route *r = ROUTE(state);
    for (size_t align = 1; align <= MAX_ALIGN_TESTED; align <<= 1) {
        galloc_layout layout = layout_of(0, align);
        void *p = r->alloc(layout);
        void *again = r->alloc(layout);
        void *z = r->alloc_zeroed(layout);
        assert_non_null(p);
        assert_true(is_aligned(p, align));
        assert_ptr_equal(again, p);
        assert_ptr_equal(z, p);
        r->dealloc(p, layout);
        r->dealloc(again, layout);
        r->dealloc(z, layout);
    }
}

/* Dirty the heap first so that a block which is zero only by luck of being
 * fresh memory is less likely. */
static void zeroed_blocks_are_zero(void **state) {
    const route *r = ROUTE(state);
    static const size_t zsizes[] = {1, 8, 24, 100, 4096, 65537, (size_t)1 << 20,
                                    (size_t)8 << 20};
    for (size_t align = 1; align <= MAX_ALIGN_TESTED; align <<= 2) {
        for (size_t i = 0; i < sizeof zsizes / sizeof zsizes[0]; i++) {
            galloc_layout layout = layout_of(zsizes[i], align);
            unsigned char *dirty = r->alloc(layout);
            assert_non_null(dirty);
            memset(dirty, 0xa5, layout.size);
            r->dealloc(dirty, layout);
            unsigned char *p = r->alloc_zeroed(layout);
            assert_non_null(p);
            assert_true(is_aligned(p, align));
            assert_true(is_all_zero(p, layout.size));
            r->dealloc(p, layout);
        }
    }
}

/* Grow step by step to a few MiB and shrink back to one byte, checking at
 * every step that the kept prefix and the alignment survived. */
static void realloc_grow_and_shrink_keep_contents_and_alignment(void **state) {
    const route *r = ROUTE(state);
    static const size_t steps[] = {1,     3,     16,   17,    100,  4000,
                                   4096,  70000, 1000, 300000, 5,   (size_t)3 << 20,
                                   65536, 8,     64,   2,     1};
    for (size_t align = 1; align <= MAX_ALIGN_TESTED; align <<= 1) {
        size_t size = steps[0];
        unsigned char *p = r->alloc(layout_of(size, align));
        assert_non_null(p);
        fill_pattern(p, size, (unsigned)align);
        for (size_t i = 1; i < sizeof steps / sizeof steps[0]; i++) {
            size_t new_size = steps[i];
            unsigned char *q = r->realloc(p, layout_of(size, align), new_size);
            assert_non_null(q);
            assert_true(is_aligned(q, align));
            size_t kept = size < new_size ? size : new_size;
            assert_true(has_pattern(q, kept, (unsigned)align));
            fill_pattern(q, new_size, (unsigned)align);
            p = q;
            size = new_size;
        }
        r->dealloc(p, layout_of(size, align));
    }
}

/* Blocks large enough for the platform to move them by remapping pages
 * (glibc: 32 MiB and up) keep contents and alignment too, growing and
 * shrinking; 65536 is above the page size, so it takes the copying path. */
static void large_over_aligned_realloc_keeps_contents_and_alignment(void **state) {
    const route *r = ROUTE(state);
    static const size_t aligns[] = {64, 4096, 65536};
    static const size_t steps[] = {(size_t)33 << 20, (size_t)80 << 20, (size_t)40 << 20,
                                   (size_t)1 << 20};
    for (size_t i = 0; i < sizeof aligns / sizeof aligns[0]; i++) {
        size_t size = steps[0];
        unsigned char *p = r->alloc(layout_of(size, aligns[i]));
        assert_non_null(p);
        fill_pattern(p, size, 11);
        for (size_t j = 1; j < sizeof steps / sizeof steps[0]; j++) {
            unsigned char *q = r->realloc(p, layout_of(size, aligns[i]), steps[j]);
            assert_non_null(q);
            assert_true(is_aligned(q, aligns[i]));
            size_t kept = size < steps[j] ? size : steps[j];
            assert_true(has_pattern(q, kept, 11));
            fill_pattern(q, steps[j], 11);
            p = q;
            size = steps[j];
        }
        r->dealloc(p, layout_of(size, aligns[i]));
    }
}

/* A large over-aligned zeroed block, whose whole pages the backend may
 * replace with fresh zero pages (issue 16), is an ordinary block of the
 * platform's afterwards: the allocation keeps errno, and the block can be
 * written, grown by the platform's remapping realloc (glibc: 32 MiB and
 * up), shrunk and freed, under whatever malloc the process runs. */
static void large_zeroed_blocks_keep_errno_and_resize_like_any_other(void **state) {
    const route *r = ROUTE(state);
    static const size_t aligns[] = {64, 4096};
    size_t size = ((size_t)33 << 20) + 5, grown = (size_t)80 << 20;
    for (size_t i = 0; i < sizeof aligns / sizeof aligns[0]; i++) {
        errno = EDOM;
        unsigned char *p = r->alloc_zeroed(layout_of(size, aligns[i]));
        assert_int_equal(errno, EDOM);
        assert_non_null(p);
        assert_true(is_aligned(p, aligns[i]));
        assert_true(is_all_zero(p, size));
        fill_pattern(p, size, 13);
        unsigned char *q = r->realloc(p, layout_of(size, aligns[i]), grown);
        assert_non_null(q);
        assert_true(is_aligned(q, aligns[i]));
        assert_true(has_pattern(q, size, 13));
        q = r->realloc(q, layout_of(grown, aligns[i]), (size_t)1 << 20);
        assert_non_null(q);
        assert_true(has_pattern(q, (size_t)1 << 20, 13));
        r->dealloc(q, layout_of((size_t)1 << 20, aligns[i]));
    }
}

static void realloc_from_zero_size_allocates(void **state) {
    const route *r = ROUTE(state);
    for (size_t align = 1; align <= MAX_ALIGN_TESTED; align <<= 3) {
        galloc_layout empty = layout_of(0, align);
        void *z = r->alloc(empty);
        unsigned char *p = r->realloc(z, empty, 300);
        assert_non_null(p);
        assert_true(is_aligned(p, align));
        fill_pattern(p, 300, 3);
        assert_true(has_pattern(p, 300, 3));
        r->dealloc(p, layout_of(300, align));
        /* NULL is "no block" too. */
        p = r->realloc(NULL, layout_of(40, align), 50);
        assert_non_null(p);
        assert_true(is_aligned(p, align));
        memset(p, 1, 50);
        r->dealloc(p, layout_of(50, align));
    }
}

static void realloc_to_zero_frees_and_returns_the_zero_size_pointer(void **state) {
    const route *r = ROUTE(state);
    for (size_t align = 1; align <= MAX_ALIGN_TESTED; align <<= 3) {
        void *p = r->alloc(layout_of(64, align));
        assert_non_null(p);
        void *z = r->realloc(p, layout_of(64, align), 0);
        assert_non_null(z);
        assert_true(is_aligned(z, align));
        /* The zero-size pointer is the same one galloc_alloc gives. */
        assert_ptr_equal(z, r->alloc(layout_of(0, align)));
        r->dealloc(z, layout_of(0, align));
    }
}

static const galloc_layout invalid_layouts[] = {
    {1, 0},
    {1, 3},
    {1, 48},
    {64, 6},
    {0, 0},
    {0, 12},
    {1, ((size_t)PTRDIFF_MAX) + 1}, /* half the address space, size 1 */
    {1, SIZE_MAX},
    {(size_t)PTRDIFF_MAX, 16},      /* rounds up past PTRDIFF_MAX */
    {(size_t)PTRDIFF_MAX - 14, 16},
    {((size_t)PTRDIFF_MAX) + 1, 1},
    {SIZE_MAX, 1},
    {SIZE_MAX, 4096},
};
#define N_INVALID (sizeof invalid_layouts / sizeof invalid_layouts[0])

static void invalid_layouts_give_null_and_einval(void **state) {
    const route *r = ROUTE(state);
    for (size_t i = 0; i < N_INVALID; i++) {
        galloc_layout bad = invalid_layouts[i];
        errno = 0;
        assert_null(r->alloc(bad));
        assert_int_equal(errno, EINVAL);
        errno = 0;
        assert_null(r->alloc_zeroed(bad));
        assert_int_equal(errno, EINVAL);
        errno = 0;
        assert_null(r->realloc(NULL, bad, 8));
        assert_int_equal(errno, EINVAL);
    }
}

/* A realloc whose new size is invalid with the block's alignment fails with
 * EINVAL and leaves the block alone. */
static void realloc_to_an_invalid_size_keeps_the_block(void **state) {
    const route *r = ROUTE(state);
    static const size_t aligns[] = {1, 16, 64, 4096};
    for (size_t i = 0; i < sizeof aligns / sizeof aligns[0]; i++) {
        size_t align = aligns[i];
        galloc_layout layout = layout_of(100, align);
        unsigned char *p = r->alloc(layout);
        assert_non_null(p);
        fill_pattern(p, 100, 9);
        static const size_t bad_sizes[] = {SIZE_MAX, ((size_t)PTRDIFF_MAX) + 1};
        for (size_t j = 0; j < 2; j++) {
            errno = 0;
            assert_null(r->realloc(p, layout, bad_sizes[j]));
            assert_int_equal(errno, EINVAL);
            assert_true(has_pattern(p, 100, 9));
        }
        errno = 0;
        assert_null(r->realloc(p, layout, (size_t)PTRDIFF_MAX - (align - 1) + 1));
        assert_int_equal(errno, EINVAL);
        assert_true(has_pattern(p, 100, 9));
        r->dealloc(p, layout);
    }
}

/* The largest valid size for each alignment: a valid layout that no machine
 * can satisfy. */
static galloc_layout impossible(size_t align) {
    return layout_of((size_t)PTRDIFF_MAX - (align - 1), align);
}

static void an_impossible_size_gives_null_and_enomem(void **state) {
    const route *r = ROUTE(state);
    static const size_t aligns[] = {1, 8, 16, 32, 64, 4096, 65536};
    for (size_t i = 0; i < sizeof aligns / sizeof aligns[0]; i++) {
        galloc_layout layout = impossible(aligns[i]);
        assert_int_equal(galloc_layout_validate(layout), GALLOC_OK);
        errno = 0;
        assert_null(r->alloc(layout));
        assert_int_equal(errno, ENOMEM);
        errno = 0;
        assert_null(r->alloc_zeroed(layout));
        assert_int_equal(errno, ENOMEM);
    }
}

static void a_failed_realloc_leaves_the_old_block_intact(void **state) {
    const route *r = ROUTE(state);
    static const size_t aligns[] = {1, 8, 16, 32, 64, 256, 4096, 65536};
    static const size_t old_sizes[] = {1, 24, 5000};
    for (size_t i = 0; i < sizeof aligns / sizeof aligns[0]; i++) {
        for (size_t j = 0; j < sizeof old_sizes / sizeof old_sizes[0]; j++) {
            galloc_layout layout = layout_of(old_sizes[j], aligns[i]);
            unsigned char *p = r->alloc(layout);
            assert_non_null(p);
            fill_pattern(p, layout.size, 77);
            errno = 0;
            assert_null(r->realloc(p, layout, impossible(aligns[i]).size));
            assert_int_equal(errno, ENOMEM);
            assert_true(has_pattern(p, layout.size, 77));
            /* Still owned and usable: grow it for real, then release. */
            unsigned char *q = r->realloc(p, layout, layout.size * 2);
            assert_non_null(q);
            assert_true(has_pattern(q, layout.size, 77));
            r->dealloc(q, layout_of(layout.size * 2, aligns[i]));
        }
    }
}

static void dealloc_keeps_errno(void **state) {
    const route *r = ROUTE(state);
    for (size_t align = 1; align <= MAX_ALIGN_TESTED; align <<= 2) {
        galloc_layout layout = layout_of(1000, align);
        void *p = r->alloc(layout);
        assert_non_null(p);
        errno = 4242;
        r->dealloc(p, layout);
        assert_int_equal(errno, 4242);
    }
    errno = 4243;
    r->dealloc(NULL, layout_of(8, 8));
    assert_int_equal(errno, 4243);
    r->dealloc(r->alloc(layout_of(0, 64)), layout_of(0, 64));
    assert_int_equal(errno, 4243);
}

/* DESIGN.md: on Unix every System block can be handed to free(), so a C
 * library that frees what a galloc-based library returned keeps working. */
static void system_blocks_can_be_released_with_free(void **state) {
#if defined(_WIN32)
    (void)state;
    skip();
#else
    const route *r = ROUTE(state);
    /* (The linux-preload leg links this test with an override too: then the
     * global route's blocks are not System blocks.) */
    if (r == &global_route && galloc_global() != &galloc_system)
        skip();
    for (size_t align = 1; align <= MAX_ALIGN_TESTED; align <<= 1) {
        void *a = r->alloc(layout_of(align / 2 + 1, align));
        void *z = r->alloc_zeroed(layout_of(3 * align, align));
        void *g = r->realloc(r->alloc(layout_of(8, align)), layout_of(8, align), 100000);
        assert_non_null(a);
        assert_non_null(z);
        assert_non_null(g);
        free(a);
        free(z);
        free(g);
    }
#endif
}

/* Each test twice, named after its route. */
#define BOTH_ROUTES(test)                                                       \
    {"global: " #test, test, NULL, NULL, &global_route},                       \
        {"explicit system: " #test, test, NULL, NULL, &explicit_route}

int main(void) {
    const struct CMUnitTest tests[] = {
        BOTH_ROUTES(every_block_is_aligned_and_writable),
        BOTH_ROUTES(sizes_smaller_than_the_alignment_are_aligned),
        BOTH_ROUTES(zero_size_allocates_nothing_and_is_aligned),
        BOTH_ROUTES(zeroed_blocks_are_zero),
        BOTH_ROUTES(realloc_grow_and_shrink_keep_contents_and_alignment),
        BOTH_ROUTES(large_over_aligned_realloc_keeps_contents_and_alignment),
        BOTH_ROUTES(large_zeroed_blocks_keep_errno_and_resize_like_any_other),
        BOTH_ROUTES(realloc_from_zero_size_allocates),
        BOTH_ROUTES(realloc_to_zero_frees_and_returns_the_zero_size_pointer),
        BOTH_ROUTES(invalid_layouts_give_null_and_einval),
        BOTH_ROUTES(realloc_to_an_invalid_size_keeps_the_block),
        BOTH_ROUTES(an_impossible_size_gives_null_and_enomem),
        BOTH_ROUTES(a_failed_realloc_leaves_the_old_block_intact),
        BOTH_ROUTES(dealloc_keeps_errno),
        BOTH_ROUTES(system_blocks_can_be_released_with_free),
    };
    return cmocka_run_group_tests_name("system allocator", tests, NULL, NULL);
}
