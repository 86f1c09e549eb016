/*
 * test_checked.c - the checked allocator (galloc/checked.h): every misuse it
 * promises to detect is made here on purpose and must be reported, with the
 * right details, without harming memory; correct use must be reported
 * never; the counters must be exact.
 *
 * Most tests record reports with a hook.  The default hook (message, abort)
 * and the check at exit run in a child process (the test runs itself with
 * an argument naming the scenario).
 */
#include "support/child.h"
#include "support/testing.h"

#include <galloc/checked.h>
#include <galloc/conformance.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

static const char *self_path;

/* ---------------------------------------------------------------------------
 * Helpers: a report recorder, and an inner allocator that records what
 * reaches it and can be told to fail.
 * ------------------------------------------------------------------------ */

#define MAX_RECORDED 8

typedef struct recorder {
    int count;
    galloc_checked_report reports[MAX_RECORDED];
} recorder;

static void record(const galloc_checked_report *report, void *context) {
    recorder *rec = context;
    if (rec->count < MAX_RECORDED)
        rec->reports[rec->count] = *report;
    rec->count++;
}

typedef struct inner_allocator {
    galloc_allocator base;
    long allocs_left; /* -1: never fail; else succeed this many more times */
    long live;        /* blocks handed out and not returned */
    galloc_layout last_alloc;
    galloc_layout last_dealloc;
    unsigned char released[128]; /* the first bytes of the last block released */
} inner_allocator;

static bool inner_may_allocate(inner_allocator *in) {
    if (in->allocs_left == 0)
        return false;
    if (in->allocs_left > 0)
        in->allocs_left--;
    return true;
}

static void *inner_alloc(const galloc_allocator *self, galloc_layout layout) {
    inner_allocator *in = (inner_allocator *)(uintptr_t)self;
    in->last_alloc = layout;
    if (!inner_may_allocate(in))
        return NULL;
    void *p = galloc_allocator_alloc(&galloc_system, layout);
    in->live += p != NULL;
    return p;
}

static void inner_dealloc(const galloc_allocator *self, void *ptr, galloc_layout layout) {
    inner_allocator *in = (inner_allocator *)(uintptr_t)self;
    in->last_dealloc = layout;
    memcpy(in->released, ptr, layout.size < sizeof in->released ? layout.size : sizeof in->released);
    in->live--;
    galloc_allocator_dealloc(&galloc_system, ptr, layout);
}

static void *inner_realloc(const galloc_allocator *self, void *ptr, galloc_layout layout,
                           size_t new_size) {
    inner_allocator *in = (inner_allocator *)(uintptr_t)self;
    if (!inner_may_allocate(in))
        return NULL;
    return galloc_allocator_realloc(&galloc_system, ptr, layout, new_size);
}

/* Each test gets a fresh checked allocator over a fresh inner one. */
typedef struct fixture {
    inner_allocator inner;
    galloc_checked checked;
    recorder rec;
} fixture;

static int setup(void **state) {
    static fixture f;
    memset(&f, 0, sizeof f);
    f.inner.base.alloc = inner_alloc;
    f.inner.base.dealloc = inner_dealloc;
    f.inner.base.realloc = inner_realloc;
    f.inner.base.name = "inner";
    f.inner.allocs_left = -1;
    galloc_checked_init(&f.checked, &f.inner.base, "test");
    galloc_checked_set_report(&f.checked, record, &f.rec);
    *state = &f;
    return 0;
}

/* Every test ends with nothing live anywhere: the checked allocator's table
 * goes back to the inner allocator too. */
static int teardown(void **state) {
    fixture *f = *state;
    size_t live = galloc_checked_destroy(&f->checked);
    return live == 0 && f->inner.live == 0 ? 0 : -1;
}

static const galloc_allocator *ca(fixture *f) { return &f->checked.allocator; }

static bool all_bytes(const void *ptr, size_t size, unsigned char value) {
    const unsigned char *b = ptr;
    for (size_t i = 0; i < size; i++)
        if (b[i] != value)
            return false;
    return true;
}

/* ---------------------------------------------------------------------------
 * Correct use
 * ------------------------------------------------------------------------ */

