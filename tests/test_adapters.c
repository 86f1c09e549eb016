/*
 * test_adapters.c - the mimalloc and jemalloc adapters against the
 * galloc_allocator contract, through galloc's front end.
 *
 * One source, one executable per adapter:
 *   -DADAPTER_MIMALLOC   tests galloc_mimalloc (link src/adapters/mimalloc.c,
 *                        -lmimalloc);
 *   -DADAPTER_JEMALLOC   tests galloc_jemalloc (src/adapters/jemalloc.c,
 *                        -ljemalloc).
 * Add -DADAPTER_GLOBAL and link the adapter's *_global.c (the
 * galloc::<adapter>_global library) for the variant in which the adapter
 * is the program's global allocator (DESIGN.md row M8).
 *
 * Both libraries also replace malloc/free in the process; the System
 * allocator is not under test here, so that does not matter.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <galloc.h>

#include <errno.h>
#include <stdbool.h>
#include <string.h>

#if defined(ADAPTER_MIMALLOC)
#include <galloc/mimalloc.h>
#include <mimalloc.h> /* mi_usable_size, for a white-box check */
static const galloc_allocator *const adapter = &galloc_mimalloc;
#define ADAPTER_NAME "mimalloc"
#elif defined(ADAPTER_JEMALLOC)
#include <galloc/jemalloc.h>
#include <jemalloc/jemalloc.h> /* sallocx, nallocx, for a white-box check */
static const galloc_allocator *const adapter = &galloc_jemalloc;
#define ADAPTER_NAME "jemalloc"
#else
#error "Compile with -DADAPTER_MIMALLOC or -DADAPTER_JEMALLOC."
#endif

/* ---------------------------------------------------------------------------
 * Helpers.  Local, so the program needs nothing but galloc and the adapter.
 * ------------------------------------------------------------------------ */

static galloc_layout layout_of(size_t size, size_t align) {
    galloc_layout layout;
    layout.size = size;
    layout.align = align;
    return layout;
}

static bool is_aligned(const void *ptr, size_t align) {
    return ((uintptr_t)ptr & (align - 1)) == 0;
}

/* A byte pattern that differs between seeds and along the block, so that a
 * lost copy, a shifted copy and an overlapping block all show. */
static unsigned char pattern_byte(size_t i, unsigned seed) {
    return (unsigned char)(seed * 251u + i * 31u + (i >> 8) + 1u);
}

static void fill_pattern(void *ptr, size_t size, unsigned seed) {
    unsigned char *p = ptr;
    for (size_t i = 0; i < size; i++)
        p[i] = pattern_byte(i, seed);
}

static bool has_pattern(const void *ptr, size_t size, unsigned seed) {
    const unsigned char *p = ptr;
    for (size_t i = 0; i < size; i++)
        if (p[i] != pattern_byte(i, seed))
            return false;
    return true;
}

static bool is_all_zero(const void *ptr, size_t size) {
    const unsigned char *p = ptr;
    for (size_t i = 0; i < size; i++)
        if (p[i] != 0)
            return false;
    return true;
}

/* The largest size that is valid with `align` (size rounded up to align is
 * PTRDIFF_MAX rounded down to align): no machine can provide it, so the
 * front end passes it on and the adapter itself must fail. */
static size_t impossible_size(size_t align) {
    return (size_t)PTRDIFF_MAX - (align - 1);
}

#define MAX_ALIGN_TESTED ((size_t)65536)

/* What the adapter itself promises about a live block, beyond alignment. */
static void check_block(const void *ptr, galloc_layout layout) {
#if defined(ADAPTER_MIMALLOC)
    assert_true(mi_usable_size(ptr) >= layout.size);
#else
    /* jemalloc's sized free recomputes the block's size class from the size
     * and the alignment flag it is given; it must find the class the block
     * really has.  For alignments up to 8 the adapter passes no flag, so
     * the class without one must be the same. */
    size_t real = sallocx((void *)(uintptr_t)ptr, 0);
    assert_int_equal(real, nallocx(layout.size, MALLOCX_ALIGN(layout.align)));
    if (layout.align <= 8)
        assert_int_equal(real, nallocx(layout.size, 0));
#endif
}

/* ---------------------------------------------------------------------------
 * The contract.
 * ------------------------------------------------------------------------ */

/* The front end falls back to alloc + memset and alloc + copy + dealloc for
 * missing functions; the other tests must reach the adapter's own. */
