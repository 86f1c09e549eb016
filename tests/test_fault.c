/*
 * test_fault.c - failure injection: every call the System allocator makes to
 * the platform is made to fail in turn, for every public operation, and
 * nothing may be lost or leaked.
 *
 * The library under test is galloc_fault, the same sources with the seam of
 * src/sys.h routed through counting, failing wrappers (src/fault.h).  One
 * operation - an allocation, a zeroed allocation or a realloc, by one route
 * into the System allocator, with one layout - is explored as a tree of
 * runs.  The root runs it with nothing failing, which counts the platform
 * calls of each kind.  Then for each kind this platform can fail and each n
 * up to that count, a child runs it again with the n-th call of that kind
 * failing.  A child that still succeeds (a tolerated failure, below) has
 * children of its own, for the calls its fallback made: so the fallback of a
 * failed in-place try gets to fail too.
 *
 * Each run is checked against the failures that actually happened in it
 * (an allocator may take another path from one run to the next, say when a
 * block happens to have room to grow in place):
 *   - none, or only tolerated ones: a correct block - aligned, holding the
 *     old bytes (realloc) or zeros (zeroed) - which is then freed;
 *   - any other: NULL with errno = ENOMEM (it was set to something else
 *     before), and for a realloc the old block unchanged - same bytes, same
 *     address, still aligned - and still resizable and freeable;
 * and either way the tally of live platform blocks back where it was:
 * nothing leaked, nothing released twice.
 *
 * Tolerated by design: the in-place HeapReAlloc try (the backend then moves
 * the block itself), and an allocating call during a shrinking realloc (the
 * old block is big enough as it is, and is kept).
 *
 * The same wrappers also show what only the platform's side of a call can:
 * that a zero size makes no platform call; and how the System allocator
 * copes with platforms other than this one - a malloc that under-aligns
 * small blocks, a release that changes errno or the last error.
 */
#include "support/testing.h"

#include "fault.h"
#include "support/routes.h"

#include <errno.h>
#include <stdio.h>

#if defined(__linux__)
#include <unistd.h> /* sysconf */
#endif

#if defined(_WIN32)
#define WIN32_LEAN_AND_MEAN
#include <windows.h>
#endif

/* The kinds this platform's backend calls and can see fail. */
#if defined(_WIN32)
static const galloc__fault_kind failable[] = {
    GALLOC__FAULT_HEAP_ALLOC,
    GALLOC__FAULT_HEAP_REALLOC_IN_PLACE,
    GALLOC__FAULT_HEAP_REALLOC,
};
#else
static const galloc__fault_kind failable[] = {
    GALLOC__FAULT_MALLOC,
    GALLOC__FAULT_CALLOC,
    GALLOC__FAULT_REALLOC,
    GALLOC__FAULT_POSIX_MEMALIGN,
#if defined(__linux__)
    GALLOC__FAULT_MMAP,
#endif
};
#endif
#define N_FAILABLE (sizeof failable / sizeof failable[0])

/* ------------------------------------------------------------------------
 * The routes into the System allocator: the global front end (System is
 * the global allocator here: no override), the explicit-allocator
 * functions on &galloc_system, the galloc_system object's own functions, and
 * the libc-shaped functions (no alignment argument: their blocks are
 * 16-aligned, so they are only asked for align 16); support/routes.h.
 * --------------------------------------------------------------------- */

static test_route route_values[] = {ROUTE_GLOBAL, ROUTE_EXPLICIT, ROUTE_OBJECT, ROUTE_LIBC};
#define ROUTE(state) (*(const test_route *)*(state))

/* ------------------------------------------------------------------------
 * One operation, and its tree of runs.
 * --------------------------------------------------------------------- */

typedef enum { ALLOC, ALLOC_ZEROED, REALLOC } op_kind;
static const char *const op_names[] = {"alloc", "alloc_zeroed", "realloc"};

typedef struct operation {
    test_route route;
    op_kind kind;
    size_t size; /* of the block allocated, or of the old block */
    size_t align;
    size_t new_size; /* REALLOC only */
    unsigned seed;   /* of the old block's pattern */
} operation;

/* The failures armed in one run: per kind, the call that fails (0: none);
 * and how many posix_memalign calls, from the first, return a misaligned
 * block (src/fault.h). */
typedef struct plan {
    unsigned long fail_call[GALLOC__FAULT_KINDS];
    unsigned long misalign;
} plan;

/* What the suite did, for its closing line and its last check. */
static unsigned long runs;
static unsigned long injected[GALLOC__FAULT_KINDS]; /* failures that happened */
static unsigned long tolerated;                     /* ... and were absorbed */
static unsigned long unreached; /* armed calls a run did not make */
static unsigned long misaligned_recovered; /* runs that got a misaligned block, and a block */
static unsigned long misaligned_given_up;  /* runs where every try was misaligned */

/* How many misaligned answers in a row the backend takes before it gives
 * up (GALLOC__SYS_ALIGNED_TRIES in src/posix/sys.c). */
#define ALIGNED_TRIES 3