static void correct_use_is_never_reported_and_counted_exactly(void **state) {
    fixture *f = *state;
    static const size_t aligns[] = {1, 2, 8, 16, 32, 64, 4096, 65536};
    static const size_t sizes[] = {1, 7, 16, 100, 4097};
    unsigned long long n = 0, bytes = 0;
    size_t peak = 0;
    for (size_t a = 0; a < sizeof aligns / sizeof *aligns; a++) {
        for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++) {
            size_t align = aligns[a], size = sizes[s];
            unsigned char *p = galloc_allocator_alloc(ca(f), layout_of(size, align));
            unsigned char *z = galloc_allocator_alloc_zeroed(ca(f), layout_of(size, align));
            assert_non_null(p);
            assert_non_null(z);
            assert_true(is_aligned(p, align) && is_aligned(z, align));
            assert_true(all_bytes(p, size, 0xCD)); /* fresh bytes are marked */
            assert_true(is_all_zero(z, size));
            fill_pattern(p, size, (unsigned)size);
            unsigned char *q = galloc_allocator_realloc(ca(f), p, layout_of(size, align), size * 3);
            assert_non_null(q);
            assert_true(is_aligned(q, align));
            assert_true(has_pattern(q, size, (unsigned)size));
            assert_true(all_bytes(q + size, size * 2, 0xCD));
            peak = size * 3 + size;
            q = galloc_allocator_realloc(ca(f), q, layout_of(size * 3, align), size);
            assert_non_null(q);
            assert_true(has_pattern(q, size, (unsigned)size));
            galloc_allocator_dealloc(ca(f), q, layout_of(size, align));
            galloc_allocator_dealloc(ca(f), z, layout_of(size, align));
            n++;
            bytes += size * 2 + size * 2; /* two blocks, one grown by 2 * size */
        }
    }
    assert_int_equal(f->rec.count, 0);
    galloc_checked_stats s = galloc_checked_get_stats(&f->checked);
    assert_int_equal(s.live_blocks, 0);
    assert_int_equal(s.live_bytes, 0);
    assert_int_equal(s.peak_blocks, 2);
    assert_int_equal(s.peak_bytes, peak); /* the last, largest pair */
    assert_int_equal(s.allocs, 2 * n);
    assert_int_equal(s.deallocs, 2 * n);
    assert_int_equal(s.reallocs, 2 * n);
    assert_int_equal(s.bytes_allocated, bytes);
    assert_int_equal(s.failures, 0);
    assert_int_equal(s.problems, 0);
}

/* The whole allocator contract, threads and cross-thread frees included,
 * checked by the conformance kit: the checked allocator is an allocator
 * like any other, and the kit's correct use raises no report. */
static void the_checked_allocator_conforms_under_threads(void **state) {
    fixture *f = *state;
    galloc_checked over_system;
    recorder rec = {0};
    galloc_checked_init(&over_system, NULL, "over system");
    galloc_checked_set_report(&over_system, record, &rec);
    galloc_conformance_options options = {0};
    options.threads = 4;
    options.ops_per_thread = 5000;
    galloc_conformance_report report;
    int failures = galloc_conformance_check(&over_system.allocator, &options, &report);
    if (failures != 0)
        fprintf(stderr, "conformance: %s\n", report.first_failure);
    assert_int_equal(failures, 0);
    assert_int_equal(rec.count, 0);
    galloc_checked_stats s = galloc_checked_get_stats(&over_system);
    assert_int_equal(s.live_blocks, 0);
    assert_true(s.allocs > 10000);
    assert_int_equal(s.allocs, s.deallocs); /* a moving realloc is neither */
    assert_int_equal(galloc_checked_destroy(&over_system), 0);
    (void)f;
}

/* Thousands of live blocks (the table grows several times) and then many
 * generations of released ones (it forgets old ones instead of growing). */
static void many_blocks_are_tracked_through_table_growth(void **state) {
    fixture *f = *state;
    enum { N = 5000 };
    static unsigned char *blocks[N];
    for (int round = 0; round < 3; round++) {
        for (size_t i = 0; i < N; i++) {
            blocks[i] = galloc_allocator_alloc(ca(f), layout_of(i % 200 + 1, 8));
            assert_non_null(blocks[i]);
            blocks[i][0] = (unsigned char)i;
        }
        for (size_t i = 0; i < N; i++) {
            assert_int_equal(blocks[i][0], (unsigned char)i);
            galloc_allocator_dealloc(ca(f), blocks[i], layout_of(i % 200 + 1, 8));
        }
    }
    assert_int_equal(f->rec.count, 0);
    galloc_checked_stats s = galloc_checked_get_stats(&f->checked);
    assert_int_equal(s.live_blocks, 0);
    assert_int_equal(s.peak_blocks, N);
    assert_int_equal(s.deallocs, 3 * N);
}