static void the_adapter_provides_every_function_and_its_name(void **state) {
    (void)state;
    assert_non_null(adapter->alloc);
    assert_non_null(adapter->dealloc);
    assert_non_null(adapter->alloc_zeroed);
    assert_non_null(adapter->realloc);
    assert_string_equal(adapter->name, ADAPTER_NAME);
}

static void blocks_are_aligned_for_every_alignment(void **state) {
    (void)state;
    for (size_t align = 1; align <= MAX_ALIGN_TESTED; align <<= 1) {
        /* Sizes below the alignment included: some allocators give small
         * blocks less than their usual alignment.  Power-of-two multiples of
         * it too: mimalloc 2.0.9's mi_malloc_aligned took those as naturally
         * aligned when they are not (see src/adapters/mimalloc.c). */
        const size_t sizes[] = {1,         align / 2, align - 1, align,
                                align + 1, 2 * align, 4 * align, 3 * align + 5,
                                100000};
        enum { N = sizeof sizes / sizeof sizes[0] };
        void *blocks[N] = {0};
        void *zeroed[N] = {0};
        for (size_t i = 0; i < N; i++) {
            if (sizes[i] == 0)
                continue;
            galloc_layout layout = layout_of(sizes[i], align);
            blocks[i] = galloc_allocator_alloc(adapter, layout);
            zeroed[i] = galloc_allocator_alloc_zeroed(adapter, layout);
            assert_non_null(blocks[i]);
            assert_non_null(zeroed[i]);
            assert_true(is_aligned(blocks[i], align));
            assert_true(is_aligned(zeroed[i], align));
            check_block(blocks[i], layout);
            check_block(zeroed[i], layout);
            /* The whole block is writable. */
            memset(blocks[i], 0x5a, sizes[i]);
            memset(zeroed[i], 0x5a, sizes[i]);
        }
        for (size_t i = 0; i < N; i++) {
            if (sizes[i] == 0)
                continue;
            galloc_allocator_dealloc(adapter, blocks[i], layout_of(sizes[i], align));
            galloc_allocator_dealloc(adapter, zeroed[i], layout_of(sizes[i], align));
        }
    }
}

static void zeroed_blocks_are_zero(void **state) {
    (void)state;
    static const size_t sizes[] = {1,      7,       16,        100,       4096,
                                   100000, 1 << 20, 16u << 20, 64u << 20};
    static const size_t aligns[] = {1, 8, 16, 64, 4096, 65536};
    for (size_t a = 0; a < sizeof aligns / sizeof aligns[0]; a++) {
        for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
            galloc_layout layout = layout_of(sizes[s], aligns[a]);
            /* Dirty memory of that layout first, so a reused block that was
             * not zeroed would show. */
            unsigned char *dirty = galloc_allocator_alloc(adapter, layout);
            assert_non_null(dirty);
            memset(dirty, 0xa5, layout.size);
            galloc_allocator_dealloc(adapter, dirty, layout);

            unsigned char *p = galloc_allocator_alloc_zeroed(adapter, layout);
            assert_non_null(p);
            assert_true(is_aligned(p, layout.align));
            assert_true(is_all_zero(p, layout.size));
            galloc_allocator_dealloc(adapter, p, layout);
        }
    }
}

static void realloc_keeps_contents_and_alignment(void **state) {
    (void)state;
    /* Grows and shrinks across small, medium and large size classes, in
     * place and moving. */
    static const size_t steps[] = {10, 1000, 3,       70000,  64,
                                   17, 1 << 20, 300000, 5000, 1};
    enum { N = sizeof steps / sizeof steps[0] };
    for (size_t align = 1; align <= 4096; align <<= 1) {
        unsigned seed = (unsigned)align;
        size_t size = steps[0];
        unsigned char *p = galloc_allocator_alloc(adapter, layout_of(size, align));
        assert_non_null(p);
        fill_pattern(p, size, seed);
        for (size_t i = 1; i < N; i++) {
            size_t new_size = steps[i];
            p = galloc_allocator_realloc(adapter, p, layout_of(size, align), new_size);
            assert_non_null(p);
            assert_true(is_aligned(p, align));
            assert_true(has_pattern(p, size < new_size ? size : new_size, seed));
            check_block(p, layout_of(new_size, align));
            size = new_size;
            seed++;
            fill_pattern(p, size, seed); /* the whole block is writable */
        }
        galloc_allocator_dealloc(adapter, p, layout_of(size, align));
    }
}