/* "realloc (explicit) 100 -> 4096, align 64, failing posix_memalign #1" */
static const char *describe(const operation *op, const plan *p) {
    static char text[512]; /* far more than the longest description */
    int len = snprintf(text, sizeof text, "%s (%s) %zu", op_names[op->kind],
                       route_names[op->route], op->size);
    if (op->kind == REALLOC)
        len += snprintf(text + len, sizeof text - (size_t)len, " -> %zu", op->new_size);
    len += snprintf(text + len, sizeof text - (size_t)len, ", align %zu, failing", op->align);
    int nothing = len;
    for (int kind = 0; kind < GALLOC__FAULT_KINDS; kind++)
        if (p->fail_call[kind] != 0)
            len += snprintf(text + len, sizeof text - (size_t)len, " %s #%lu",
                            galloc__fault_kind_name((galloc__fault_kind)kind),
                            p->fail_call[kind]);
    if (p->misalign != 0)
        len += snprintf(text + len, sizeof text - (size_t)len,
                        " misaligning posix_memalign #1..#%lu", p->misalign);
    if (len == nothing)
        snprintf(text + len, sizeof text - (size_t)len, " nothing");
    return text;
}

/* An assertion that names the operation and the failures of the run. */
#define CHECK(cond)                                                            \
    do {                                                                       \
        if (!(cond))                                                           \
            fail_msg("%s: %s", describe(op, p), #cond);                        \
    } while (0)

static bool tolerated_by_design(const operation *op, galloc__fault_kind kind) {
    /* (A failed page replacement falls back to memset: issue 16.) */
    if (kind == GALLOC__FAULT_HEAP_REALLOC_IN_PLACE || kind == GALLOC__FAULT_MMAP)
        return true;
    bool allocating = kind == GALLOC__FAULT_MALLOC || kind == GALLOC__FAULT_CALLOC ||
                      kind == GALLOC__FAULT_POSIX_MEMALIGN ||
                      kind == GALLOC__FAULT_HEAP_ALLOC;
    return allocating && op->kind == REALLOC && op->new_size < op->size;
}

/* A block the operation returned: aligned, holding what it must, counted
 * once in the tally (base + 1); then released, keeping errno, and the tally
 * is back at base. */
static void check_block_and_release(const operation *op, const plan *p,
                                    unsigned char *block, long base) {
    size_t size = op->kind == REALLOC ? op->new_size : op->size;
    CHECK(block != NULL);
    CHECK(is_aligned(block, op->align));
    if (op->kind == ALLOC_ZEROED)
        CHECK(is_all_zero(block, size));
    if (op->kind == REALLOC)
        CHECK(has_pattern(block, op->size < size ? op->size : size, op->seed));
    CHECK(galloc__fault_live_blocks() == base + 1);
    errno = EDOM;
    route_dealloc(op->route, &galloc_system, block, size, op->align);
    CHECK(errno == EDOM);
    CHECK(galloc__fault_live_blocks() == base);
}

/* One run of op with the failures of p, checked; if it gave a block, its
 * children. */
static void explore(const operation *op, const plan *p) {
    long base = galloc__fault_live_blocks();
    unsigned char *old = NULL;
    if (op->kind == REALLOC) {
        old = route_alloc(op->route, &galloc_system, op->size, op->align, false);
        CHECK(old != NULL);
        fill_pattern(old, op->size, op->seed);
    }

    galloc__fault_reset();
    for (int kind = 0; kind < GALLOC__FAULT_KINDS; kind++)
        galloc__fault_fail_call((galloc__fault_kind)kind, p->fail_call[kind]);
    galloc__fault_misalign_calls(1, p->misalign);
    /* Every block the platform hands out holds old bytes, so zeros must be
     * written, or be fresh pages: a fresh block would pass either way. */
    galloc__fault_dirty_blocks(true);
    errno = EDOM; /* anything but ENOMEM */
    unsigned char *result = op->kind == REALLOC
                                ? route_realloc(op->route, &galloc_system, old, op->size, op->align,
                                                op->new_size)
                                : route_alloc(op->route, &galloc_system, op->size, op->align,
                                              op->kind == ALLOC_ZEROED);
    int error = errno;
    unsigned long calls[GALLOC__FAULT_KINDS];
    for (int kind = 0; kind < GALLOC__FAULT_KINDS; kind++)
        calls[kind] = galloc__fault_calls((galloc__fault_kind)kind);
    unsigned long misaligned = galloc__fault_misaligned();
    galloc__fault_reset(); /* nothing fails from here on */
    runs++;

    bool expect_block = true;
    bool any_failed = false;
    for (int kind = 0; kind < GALLOC__FAULT_KINDS; kind++) {
        if (p->fail_call[kind] == 0)
            continue;
        if (calls[kind] < p->fail_call[kind]) {
            unreached++;
            continue;
        }
        injected[kind]++;
        any_failed = true;
        if (!tolerated_by_design(op, (galloc__fault_kind)kind))
            expect_block = false;
    }
    /* A misaligned block is replaced; only when every try was misaligned
     * does the aligned allocation fail, as if out of memory. */
    if (misaligned >= ALIGNED_TRIES) {
        misaligned_given_up++;
        any_failed = true;
        if (!tolerated_by_design(op, GALLOC__FAULT_POSIX_MEMALIGN))
            expect_block = false;
    } else if (misaligned > 0 && expect_block) {
        misaligned_recovered++;
    }

    if (expect_block) {
        tolerated += any_failed;
        check_block_and_release(op, p, result, base);
    } else {
        CHECK(result == NULL);
        CHECK(error == ENOMEM);
        if (old != NULL) {
            CHECK(galloc__fault_live_blocks() == base + 1); /* the old block, live */
            CHECK(is_aligned(old, op->align));
            CHECK(has_pattern(old, op->size, op->seed));
            result = route_realloc(op->route, &galloc_system, old, op->size, op->align, op->new_size);
            check_block_and_release(op, p, result, base);
        }
        CHECK(galloc__fault_live_blocks() == base);
        return;
    }

    /* Fail, in turn, each call this run made of a kind not failing yet. */
    for (size_t i = 0; i < N_FAILABLE; i++) {
        galloc__fault_kind kind = failable[i];
        if (p->fail_call[kind] != 0)
            continue;
        for (unsigned long n = 1; n <= calls[kind]; n++) {
            plan child = *p;
            child.fail_call[kind] = n;
            explore(op, &child);
        }
    }
}

static void explore_operation_misaligning(test_route route, op_kind kind, size_t size,
                                          size_t align, size_t new_size,
                                          unsigned long misalign) {
    static unsigned seed;
    operation op = {route, kind, size, align, new_size, ++seed};
    plan start = {{0}, misalign};
    explore(&op, &start);
}

static void explore_operation(test_route route, op_kind kind, size_t size, size_t align,
                              size_t new_size) {
    explore_operation_misaligning(route, kind, size, align, new_size, 0);
}

/* ------------------------------------------------------------------------
 * The layouts.
 * --------------------------------------------------------------------- */

static const size_t aligns[] = {1, 8, 16, 64, 4096, 65536};
static const size_t libc_align[] = {16};

static const size_t *aligns_of(test_route route, size_t *count) {
    if (route == ROUTE_LIBC) {
        *count = 1;
        return libc_align;
    }
    *count = sizeof aligns / sizeof aligns[0];
    return aligns;
}

/* Sizes crossing `align` (below, at, just past, a few times it) and one
 * unrelated to it; out holds up to MAX_SIZES.  Returns how many. */
enum { MAX_SIZES = 7 };
static size_t sizes_crossing(size_t align, size_t out[MAX_SIZES]) {
    const size_t candidates[MAX_SIZES] = {1,         align / 2,         align - 1, align,
                                          align + 1, 4 * align + 7, 3000};
    size_t count = 0;
    for (size_t i = 0; i < MAX_SIZES; i++) {
        bool seen = candidates[i] == 0;
        for (size_t j = 0; j < count; j++)
            seen = seen || out[j] == candidates[i];
        if (!seen)
            out[count++] = candidates[i];
    }
    return count;
}

/* Explores `kind` with every size crossing each alignment of the route; a
 * realloc goes from each of them to each larger one (grow) or each smaller
 * one (shrink). */
static void explore_layouts(void **state, op_kind kind, bool grow) {
    test_route route = ROUTE(state);
    size_t n_aligns;
    const size_t *route_aligns = aligns_of(route, &n_aligns);
    for (size_t a = 0; a < n_aligns; a++) {
        size_t align = route_aligns[a];
        size_t sizes[MAX_SIZES];
        size_t n_sizes = sizes_crossing(align, sizes);
        for (size_t from = 0; from < n_sizes; from++) {
            if (kind != REALLOC) {
                explore_operation(route, kind, sizes[from], align, 0);
                continue;
            }
            for (size_t to = 0; to < n_sizes; to++)
                if (grow ? sizes[from] < sizes[to] : sizes[from] > sizes[to])
                    explore_operation(route, REALLOC, sizes[from], align, sizes[to]);
        }
    }
}

static void alloc_failures(void **state) {
    explore_layouts(state, ALLOC, false);
}

static void alloc_zeroed_failures(void **state) {
    explore_layouts(state, ALLOC_ZEROED, false);
}

static void realloc_grow_failures(void **state) {
    explore_layouts(state, REALLOC, true);
}

static void realloc_shrink_failures(void **state) {
    explore_layouts(state, REALLOC, false);
}

/*
 * Over-aligned blocks of 32 MiB and more: on 64-bit glibc the backend moves
 * them with realloc (mremap), with an aligned fallback allocated first, so a
 * failure can strike the fallback, the realloc, or neither.  Also blocks
 * crossing that threshold, and an alignment above the page size, which take
 * the copying path.  Elsewhere these are just large blocks, always copied.  Through the
 * global front end only: every route reaches the same backend function, and
 * the small cases already take each route there; a large block costs a
 * fraction of a second per run.
 */
#define MIB ((size_t)1 << 20)
static void large_realloc_failures(void **state) {
    static const size_t large_aligns[] = {64, 4096, 65536};
    static const size_t resizes[][2] = {
        {32 * MIB + 5, 33 * MIB + 3}, /* grow, both above the threshold */
        {66 * MIB + 5, 32 * MIB + 3}, /* shrink to under half, both above */
        {16 * MIB + 5, 40 * MIB},     /* grow across it */
        {40 * MIB, 8 * MIB + 1},      /* shrink across it */
    };
    test_route route = ROUTE(state);
    unsigned long realloc_failures = injected[GALLOC__FAULT_REALLOC];
    for (size_t a = 0; a < sizeof large_aligns / sizeof large_aligns[0]; a++)
        for (size_t r = 0; r < sizeof resizes / sizeof resizes[0]; r++)
            explore_operation(route, REALLOC, resizes[r][0], large_aligns[a], resizes[r][1]);
#if defined(__GLIBC__) && defined(__linux__)
    /* Over-aligned blocks reach realloc only on that path: it was taken. */
    assert_true(injected[GALLOC__FAULT_REALLOC] > realloc_failures);
#elif !defined(_WIN32)
    /* Other Unix mallocs (musl's, the BSDs') promise nothing of the kind:
     * over-aligned blocks are never handed to realloc, they are copied. */
    assert_int_equal(injected[GALLOC__FAULT_REALLOC], realloc_failures);
#else
    (void)realloc_failures;
#endif
}

/*
 * A platform whose aligned call hands back misaligned blocks (mimalloc
 * 2.0.9's posix_memalign does for {256, 256} and the like): the first one,
 * two, then all of the backend's tries come back misaligned, with every
 * other call failing in turn on top.  Each run must give an aligned block
 * with the right contents, or NULL + ENOMEM with the old block intact, and
 * leave no platform block behind - the misaligned ones included.
 * Over-aligned layouts only: smaller alignments never reach posix_memalign
 * through these routes (the libc-shaped ones never ask for more than 16).
 */
static void misaligned_platform_blocks_are_replaced(void **state) {
#if defined(_WIN32)
    (void)state;
    skip(); /* the Windows backend aligns inside HeapAlloc blocks itself */
#else
    static const size_t over_aligns[] = {64, 256, 4096};
    test_route route = ROUTE(state);
    unsigned long recovered = misaligned_recovered, given_up = misaligned_given_up;
    for (unsigned long misalign = 1; misalign <= ALIGNED_TRIES; misalign++) {
        for (size_t a = 0; a < sizeof over_aligns / sizeof over_aligns[0]; a++) {
            size_t align = over_aligns[a];
            size_t sizes[MAX_SIZES];
            size_t n_sizes = sizes_crossing(align, sizes);
            for (size_t i = 0; i < n_sizes; i++) {
                explore_operation_misaligning(route, ALLOC, sizes[i], align, 0, misalign);
                explore_operation_misaligning(route, ALLOC_ZEROED, sizes[i], align, 0,
                                              misalign);
                /* Grown far past anything usable in place: it must move. */
                explore_operation_misaligning(route, REALLOC, sizes[i], align,
                                              sizes[i] + 5 * align + 3, misalign);
            }
        }
    }
    /* Both outcomes happened in this test: no part passed unreached. */
    assert_true(misaligned_recovered > recovered);
    assert_true(misaligned_given_up > given_up);
#endif
}

/*
 * Sizes no machine can hold, under a malloc that fails them without setting
 * errno (jemalloc 5.3's realloc does above its largest size class,
 * 0x7000000000000000 on 64-bit targets): every route still says ENOMEM, and
 * a failed realloc keeps the block.  The backend trusts the platform's errno
 * only up to half the address space (GALLOC__SYS_TRUSTED_MAX in
 * src/posix/sys.c); these are all above it.
 */
static void impossible_sizes_are_enomem_whatever_malloc_leaves_in_errno(void **state) {
#if defined(_WIN32)
    (void)state;
    skip(); /* HeapAlloc never sets errno: the backend always does */
#else
    test_route route = ROUTE(state);
    const size_t sizes[] = {(size_t)PTRDIFF_MAX - 65535, (size_t)PTRDIFF_MAX / 8 * 7 + 1,
                            (size_t)PTRDIFF_MAX / 2 + 1};
    /* On 32-bit targets only the first is beyond every address space. */
    size_t n_sizes = sizeof(size_t) >= 8 ? 3 : 1;
    size_t n_aligns;
    const size_t *route_aligns = aligns_of(route, &n_aligns);
    for (size_t a = 0; a < n_aligns && route_aligns[a] <= 16; a++) {
        size_t align = route_aligns[a];
        for (size_t i = 0; i < n_sizes; i++) {
            size_t size = sizes[i];
            unsigned char *old = route_alloc(route, &galloc_system, 100, align, false);
            assert_non_null(old);
            fill_pattern(old, 100, 9);
            galloc__fault_reset();
            galloc__fault_silent_failures(true);
            for (int zeroed = 0; zeroed <= 1; zeroed++) {
                errno = EDOM;
                assert_null(route_alloc(route, &galloc_system, size, align, zeroed));
                assert_int_equal(errno, ENOMEM);
            }
            errno = EDOM;
            assert_null(route_realloc(route, &galloc_system, old, 100, align, size));
            assert_int_equal(errno, ENOMEM);
            galloc__fault_reset();
            assert_true(has_pattern(old, 100, 9));
            route_dealloc(route, &galloc_system, old, 100, align);
        }
    }
    /* The harness's own check: a failure it injects in silent mode really
     * leaves errno alone (where malloc is trusted, so does galloc). */
    galloc__fault_silent_failures(true);
    galloc__fault_fail_call(GALLOC__FAULT_MALLOC, 1);
    errno = EDOM;
    assert_null(galloc_alloc(layout_of(100, 16)));
    assert_int_equal(errno, EDOM);
    galloc__fault_reset();
#endif
}

/* ------------------------------------------------------------------------
 * What only the platform's side shows.
 * --------------------------------------------------------------------- */

/* Platform calls since the last reset: of every kind, and those that
 * allocate a block. */
static unsigned long calls_of_every_kind(void) {
    unsigned long total = 0;
    for (int kind = 0; kind < GALLOC__FAULT_KINDS; kind++)
        total += galloc__fault_calls((galloc__fault_kind)kind);
    return total;
}

static unsigned long allocating_calls(void) {
    return galloc__fault_calls(GALLOC__FAULT_MALLOC) + galloc__fault_calls(GALLOC__FAULT_CALLOC) +
           galloc__fault_calls(GALLOC__FAULT_POSIX_MEMALIGN) +
           galloc__fault_calls(GALLOC__FAULT_HEAP_ALLOC);
}

static unsigned long releasing_calls(void) {
    return galloc__fault_calls(GALLOC__FAULT_FREE) + galloc__fault_calls(GALLOC__FAULT_HEAP_FREE);
}

/*
 * DESIGN.md: a zero-size layout allocates nothing, and deallocating it does
 * nothing; a realloc from size 0 allocates, and one to size 0 frees and
 * returns the zero-size pointer.  Seen where it happens, on the platform:
 * the zero-size pointer costs no call of any kind and leaves no block; a
 * realloc from it makes the one allocating call of the new block (the
 * zero-size pointer is never handed to the platform), and a realloc to it
 * the one release of the old block.  Through the routes that take a zero
 * size: the object's own functions never get one (the front end answers).
 */
static void zero_size_allocates_nothing_on_the_platform(void **state) {
    static const size_t zero_aligns[] = {1, 2, 8, 16, 32, 64, 4096, 65536};
    test_route route = ROUTE(state);
    for (size_t a = 0; a < sizeof zero_aligns / sizeof zero_aligns[0]; a++) {
        size_t align = zero_aligns[a];
        long base = galloc__fault_live_blocks();
        galloc__fault_reset();
        void *empty = route_alloc(route, &galloc_system, 0, align, false);
        void *zeroed = route_alloc(route, &galloc_system, 0, align, true);
        void *still_empty = route_realloc(route, &galloc_system, empty, 0, align, 0);
        assert_non_null(empty);
        assert_non_null(zeroed);
        assert_non_null(still_empty);
        assert_true(is_aligned(empty, align));
        assert_true(is_aligned(zeroed, align));
        assert_true(is_aligned(still_empty, align));
        route_dealloc(route, &galloc_system, zeroed, 0, align);
        route_dealloc(route, &galloc_system, still_empty, 0, align);
        assert_int_equal(calls_of_every_kind(), 0);
        assert_int_equal(galloc__fault_live_blocks(), base);

        galloc__fault_reset();
        unsigned char *grown = route_realloc(route, &galloc_system, empty, 0, align, 100);
        assert_non_null(grown);
        assert_true(is_aligned(grown, align));
        assert_int_equal(allocating_calls(), 1);
        assert_int_equal(calls_of_every_kind(), 1);
        assert_int_equal(galloc__fault_live_blocks(), base + 1);

        galloc__fault_reset();
        void *shrunk = route_realloc(route, &galloc_system, grown, 100, align, 0);
        assert_non_null(shrunk);
        assert_true(is_aligned(shrunk, align));
        assert_int_equal(releasing_calls(), 1);
        assert_int_equal(calls_of_every_kind(), 1);
        assert_int_equal(galloc__fault_live_blocks(), base);
        route_dealloc(route, &galloc_system, shrunk, 0, align);
        assert_int_equal(calls_of_every_kind(), 1);
    }
}

/*
 * Blocks smaller than their alignment, under a malloc that gives a small
 * block only the alignment its size requires, as jemalloc's small size
 * classes do (galloc__fault_underalign_small_blocks): malloc's alignment
 * does not serve them, so whatever the route, each must come out aligned,
 * zeroed where asked, and keep its bytes through reallocs - to every other
 * small size, up to a large block and back.  glibc's malloc aligns every
 * block to 16: without this mode, serving them with malloc would pass.
 * Blocks malloc does serve (size at least the alignment) come out
 * under-aligned as the mode makes them, and stay aligned as asked.  The
 * libc-shaped route never has a block smaller than its alignment.
 */
#define SMALL_MAX 15 /* below malloc's alignment on every 64-bit target */
static void blocks_smaller_than_their_alignment_are_aligned_where_malloc_underaligns(
    void **state) {
#if defined(_WIN32)
    (void)state;
    skip(); /* HeapAlloc aligns every block alike, whatever its size */
#else
    static const galloc_layout layouts[] = {
        /* smaller than their alignment */
        {1, 2}, {1, 4}, {3, 4}, {2, 8}, {4, 8}, {7, 8}, {8, 16}, {12, 16}, {15, 16},
        /* served by malloc, as under-aligned as their size allows */
        {1, 1}, {3, 2}, {4, 4}, {12, 8}, {15, 1},
    };
    test_route route = ROUTE(state);
    long base = galloc__fault_live_blocks();
    bool saw_underaligned = false; /* the harness's own check */
    galloc__fault_reset();
    galloc__fault_underalign_small_blocks(true);
    for (size_t i = 0; i < sizeof layouts / sizeof layouts[0]; i++) {
        size_t size = layouts[i].size, align = layouts[i].align;
        unsigned seed = (unsigned)i;
        unsigned char *zeroed = route_alloc(route, &galloc_system, size, align, true);
        assert_non_null(zeroed);
        assert_true(is_aligned(zeroed, align));
        assert_true(is_all_zero(zeroed, size));
        saw_underaligned |= !is_aligned(zeroed, 2 * sizeof(void *));
        route_dealloc(route, &galloc_system, zeroed, size, align);

        unsigned char *p = route_alloc(route, &galloc_system, size, align, false);
        assert_non_null(p);
        assert_true(is_aligned(p, align));
        saw_underaligned |= !is_aligned(p, 2 * sizeof(void *));
        fill_pattern(p, size, seed);
        /* Through every small size, then a large block, then back. */
        size_t old_size = size;
        for (size_t step = 1; step <= SMALL_MAX + 2; step++) {
            size_t new_size = step <= SMALL_MAX ? step : step == SMALL_MAX + 1 ? 100 : size;
            p = route_realloc(route, &galloc_system, p, old_size, align, new_size);
            assert_non_null(p);
            assert_true(is_aligned(p, align));
            saw_underaligned |= !is_aligned(p, 2 * sizeof(void *));
            assert_true(has_pattern(p, old_size < new_size ? old_size : new_size, seed));
            fill_pattern(p, new_size, seed);
            old_size = new_size;
        }
        route_dealloc(route, &galloc_system, p, size, align);
    }
    unsigned long underaligned = galloc__fault_underaligned();
    galloc__fault_reset();
    assert_int_equal(galloc__fault_live_blocks(), base);
    assert_true(underaligned > 0);
    assert_true(saw_underaligned);
#endif
}

/*
 * DESIGN.md: galloc_dealloc never changes errno, nor GetLastError() on
 * Windows - also where the platform's release does
 * (galloc__fault_clobbering_releases): free before glibc 2.33, which a
 * munmap inside it could leave set, and on glibc the backend is told so and
 * keeps errno itself, the path older glibcs and other libcs take (on glibc
 * 2.33 and later it runs nowhere else); HeapFree, which may set the
 * thread's last error.  Plain and over-aligned blocks, every route.
 */
static void dealloc_keeps_errno_and_the_last_error_where_the_release_changes_them(
    void **state) {
    static const galloc_layout layouts[] = {{1, 1},      {100, 8},     {24, 16},
                                            {100, 64},   {5000, 4096}, {70000, 65536},
                                            {1 << 20, 8}};
    test_route route = ROUTE(state);
    long base = galloc__fault_live_blocks();
    for (size_t i = 0; i < sizeof layouts / sizeof layouts[0]; i++) {
        size_t size = layouts[i].size, align = layouts[i].align;
        void *p = route_alloc(route, &galloc_system, size, align, false);
        assert_non_null(p);
        galloc__fault_reset();
        galloc__fault_clobbering_releases(true);
        errno = EDOM;
#if defined(_WIN32)
        SetLastError(ERROR_FILE_NOT_FOUND);
#endif
        route_dealloc(route, &galloc_system, p, size, align);
        /* Read before anything else can change them. */
        int error = errno;
#if defined(_WIN32)
        DWORD last_error = GetLastError();
#endif
        unsigned long releases = releasing_calls();
        galloc__fault_reset();
        /* (%lu: CMocka's own printf may not know %zu on Windows.) */
        if (error != EDOM)
            fail_msg("dealloc (%s) %lu, align %lu: errno %d, was EDOM (%d)",
                     route_names[route], (unsigned long)size, (unsigned long)align, error, EDOM);
#if defined(_WIN32)
        if (last_error != ERROR_FILE_NOT_FOUND)
            fail_msg("dealloc (%s) %lu, align %lu: GetLastError() %lu, was %lu",
                     route_names[route], (unsigned long)size, (unsigned long)align,
                     (unsigned long)last_error, (unsigned long)ERROR_FILE_NOT_FOUND);
#endif
        assert_int_equal(releases, 1); /* the release that changes them ran */
    }
    assert_int_equal(galloc__fault_live_blocks(), base);
}

/* C++'s new of an object smaller than its default alignment (16) is a
 * plain malloc call, not posix_memalign: no object of that size can need
 * more than the largest power of two dividing it, which malloc gives even
 * where it under-aligns small blocks (jemalloc; the under-aligning mode).
 * An over-aligned request keeps posix_memalign.  Unsized deletes, told
 * only the alignment, release both.  (Windows: HeapAlloc serves any size
 * alike, and an over-aligned block is found by its alignment.) */
static void small_cxx_blocks_are_plain_malloc_calls(void **state) {
    (void)state;
#if defined(_WIN32)
    skip();
#else
    galloc__fault_reset();
    galloc__fault_underalign_small_blocks(true);
    long base = galloc__fault_live_blocks();
    for (size_t size = 1; size < 16; size++) {
        unsigned long mallocs = galloc__fault_calls(GALLOC__FAULT_MALLOC);
        unsigned long memaligns = galloc__fault_calls(GALLOC__FAULT_POSIX_MEMALIGN);
        void *small = galloc_new(size, 16);
        assert_non_null(small);
        assert_true(is_aligned(small, size & (0 - size)));
        assert_int_equal(galloc__fault_calls(GALLOC__FAULT_MALLOC), mallocs + 1);
        assert_int_equal(galloc__fault_calls(GALLOC__FAULT_POSIX_MEMALIGN), memaligns);
        galloc_delete(small, GALLOC_SIZE_UNKNOWN, 16);
        void *wide = galloc_new(size, 32);
        assert_non_null(wide);
        assert_true(is_aligned(wide, 32));
        assert_int_equal(galloc__fault_calls(GALLOC__FAULT_POSIX_MEMALIGN), memaligns + 1);
        galloc_delete(wide, GALLOC_SIZE_UNKNOWN, 32);
    }
    assert_int_equal(galloc__fault_live_blocks(), base);
    galloc__fault_reset();
#endif
}

#if defined(__linux__)
/*
 * Issue 16: a zeroed over-aligned block with at least 128 KiB of whole
 * pages gets them as fresh zero pages (one mmap over them), its partial
 * pages at the ends written; a smaller one is written with memset.  Both
 * must hold zeros whatever the block held before (every block is dirtied
 * here), keep errno, and be freed as any other.  The threshold is
 * GALLOC__SYS_ZERO_PAGES_MIN of src/posix/sys.c.
 */
#define ZERO_PAGES_MIN ((size_t)128 * 1024)

static const galloc_layout zeroing_layouts[] = {
    {3 * 4096 + 100, 64},                /* memset: a few pages */
    {(size_t)64 << 10, 4096},            /* memset */
    {((size_t)128 << 10) - 1, 4096},     /* memset: a byte short of the pages */
    {(size_t)128 << 10, 4096},           /* pages: exactly the threshold */
    {((size_t)1 << 20) + 123, 64},       /* pages, partial pages at both ends */
    {((size_t)4 << 20) + 4095, 128},     /* pages */
    {((size_t)2 << 20) + 1, 65536},      /* pages, a page-aligned start */
};

/* Whether the backend replaces the pages of block (size bytes): at least
 * ZERO_PAGES_MIN of whole pages inside it. */
static bool takes_page_path(const void *block, size_t size) {
    uintptr_t page_mask = (uintptr_t)sysconf(_SC_PAGESIZE) - 1;
    uintptr_t start = ((uintptr_t)block + page_mask) & ~page_mask;
    uintptr_t end = ((uintptr_t)block + size) & ~page_mask;
    return end > start && end - start >= ZERO_PAGES_MIN;
}

/* Allocates every zeroing layout zeroed over dirty memory, with mmap's
 * call number fail_mmap failing (0: none); checks each block; returns how
 * many took the page path. */
static unsigned zero_dirty_blocks(test_route route, unsigned long fail_mmap) {
    long base = galloc__fault_live_blocks();
    unsigned paged = 0;
    for (size_t i = 0; i < sizeof zeroing_layouts / sizeof zeroing_layouts[0]; i++) {
        size_t size = zeroing_layouts[i].size, align = zeroing_layouts[i].align;
        galloc__fault_reset();
        galloc__fault_dirty_blocks(true);
        /* The path is the same whatever kernel runs the test (the one
         * after the first that keeps the old pages when it fails). */
        galloc__fault_kernel_release("6.12.0");
        galloc__fault_fail_call(GALLOC__FAULT_MMAP, fail_mmap);
        errno = EDOM;
        unsigned char *p = route_alloc(route, &galloc_system, size, align, true);
        int error = errno;
        unsigned long mmaps = galloc__fault_calls(GALLOC__FAULT_MMAP);
        galloc__fault_reset();
        assert_non_null(p);
        assert_true(is_aligned(p, align));
        bool paging = takes_page_path(p, size);
        paged += paging;
        if (!is_all_zero(p, size)) {
            size_t at = 0;
            while (p[at] == 0)
                at++;
            fail_msg("alloc_zeroed (%s) %lu, align %lu (%s%s): byte %lu is 0x%02x",
                     route_names[route], (unsigned long)size, (unsigned long)align,
                     paging ? "pages replaced" : "memset",
                     fail_mmap != 0 ? ", mmap failing" : "", (unsigned long)at, p[at]);
        }
        if (error != EDOM)
            fail_msg("alloc_zeroed (%s) %lu, align %lu: errno %d, was EDOM", route_names[route],
                     (unsigned long)size, (unsigned long)align, error);
        assert_int_equal(mmaps, paging ? 1 : 0);
        route_dealloc(route, &galloc_system, p, size, align);
    }
    assert_int_equal(galloc__fault_live_blocks(), base);
    return paged;
}

#endif

static void zeroed_blocks_hold_zeros_over_dirty_memory_on_both_paths(void **state) {
#if !defined(__linux__)
    (void)state;
    skip(); /* zero pages by mmap are the Linux backend's only (src/posix/sys.c) */
#else
    unsigned paged = zero_dirty_blocks(ROUTE(state), 0);
    size_t n = sizeof zeroing_layouts / sizeof zeroing_layouts[0];
    assert_true(paged > 0 && paged < n); /* both paths were taken */
#endif
}

/* Before Linux 6.12 a MAP_FIXED mmap that fails may already have unmapped
 * the old pages, and the memset fallback would fault on the hole: on those
 * kernels, and where the release cannot be read, a large zeroed block is
 * written with memset and no mmap is made. */
static void old_kernels_zero_with_memset_only(void **state) {
#if !defined(__linux__)
    (void)state;
    skip(); /* as above */
#else
    (void)state;
    static const struct {
        const char *release;
        bool pages;
    } kernels[] = {
        {"6.1.0-28-amd64", false}, {"5.15.0", false}, {"6.11.9", false}, {"4.19", false},
        {"6", false},              {"x.y", false},    {"", false},       {"6.12.0", true},
        {"6.18.2-cloud", true},    {"7.0", true},     {"10.1.0", true},
    };
    const size_t size = (size_t)1 << 20, align = 4096;
    for (size_t i = 0; i < sizeof kernels / sizeof kernels[0]; i++) {
        galloc__fault_reset();
        galloc__fault_dirty_blocks(true);
        galloc__fault_kernel_release(kernels[i].release);
        galloc_layout layout = {size, align};
        unsigned char *p = galloc_allocator_alloc_zeroed(&galloc_system, layout);
        unsigned long mmaps = galloc__fault_calls(GALLOC__FAULT_MMAP);
        galloc__fault_reset();
        assert_non_null(p);
        assert_true(is_all_zero(p, size));
        if (mmaps != (kernels[i].pages ? 1u : 0u))
            fail_msg("kernel '%s': %lu mmap calls, expected %d", kernels[i].release, mmaps,
                     kernels[i].pages ? 1 : 0);
        galloc_allocator_dealloc(&galloc_system, p, layout);
    }
#endif
}

static void a_failed_page_replacement_falls_back_to_memset(void **state) {
#if !defined(__linux__)
    (void)state;
    skip(); /* as above */
#else
    assert_true(zero_dirty_blocks(ROUTE(state), 1) > 0);
#endif
}

/* Every kind this platform can fail did fail somewhere in the cases before
 * this one (CMocka runs them in the order registered, this one last), so no
 * part of the suite passed by never reaching its failures.  A test case,
 * not the group teardown it once was: CMocka 1.1.5 prints a failing group
 * teardown and still exits 0. */
static void every_kind_of_call_was_made_to_fail(void **state) {
    (void)state;
    print_message("%lu runs, %lu with tolerated failures, %lu armed calls not reached;"
                  " failures injected:",
                  runs, tolerated, unreached);
    for (size_t i = 0; i < N_FAILABLE; i++)
        print_message(" %s %lu", galloc__fault_kind_name(failable[i]), injected[failable[i]]);
    print_message("\n");
    for (size_t i = 0; i < N_FAILABLE; i++)
        if (injected[failable[i]] == 0)
            fail_msg("no %s call was ever made to fail", galloc__fault_kind_name(failable[i]));
}

#define FOR_ROUTE(test, route)                                                 \
    { #test " (" #route ")", test, NULL, NULL, &route_values[ROUTE_##route] }

int main(void) {
    const struct CMUnitTest tests[] = {
        FOR_ROUTE(alloc_failures, GLOBAL),
        FOR_ROUTE(alloc_failures, EXPLICIT),
        FOR_ROUTE(alloc_failures, OBJECT),
        FOR_ROUTE(alloc_failures, LIBC),
        FOR_ROUTE(alloc_zeroed_failures, GLOBAL),
        FOR_ROUTE(alloc_zeroed_failures, EXPLICIT),
        FOR_ROUTE(alloc_zeroed_failures, OBJECT),
        FOR_ROUTE(alloc_zeroed_failures, LIBC),
        FOR_ROUTE(realloc_grow_failures, GLOBAL),
        FOR_ROUTE(realloc_grow_failures, EXPLICIT),
        FOR_ROUTE(realloc_grow_failures, OBJECT),
        FOR_ROUTE(realloc_grow_failures, LIBC),
        FOR_ROUTE(realloc_shrink_failures, GLOBAL),
        FOR_ROUTE(realloc_shrink_failures, EXPLICIT),
        FOR_ROUTE(realloc_shrink_failures, OBJECT),
        FOR_ROUTE(realloc_shrink_failures, LIBC),
        FOR_ROUTE(large_realloc_failures, GLOBAL),
        FOR_ROUTE(misaligned_platform_blocks_are_replaced, GLOBAL),
        FOR_ROUTE(misaligned_platform_blocks_are_replaced, EXPLICIT),
        FOR_ROUTE(misaligned_platform_blocks_are_replaced, OBJECT),
        FOR_ROUTE(impossible_sizes_are_enomem_whatever_malloc_leaves_in_errno, GLOBAL),
        FOR_ROUTE(impossible_sizes_are_enomem_whatever_malloc_leaves_in_errno, EXPLICIT),
        FOR_ROUTE(impossible_sizes_are_enomem_whatever_malloc_leaves_in_errno, OBJECT),
        FOR_ROUTE(impossible_sizes_are_enomem_whatever_malloc_leaves_in_errno, LIBC),
        FOR_ROUTE(zero_size_allocates_nothing_on_the_platform, GLOBAL),
        FOR_ROUTE(zero_size_allocates_nothing_on_the_platform, EXPLICIT),
        FOR_ROUTE(blocks_smaller_than_their_alignment_are_aligned_where_malloc_underaligns,
                  GLOBAL),
        FOR_ROUTE(blocks_smaller_than_their_alignment_are_aligned_where_malloc_underaligns,
                  EXPLICIT),
        FOR_ROUTE(blocks_smaller_than_their_alignment_are_aligned_where_malloc_underaligns,
                  OBJECT),
        FOR_ROUTE(zeroed_blocks_hold_zeros_over_dirty_memory_on_both_paths, GLOBAL),
        FOR_ROUTE(zeroed_blocks_hold_zeros_over_dirty_memory_on_both_paths, EXPLICIT),
        FOR_ROUTE(zeroed_blocks_hold_zeros_over_dirty_memory_on_both_paths, OBJECT),
        cmocka_unit_test(old_kernels_zero_with_memset_only),
        FOR_ROUTE(a_failed_page_replacement_falls_back_to_memset, GLOBAL),
        FOR_ROUTE(a_failed_page_replacement_falls_back_to_memset, EXPLICIT),
        FOR_ROUTE(a_failed_page_replacement_falls_back_to_memset, OBJECT),
        FOR_ROUTE(dealloc_keeps_errno_and_the_last_error_where_the_release_changes_them,
                  GLOBAL),
        FOR_ROUTE(dealloc_keeps_errno_and_the_last_error_where_the_release_changes_them,
                  EXPLICIT),
        FOR_ROUTE(dealloc_keeps_errno_and_the_last_error_where_the_release_changes_them,
                  OBJECT),
        FOR_ROUTE(dealloc_keeps_errno_and_the_last_error_where_the_release_changes_them,
                  LIBC),
        cmocka_unit_test(small_cxx_blocks_are_plain_malloc_calls),
        /* Last: it checks what every case above did. */
        cmocka_unit_test(every_kind_of_call_was_made_to_fail),
    };
    return cmocka_run_group_tests_name("failure injection", tests, NULL, NULL);
}