/* ---------------------------------------------------------------------------
 * Misuse
 * ------------------------------------------------------------------------ */

static void expect_report(const recorder *rec, int index, galloc_checked_problem problem,
                          const char *operation, const void *ptr) {
    assert_true(rec->count > index);
    const galloc_checked_report *r = &rec->reports[index];
    assert_int_equal(r->problem, problem);
    assert_string_equal(r->operation, operation);
    assert_string_equal(r->allocator, "test");
    assert_ptr_equal(r->ptr, ptr);
}

static void a_dealloc_with_another_size_is_reported_and_uses_the_real_layout(void **state) {
    fixture *f = *state;
    void *p = galloc_allocator_alloc(ca(f), layout_of(48, 16));
    galloc_allocator_dealloc(ca(f), p, layout_of(40, 16));
    assert_int_equal(f->rec.count, 1);
    expect_report(&f->rec, 0, GALLOC_CHECKED_LAYOUT_MISMATCH, "dealloc", p);
    assert_int_equal(f->rec.reports[0].given.size, 40);
    assert_int_equal(f->rec.reports[0].block.size, 48);
    assert_int_equal(f->rec.reports[0].block.align, 16);
    assert_int_equal(f->rec.reports[0].serial, 1);
    /* The block went back to the inner allocator with its true layout
     * (plus the guards: 16 in front, 16 behind). */
    assert_int_equal(f->inner.last_dealloc.size, 16 + 48 + 16);
    assert_int_equal(f->inner.last_dealloc.align, 16);
    galloc_checked_stats s = galloc_checked_get_stats(&f->checked);
    assert_int_equal(s.live_blocks, 0);
    assert_int_equal(s.problems, 1);
}

static void a_dealloc_with_another_alignment_is_reported(void **state) {
    fixture *f = *state;
    void *p = galloc_allocator_alloc(ca(f), layout_of(64, 64));
    galloc_allocator_dealloc(ca(f), p, layout_of(64, 8));
    assert_int_equal(f->rec.count, 1);
    expect_report(&f->rec, 0, GALLOC_CHECKED_LAYOUT_MISMATCH, "dealloc", p);
    assert_int_equal(f->rec.reports[0].given.align, 8);
    assert_int_equal(f->rec.reports[0].block.align, 64);
    assert_int_equal(f->inner.last_dealloc.size, 64 + 64 + 16);
    assert_int_equal(f->inner.last_dealloc.align, 64);
}

static void a_realloc_with_another_layout_is_reported_and_keeps_the_data(void **state) {
    fixture *f = *state;
    unsigned char *p = galloc_allocator_alloc(ca(f), layout_of(100, 32));
    fill_pattern(p, 100, 5);
    unsigned char *q = galloc_allocator_realloc(ca(f), p, layout_of(90, 32), 300);
    assert_non_null(q);
    expect_report(&f->rec, 0, GALLOC_CHECKED_LAYOUT_MISMATCH, "realloc", p);
    assert_int_equal(f->rec.reports[0].block.size, 100);
    assert_true(is_aligned(q, 32));
    assert_true(has_pattern(q, 100, 5)); /* all 100 bytes, not the claimed 90 */
    assert_int_equal(galloc_checked_get_stats(&f->checked).live_bytes, 300);
    galloc_allocator_dealloc(ca(f), q, layout_of(300, 32));
    assert_int_equal(f->rec.count, 1);
}