/* Neither library aborts on these: mimalloc's default error handler only
 * aborts on ENOMEM in an MI_XMALLOC build, jemalloc only with
 * opt.xmalloc.  Both are silent by default; with MIMALLOC_SHOW_ERRORS=1
 * mimalloc prints "unable to allocate memory" warnings to stderr, which is
 * fine. */
/* Both allocation calls refuse `layout` with NULL and ENOMEM; it is valid,
 * so the adapter is asked, not stopped by the front end. */
static void expect_enomem(galloc_layout layout) {
    assert_int_equal(galloc_layout_validate(layout), GALLOC_OK);
    errno = 0;
    assert_null(galloc_allocator_alloc(adapter, layout));
    assert_int_equal(errno, ENOMEM);
    errno = 0;
    assert_null(galloc_allocator_alloc_zeroed(adapter, layout));
    assert_int_equal(errno, ENOMEM);
}

static void an_impossible_size_gives_null_and_enomem(void **state) {
    (void)state;
    for (size_t align = 1; align <= MAX_ALIGN_TESTED; align <<= 1)
        expect_enomem(layout_of(impossible_size(align), align));
}

/* The largest valid alignment for a one-byte block: half the address
 * space.  Neither library can serve it; both must say so with NULL. */
static void an_impossible_alignment_gives_null_and_enomem(void **state) {
    (void)state;
    expect_enomem(layout_of(1, ((size_t)PTRDIFF_MAX >> 1) + 1));
}

static void a_failed_realloc_keeps_the_old_block(void **state) {
    (void)state;
    /* A small block and a large one: the libraries try different in-place
     * paths for each before they give up. */
    static const size_t sizes[] = {1000, 512u << 10};
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        for (size_t align = 1; align <= 4096; align <<= 1) {
            size_t size = sizes[s];
            unsigned seed = (unsigned)(align + s);
            galloc_layout layout = layout_of(size, align);
            unsigned char *p = galloc_allocator_alloc(adapter, layout);
            assert_non_null(p);
            fill_pattern(p, size, seed);

            errno = 0;
            void *q = galloc_allocator_realloc(adapter, p, layout, impossible_size(align));
            assert_null(q);
            assert_int_equal(errno, ENOMEM);
            /* Still allocated, still the caller's, unchanged... */
            assert_true(has_pattern(p, size, seed));
            check_block(p, layout);

            /* ...and still a normal block: it can be resized and freed. */
            p = galloc_allocator_realloc(adapter, p, layout, 2 * size);
            assert_non_null(p);
            assert_true(is_aligned(p, align));
            assert_true(has_pattern(p, size, seed));
            galloc_allocator_dealloc(adapter, p, layout_of(2 * size, align));
        }
    }
}

/*
 * The sized free gets the right size and alignment for every kind of
 * block.  A mismatch is not always caught by the libraries (jemalloc only
 * asserts in debug builds; a release build files the block under the wrong
 * size class), so this keeps many layouts alive at once, frees them in an
 * interleaved order, and allocates them again over several rounds: a block
 * put back under the wrong class would be handed out again overlapping a
 * live one, which the per-block patterns show.  Half the blocks are
 * reallocated first, so the free also gets sizes that came from a realloc.
 */
#define MAX_LAYOUTS 8192

typedef struct live_block {
    unsigned char *ptr;
    galloc_layout layout;
} live_block;

static live_block live[MAX_LAYOUTS];

static size_t make_layouts(void) {
    size_t n = 0;
    for (size_t align = 1; align <= 4096; align <<= 1) {
        /* Every size up to 256 (each small class and its boundaries)... */
        for (size_t size = 1; size <= 256; size++)
            live[n++].layout = layout_of(size, align);
        /* ...then about four sizes per doubling, up to 1 MiB. */
        for (size_t size = 257; size <= ((size_t)1 << 20); size += size / 4 + 1)
            live[n++].layout = layout_of(size, align);
    }
    assert_true(n <= MAX_LAYOUTS);
    return n;
}