static void a_double_free_is_reported_and_ignored(void **state) {
    fixture *f = *state;
    void *p = galloc_allocator_alloc(ca(f), layout_of(24, 8));
    void *other = galloc_allocator_alloc(ca(f), layout_of(24, 8));
    galloc_allocator_dealloc(ca(f), p, layout_of(24, 8));
    long inner_live = f->inner.live;
    galloc_allocator_dealloc(ca(f), p, layout_of(24, 8));
    assert_int_equal(f->rec.count, 1);
    expect_report(&f->rec, 0, GALLOC_CHECKED_DOUBLE_FREE, "dealloc", p);
    assert_int_equal(f->rec.reports[0].serial, 1);
    assert_int_equal(f->rec.reports[0].block.size, 24);
    assert_int_equal(f->inner.live, inner_live); /* nothing reached the inner allocator */
    /* A realloc of the released block: reported, NULL, errno ENOMEM from
     * the front end, and the live block next to it untouched. */
    errno = 0;
    assert_null(galloc_allocator_realloc(ca(f), p, layout_of(24, 8), 48));
    assert_int_equal(errno, ENOMEM);
    expect_report(&f->rec, 1, GALLOC_CHECKED_DOUBLE_FREE, "realloc", p);
    galloc_checked_stats s = galloc_checked_get_stats(&f->checked);
    assert_int_equal(s.live_blocks, 1);
    assert_int_equal(s.deallocs, 1);
    assert_int_equal(s.problems, 2);
    galloc_allocator_dealloc(ca(f), other, layout_of(24, 8));
    assert_int_equal(f->rec.count, 2);
}

/* After a realloc that moves, the old pointer is a released block: using it
 * again is a double free, however the new address hashes.  (The inner
 * allocator here has no realloc, so every resize moves.) */
static void a_block_moved_by_realloc_is_remembered_as_released(void **state) {
    fixture *f = *state;
    f->inner.base.realloc = NULL;
    enum { ROUNDS = 3000 };
    static void *kept[ROUNDS];
    for (int i = 0; i < ROUNDS; i++) {
        void *p = galloc_allocator_alloc(ca(f), layout_of(16, 8));
        kept[i] = galloc_allocator_realloc(ca(f), p, layout_of(16, 8), 24);
        assert_non_null(kept[i]);
        assert_ptr_not_equal(kept[i], p);
        f->rec.count = 0;
        galloc_allocator_dealloc(ca(f), p, layout_of(16, 8));
        assert_int_equal(f->rec.count, 1);
        assert_int_equal(f->rec.reports[0].problem, GALLOC_CHECKED_DOUBLE_FREE);
    }
    for (int i = 0; i < ROUNDS; i++)
        galloc_allocator_dealloc(ca(f), kept[i], layout_of(24, 8));
}

static void a_pointer_it_never_returned_is_reported_and_ignored(void **state) {
    fixture *f = *state;
    int on_stack = 0;
    galloc_allocator_dealloc(ca(f), &on_stack, layout_of(sizeof on_stack, sizeof on_stack));
    expect_report(&f->rec, 0, GALLOC_CHECKED_UNKNOWN_POINTER, "dealloc", &on_stack);
    assert_int_equal(f->rec.reports[0].serial, 0);
    /* A real block from another allocator: reported, and still usable. */
    unsigned char *foreign = galloc_allocator_alloc(&galloc_system, layout_of(32, 16));
    assert_non_null(foreign);
    fill_pattern(foreign, 32, 9);
    galloc_allocator_dealloc(ca(f), foreign, layout_of(32, 16));
    assert_null(galloc_allocator_realloc(ca(f), foreign, layout_of(32, 16), 64));
    expect_report(&f->rec, 1, GALLOC_CHECKED_UNKNOWN_POINTER, "dealloc", foreign);
    expect_report(&f->rec, 2, GALLOC_CHECKED_UNKNOWN_POINTER, "realloc", foreign);
    assert_true(has_pattern(foreign, 32, 9));
    galloc_allocator_dealloc(&galloc_system, foreign, layout_of(32, 16));
    assert_int_equal(f->inner.live, 0);
    assert_int_equal(f->rec.count, 3);
}

static void a_write_past_the_end_is_reported_with_its_offset(void **state) {
    fixture *f = *state;
    static const size_t offsets[] = {0, 1, 15}; /* from the end of the block */
    for (size_t i = 0; i < 3; i++) {
        unsigned char *p = galloc_allocator_alloc(ca(f), layout_of(20, 4));
        p[20 + offsets[i]] = 'x';
        galloc_allocator_dealloc(ca(f), p, layout_of(20, 4));
        expect_report(&f->rec, (int)i, GALLOC_CHECKED_OVERRUN, "dealloc", p);
        assert_int_equal(f->rec.reports[i].offset, (ptrdiff_t)(20 + offsets[i]));
    }
    assert_int_equal(f->rec.count, 3);
    assert_int_equal(galloc_checked_get_stats(&f->checked).live_blocks, 0);
}

static void a_write_before_the_start_is_reported_with_its_offset(void **state) {
    fixture *f = *state;
    static const size_t aligns[] = {1, 16, 4096};
    for (size_t i = 0; i < 3; i++) {
        size_t align = aligns[i];
        /* The farthest byte of the front guard: 16, or align, bytes before. */
        ptrdiff_t at = -(ptrdiff_t)(align < 16 ? 16 : align);
        unsigned char *p = galloc_allocator_alloc(ca(f), layout_of(10, align));
        p[at] = 0;
        galloc_allocator_dealloc(ca(f), p, layout_of(10, align));
        expect_report(&f->rec, (int)i, GALLOC_CHECKED_UNDERRUN, "dealloc", p);
        assert_int_equal(f->rec.reports[i].offset, at);
    }
    assert_int_equal(f->rec.count, 3);
}

static void a_realloc_reports_damaged_guards_and_mends_them(void **state) {
    fixture *f = *state;
    unsigned char *p = galloc_allocator_alloc(ca(f), layout_of(32, 8));
    fill_pattern(p, 32, 1);
    p[-1] = 1;
    p[32] = 2;
    unsigned char *q = galloc_allocator_realloc(ca(f), p, layout_of(32, 8), 4000);
    assert_non_null(q);
    assert_int_equal(f->rec.count, 2);
    expect_report(&f->rec, 0, GALLOC_CHECKED_UNDERRUN, "realloc", p);
    assert_int_equal(f->rec.reports[0].offset, -1);
    expect_report(&f->rec, 1, GALLOC_CHECKED_OVERRUN, "realloc", p);
    assert_int_equal(f->rec.reports[1].offset, 32);
    assert_true(has_pattern(q, 32, 1));
    assert_int_equal(galloc_checked_verify(&f->checked), 0); /* guards mended */
    galloc_allocator_dealloc(ca(f), q, layout_of(4000, 8));
    assert_int_equal(f->rec.count, 2);
}

static void verify_finds_damaged_live_blocks(void **state) {
    fixture *f = *state;
    unsigned char *good = galloc_allocator_alloc(ca(f), layout_of(8, 8));
    unsigned char *bad = galloc_allocator_alloc(ca(f), layout_of(8, 8));
    assert_int_equal(galloc_checked_verify(&f->checked), 0);
    bad[9] = 0;
    assert_int_equal(galloc_checked_verify(&f->checked), 1);
    expect_report(&f->rec, 0, GALLOC_CHECKED_OVERRUN, "verify", bad);
    assert_int_equal(f->rec.reports[0].offset, 9);
    bad[9] = 0xFD; /* undo the damage: releasing it is then quiet */
    galloc_allocator_dealloc(ca(f), bad, layout_of(8, 8));
    galloc_allocator_dealloc(ca(f), good, layout_of(8, 8));
    assert_int_equal(f->rec.count, 1);
}

static void released_blocks_reach_the_inner_allocator_marked(void **state) {
    fixture *f = *state;
    unsigned char *p = galloc_allocator_alloc(ca(f), layout_of(64, 8));
    memset(p, 0x11, 64);
    galloc_allocator_dealloc(ca(f), p, layout_of(64, 8));
    /* What the inner allocator got back: front guard, dead block, tail guard. */
    assert_int_equal(f->inner.last_dealloc.size, 16 + 64 + 16);
    assert_true(all_bytes(f->inner.released, 16, 0xFD));
    assert_true(all_bytes(f->inner.released + 16, 64, 0xDD));
    assert_true(all_bytes(f->inner.released + 80, 16, 0xFD));
    assert_int_equal(f->rec.count, 0);
}

/* ---------------------------------------------------------------------------
 * Failures of the inner allocator
 * ------------------------------------------------------------------------ */