static void sized_dealloc_of_every_layout_works(void **state) {
    (void)state;
    size_t n = make_layouts();
    for (unsigned round = 0; round < 3; round++) {
        for (size_t i = 0; i < n; i++) {
            galloc_layout layout = live[i].layout;
            live[i].ptr = (i + round) % 2 == 0
                              ? galloc_allocator_alloc(adapter, layout)
                              : galloc_allocator_alloc_zeroed(adapter, layout);
            assert_non_null(live[i].ptr);
            assert_true(is_aligned(live[i].ptr, layout.align));
            check_block(live[i].ptr, layout);
            fill_pattern(live[i].ptr, layout.size, (unsigned)i);
        }
        /* Every other block is resized, by turns up and down. */
        for (size_t i = round % 2; i < n; i += 2) {
            galloc_layout layout = live[i].layout;
            size_t new_size = i % 4 < 2 ? layout.size + layout.size / 2 + 1
                                        : (layout.size + 1) / 2;
            unsigned char *p =
                galloc_allocator_realloc(adapter, live[i].ptr, layout, new_size);
            assert_non_null(p);
            assert_true(is_aligned(p, layout.align));
            size_t kept = layout.size < new_size ? layout.size : new_size;
            assert_true(has_pattern(p, kept, (unsigned)i));
            live[i].ptr = p;
            live[i].layout.size = new_size;
            check_block(p, live[i].layout);
            fill_pattern(p, new_size, (unsigned)i);
        }
        /* No two live blocks overlap. */
        for (size_t i = 0; i < n; i++)
            assert_true(has_pattern(live[i].ptr, live[i].layout.size, (unsigned)i));
        /* Free odd ones, then even ones: neighbours are not freed together. */
        for (size_t start = 0; start < 2; start++) {
            for (size_t i = (start + round) % 2; i < n; i += 2) {
                galloc_allocator_dealloc(adapter, live[i].ptr, live[i].layout);
                live[i].ptr = NULL;
            }
        }
        /* The next round starts from the original layouts again. */
        n = make_layouts();
    }
}

/* ---------------------------------------------------------------------------
 * The global allocator.
 * ------------------------------------------------------------------------ */

#if defined(ADAPTER_GLOBAL)

/* Linking the *_global object is the whole override (DESIGN.md row M8):
 * nothing else in this program names galloc_global_allocator. */
static void linking_the_global_library_makes_the_adapter_global(void **state) {
    (void)state;
    assert_ptr_equal(galloc_global(), adapter);
    assert_string_equal(galloc_global()->name, ADAPTER_NAME);

    for (size_t align = 1; align <= 4096; align <<= 1) {
        size_t size = 3 * align + 5;
        unsigned seed = (unsigned)align;
        galloc_layout layout = layout_of(size, align);
        unsigned char *p = galloc_alloc(layout);
        unsigned char *z = galloc_alloc_zeroed(layout);
        assert_non_null(p);
        assert_non_null(z);
        assert_true(is_aligned(p, align));
        assert_true(is_aligned(z, align));
        assert_true(is_all_zero(z, size));
        /* These are the adapter's blocks: its own checks hold. */
        check_block(p, layout);
        check_block(z, layout);
        fill_pattern(p, size, seed);

        p = galloc_realloc(p, layout, 10 * size);
        assert_non_null(p);
        assert_true(is_aligned(p, align));
        assert_true(has_pattern(p, size, seed));
        galloc_dealloc(p, layout_of(10 * size, align));
        /* The global allocator and the adapter object are one allocator. */
        galloc_allocator_dealloc(adapter, z, layout);
    }

    errno = 0;
    assert_null(galloc_alloc(layout_of(impossible_size(64), 64)));
    assert_int_equal(errno, ENOMEM);
}

#else

/* The adapter is just an allocator object until the program asks for more:
 * linking it does not change the global allocator. */
static void linking_the_adapter_alone_keeps_the_system_global(void **state) {
    (void)state;
    assert_ptr_equal(galloc_global(), &galloc_system);
}

#endif

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_adapter_provides_every_function_and_its_name),
        cmocka_unit_test(blocks_are_aligned_for_every_alignment),
        cmocka_unit_test(zeroed_blocks_are_zero),
        cmocka_unit_test(realloc_keeps_contents_and_alignment),
        cmocka_unit_test(an_impossible_size_gives_null_and_enomem),
        cmocka_unit_test(an_impossible_alignment_gives_null_and_enomem),
        cmocka_unit_test(a_failed_realloc_keeps_the_old_block),
        cmocka_unit_test(sized_dealloc_of_every_layout_works),
#if defined(ADAPTER_GLOBAL)
        cmocka_unit_test(linking_the_global_library_makes_the_adapter_global),
#else
        cmocka_unit_test(linking_the_adapter_alone_keeps_the_system_global),
#endif
    };
#if defined(ADAPTER_GLOBAL)
    return cmocka_run_group_tests_name("adapter " ADAPTER_NAME " (global)", tests,
                                       NULL, NULL);
#else
    return cmocka_run_group_tests_name("adapter " ADAPTER_NAME, tests, NULL, NULL);
#endif
}