static void an_inner_failure_returns_null_and_loses_nothing(void **state) {
    fixture *f = *state;
    unsigned char *p = galloc_allocator_alloc(ca(f), layout_of(100, 64)); /* table + block */
    fill_pattern(p, 100, 3);
    f->inner.allocs_left = 0;
    errno = 0;
    assert_null(galloc_allocator_alloc(ca(f), layout_of(10, 8)));
    assert_int_equal(errno, ENOMEM);
    errno = 0;
    assert_null(galloc_allocator_realloc(ca(f), p, layout_of(100, 64), 100000));
    assert_int_equal(errno, ENOMEM);
    assert_true(has_pattern(p, 100, 3));
    assert_int_equal(galloc_checked_verify(&f->checked), 0); /* guards intact */
    /* An impossible size never reaches the inner allocator. */
    f->inner.allocs_left = -1;
    errno = 0;
    assert_null(galloc_allocator_alloc(ca(f), layout_of((size_t)PTRDIFF_MAX - 20, 1)));
    assert_int_equal(errno, ENOMEM);
    galloc_checked_stats s = galloc_checked_get_stats(&f->checked);
    assert_int_equal(s.failures, 3);
    assert_int_equal(s.live_blocks, 1);
    assert_int_equal(s.live_bytes, 100);
    p = galloc_allocator_realloc(ca(f), p, layout_of(100, 64), 200);
    assert_non_null(p);
    assert_true(has_pattern(p, 100, 3));
    galloc_allocator_dealloc(ca(f), p, layout_of(200, 64));
    assert_int_equal(f->rec.count, 0);
}

/* The table needs memory too; when it cannot grow, the allocation fails
 * cleanly instead of handing out a block it could not track. */
static void a_table_that_cannot_grow_fails_the_allocation(void **state) {
    fixture *f = *state;
    enum { N = 48 }; /* 3/4 of the first table's 64 slots */
    void *blocks[N];
    for (int i = 0; i < N; i++)
        blocks[i] = galloc_allocator_alloc(ca(f), layout_of(8, 8));
    long inner_live = f->inner.live;
    f->inner.allocs_left = 0;
    errno = 0;
    assert_null(galloc_allocator_alloc(ca(f), layout_of(8, 8)));
    assert_int_equal(errno, ENOMEM);
    /* The one request that failed was the bigger table's: the block itself
     * (8 + 32 bytes of guards) was never asked for. */
    assert_true(f->inner.last_alloc.size > 16 + 8 + 16);
    assert_int_equal(f->inner.live, inner_live);
    f->inner.allocs_left = -1;
    for (int i = 0; i < N; i++)
        galloc_allocator_dealloc(ca(f), blocks[i], layout_of(8, 8));
    assert_int_equal(f->rec.count, 0);
}

/* ---------------------------------------------------------------------------
 * Leaks
 * ------------------------------------------------------------------------ */

typedef struct groups {
    int count;
    galloc_layout layouts[8];
    size_t blocks[8];
} groups;

static void collect_group(galloc_layout layout, size_t blocks, void *context) {
    groups *g = context;
    if (g->count < 8) {
        g->layouts[g->count] = layout;
        g->blocks[g->count] = blocks;
    }
    g->count++;
}

static void live_blocks_are_listed_grouped_by_layout(void **state) {
    fixture *f = *state;
    static const size_t spec[][2] = {{100, 64}, {24, 8}, {24, 16}, {24, 8}, {100, 64}, {24, 8}};
    void *blocks[6];
    for (int i = 0; i < 6; i++)
        blocks[i] = galloc_allocator_alloc(ca(f), layout_of(spec[i][0], spec[i][1]));
    groups g = {0};
    assert_int_equal(galloc_checked_leaks(&f->checked, collect_group, &g), 6);
    assert_int_equal(g.count, 3);
    assert_int_equal(g.layouts[0].size, 24);
    assert_int_equal(g.layouts[0].align, 8);
    assert_int_equal(g.blocks[0], 3);
    assert_int_equal(g.layouts[1].size, 24);
    assert_int_equal(g.layouts[1].align, 16);
    assert_int_equal(g.blocks[1], 1);
    assert_int_equal(g.layouts[2].size, 100);
    assert_int_equal(g.layouts[2].align, 64);
    assert_int_equal(g.blocks[2], 2);

    FILE *out = tmpfile();
    assert_non_null(out);
    assert_int_equal(galloc_checked_print_leaks(&f->checked, out), 6);
    rewind(out);
    char text[1024];
    size_t len = fread(text, 1, sizeof text - 1, out);
    text[len] = '\0';
    fclose(out);
    assert_non_null(strstr(text, "galloc checked allocator 'test': 6 live blocks (296 bytes):\n"));
    assert_non_null(strstr(text, "  3 blocks of 24 bytes, align 8 (72 bytes)\n"));
    assert_non_null(strstr(text, "  1 block of 24 bytes, align 16 (24 bytes)\n"));
    assert_non_null(strstr(text, "  2 blocks of 100 bytes, align 64 (200 bytes)\n"));

    for (int i = 0; i < 6; i++)
        galloc_allocator_dealloc(ca(f), blocks[i], layout_of(spec[i][0], spec[i][1]));
    assert_int_equal(galloc_checked_leaks(&f->checked, collect_group, &g), 0);
    assert_int_equal(g.count, 3); /* no further group */
    assert_int_equal(f->rec.count, 0);
}

/* ---------------------------------------------------------------------------
 * In a child process: the default hook, and the check at exit
 * ------------------------------------------------------------------------ */

static galloc_checked child_checked = GALLOC_CHECKED_INIT(NULL, "child");
static galloc_checked second_checked = GALLOC_CHECKED_INIT(NULL, "second");

/* A hook that logs the report and then releases the checked allocator's
 * table, as a program tidying up at exit might. */
static void print_and_destroy(const galloc_checked_report *report, void *context) {
    char line[256];
    galloc_checked_describe(report, line, sizeof line);
    fprintf(stderr, "hook: %s\n", line);
    galloc_checked_destroy(context);
}

static int child_main(const char *scenario) {
    const galloc_allocator *a = &child_checked.allocator;
    if (strcmp(scenario, "double-free") == 0) {
        void *p = galloc_allocator_alloc(a, layout_of(40, 8));
        galloc_allocator_dealloc(a, p, layout_of(40, 8));
        galloc_allocator_dealloc(a, p, layout_of(40, 8));
        fputs("the default hook returned\n", stderr);
        return 0;
    }
    if (strcmp(scenario, "leak-at-exit") == 0) {
        galloc_checked_leak_check_at_exit(&child_checked);
        /* The blocks stay allocated on purpose, as in the scenario below,
         * and their inner blocks (max(16, align) bytes of front guard
         * before them) are held here so that Valgrind's leak check counts
         * them reachable: a leak it reports in this child would be an
         * error (tests/launch.sh) though this one is the point. */
        static const galloc_layout layouts[3] = {{12, 4}, {12, 4}, {5000, 64}};
        static unsigned char *inner_blocks[3];
        unsigned char *kept[3];
        for (int i = 0; i < 3; i++) {
            kept[i] = galloc_allocator_alloc(a, layouts[i]);
            inner_blocks[i] = kept[i] - (layouts[i].align > 16 ? layouts[i].align : 16);
        }
        void *released = galloc_allocator_alloc(a, layout_of(7, 1));
        galloc_allocator_dealloc(a, released, layout_of(7, 1));
        fprintf(stderr, "main returns with %p %p %p live (inner blocks %p %p %p)\n",
                (void *)kept[0], (void *)kept[1], (void *)kept[2],
                (void *)inner_blocks[0], (void *)inner_blocks[1], (void *)inner_blocks[2]);
        return 0;
    }
    if (strcmp(scenario, "two-leak-checks-at-exit") == 0) {
        galloc_checked *both[2] = {&child_checked, &second_checked};
        /* The blocks stay allocated on purpose.  Their inner blocks start
         * 16 bytes (the front guard, galloc/checked.h) before them; holding
         * those addresses keeps them reachable for Valgrind's leak check
         * once the destroyed checkers have forgotten them. */
        static unsigned char *inner_blocks[2];
        for (int i = 0; i < 2; i++) {
            galloc_checked_set_report(both[i], print_and_destroy, both[i]);
            galloc_checked_leak_check_at_exit(both[i]);
            unsigned char *kept = galloc_allocator_alloc(&both[i]->allocator, layout_of(8, 8));
            inner_blocks[i] = kept - 16;
        }
        fprintf(stderr, "main returns with %p %p kept\n", (void *)inner_blocks[0],
                (void *)inner_blocks[1]);
        return 0;
    }
    if (strcmp(scenario, "no-leak-at-exit") == 0) {
        galloc_checked_leak_check_at_exit(&child_checked);
        void *p = galloc_allocator_alloc(a, layout_of(12, 4));
        galloc_allocator_dealloc(a, p, layout_of(12, 4));
        fputs("clean exit\n", stderr);
        return 0;
    }
    return 2;
}

static void by_default_a_problem_is_printed_and_aborts(void **state) {
    (void)state;
    char output[2048];
    int status = run_self(self_path, "double-free", output, sizeof output);
    assert_int_not_equal(status, -1);
    assert_non_null(strstr(output, "galloc checked allocator 'child': double free: dealloc of "));
    assert_non_null(strstr(output, "block #1 (size 40, align 8) was already released\n"));
    assert_null(strstr(output, "returned"));
    assert_int_not_equal(status, 0);
}

static void a_leak_check_at_exit_lists_live_blocks_and_fails(void **state) {
    (void)state;
    char output[2048];
    int status = run_self(self_path, "leak-at-exit", output, sizeof output);
    assert_int_not_equal(status, -1);
    assert_non_null(strstr(output, "main returns with"));
    assert_non_null(strstr(output, "galloc checked allocator 'child': 3 live blocks (5024 bytes):\n"));
    assert_non_null(strstr(output, "  2 blocks of 12 bytes, align 4 (24 bytes)\n"));
    assert_non_null(strstr(output, "  1 block of 5000 bytes, align 64 (5000 bytes)\n"));
    assert_non_null(strstr(output, "leak: 3 blocks (5024 bytes) still live at exit\n"));
    assert_int_not_equal(status, 0);

    /* Every registered allocator is checked, even when a hook destroys the
     * one it reports on. */
    status = run_self(self_path, "two-leak-checks-at-exit", output, sizeof output);
    assert_non_null(strstr(output, "hook: galloc checked allocator 'child': leak: 1 block (8 bytes)"));
    assert_non_null(strstr(output, "hook: galloc checked allocator 'second': leak: 1 block (8 bytes)"));
    assert_int_equal(status, 0); /* the hooks returned */

    status = run_self(self_path, "no-leak-at-exit", output, sizeof output);
    assert_non_null(strstr(output, "clean exit\n"));
    assert_null(strstr(output, "live"));
    assert_int_equal(status, 0);
}

/* A report's description, for hooks that log instead of aborting. */
static void describe_truncates_and_terminates(void **state) {
    (void)state;
    galloc_checked_report r;
    memset(&r, 0, sizeof r);
    r.problem = GALLOC_CHECKED_OVERRUN;
    r.operation = "dealloc";
    r.allocator = "x";
    r.offset = 12;
    r.serial = 7;
    r.block.size = 12;
    r.block.align = 4;
    char full[256], small[10];
    int n = galloc_checked_describe(&r, full, sizeof full);
    assert_int_equal(n, (int)strlen(full));
    assert_non_null(strstr(full, "write past the end"));
    assert_non_null(strstr(full, "offset 12 of block #7 (size 12, align 4)"));
    assert_int_equal(galloc_checked_describe(&r, small, sizeof small), n);
    assert_int_equal(strlen(small), sizeof small - 1);
    assert_memory_equal(small, full, sizeof small - 1);
}

int main(int argc, char **argv) {
    if (argc > 1)
        return child_main(argv[1]);
    self_path = argv[0];
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(correct_use_is_never_reported_and_counted_exactly),
        T(the_checked_allocator_conforms_under_threads),
        T(many_blocks_are_tracked_through_table_growth),
        T(a_dealloc_with_another_size_is_reported_and_uses_the_real_layout),
        T(a_dealloc_with_another_alignment_is_reported),
        T(a_realloc_with_another_layout_is_reported_and_keeps_the_data),
        T(a_double_free_is_reported_and_ignored),
        T(a_block_moved_by_realloc_is_remembered_as_released),
        T(a_pointer_it_never_returned_is_reported_and_ignored),
        T(a_write_past_the_end_is_reported_with_its_offset),
        T(a_write_before_the_start_is_reported_with_its_offset),
        T(a_realloc_reports_damaged_guards_and_mends_them),
        T(verify_finds_damaged_live_blocks),
        T(released_blocks_reach_the_inner_allocator_marked),
        T(an_inner_failure_returns_null_and_loses_nothing),
        T(a_table_that_cannot_grow_fails_the_allocation),
        T(live_blocks_are_listed_grouped_by_layout),
        cmocka_unit_test(by_default_a_problem_is_printed_and_aborts),
        cmocka_unit_test(a_leak_check_at_exit_lists_live_blocks_and_fails),
        cmocka_unit_test(describe_truncates_and_terminates),
    };
    return cmocka_run_group_tests_name("checked allocator", tests, NULL, NULL);
}
