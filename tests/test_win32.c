/*
 * test_win32.c - what only the Windows backend does: process-heap blocks
 * for small alignments, a header below over-aligned blocks, never a moving
 * HeapReAlloc on an over-aligned block, HEAP_ZERO_MEMORY, and
 * GetLastError() kept by deallocation.
 */
#include "support/system_heap.h"
#include "support/testing.h"

#include <errno.h>
#include <string.h>

#define WIN32_LEAN_AND_MEAN
#include <windows.h>

static HANDLE heap(void) {
    return GetProcessHeap();
}

/* Small alignments are plain process-heap blocks: the heap GetProcessHeap()
 * returns knows them (HeapValidate) and their size (HeapSize).  This also
 * proves that the heap galloc reads from the PEB is that heap. */
static void small_alignments_are_process_heap_blocks(void **state) {
    (void)state;
    static const size_t sizes[] = {1, 7, 16, 100, 4096, 100000, (size_t)1 << 20};
    for (size_t align = 1; align <= MEMORY_ALLOCATION_ALIGNMENT; align <<= 1) {
        for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
            void *p = galloc_alloc(layout_of(sizes[i], align));
            assert_non_null(p);
            assert_true(is_system_heap_block(p, sizes[i]));
            galloc_dealloc(p, layout_of(sizes[i], align));
        }
    }
}

/* Above MEMORY_ALLOCATION_ALIGNMENT the block is carved out of a larger heap
 * block whose address is kept just below the aligned pointer.  That starts
 * at 16 on Win32, where HeapAlloc gives only 8 (half its blocks are 8 mod
 * 16), and at 32 on Win64. */
static void every_alignment_above_the_heaps_goes_through_the_header(void **state) {
    (void)state;
    for (size_t align = 2 * MEMORY_ALLOCATION_ALIGNMENT; align <= 65536; align <<= 1) {
        size_t size = align / 2 + 3;
        unsigned char *p = galloc_alloc(layout_of(size, align));
        assert_non_null(p);
        assert_true(is_aligned(p, align));
        unsigned char *raw = ((unsigned char **)p)[-1];
        assert_true(raw < p && (size_t)(p - raw) <= align);
        assert_true(HeapValidate(heap(), 0, raw));
        assert_true(HeapSize(heap(), 0, raw) >= (SIZE_T)(p - raw) + size);
        memset(p, 0x77, size);
        galloc_dealloc(p, layout_of(size, align));
    }
}

/* The hazard: HeapReAlloc may move the raw block by an amount that is not a
 * multiple of the alignment, which would shift the data against the aligned
 * pointer.  Many resizes with other blocks allocated in between force real
 * moves; every byte must survive every step. */
static void over_aligned_realloc_many_times_keeps_every_byte(void **state) {
    (void)state;
    enum { STEPS = 120 };
    static void *clutter[STEPS];
    for (size_t align = 2 * MEMORY_ALLOCATION_ALIGNMENT; align <= 65536; align <<= 1) {
        size_t size = 24;
        unsigned seed = (unsigned)align;
        unsigned char *p = galloc_alloc(layout_of(size, align));
        assert_non_null(p);
        fill_pattern(p, size, seed);
        for (int step = 0; step < STEPS; step++) {
            /* Mostly grow, sometimes shrink: 24 B up to about 1 MiB. */
            size_t new_size = (step % 5 == 4) ? size / 3 + 1 : size + size / 2 + 13;
            if (new_size > ((size_t)1 << 20))
                new_size = 1000;
            clutter[step] = galloc_alloc(layout_of(40 + (size_t)step * 8, 8));
            assert_non_null(clutter[step]);
            unsigned char *q = galloc_realloc(p, layout_of(size, align), new_size);
            assert_non_null(q);
            assert_true(is_aligned(q, align));
            size_t kept = size < new_size ? size : new_size;
            assert_true(has_pattern(q, kept, seed));
            seed++;
            fill_pattern(q, new_size, seed);
            p = q;
            size = new_size;
        }
        galloc_dealloc(p, layout_of(size, align));
        for (int step = 0; step < STEPS; step++)
            galloc_dealloc(clutter[step], layout_of(40 + (size_t)step * 8, 8));
    }
}

static void zeroed_blocks_are_zero_on_both_paths(void **state) {
    (void)state;
    static const size_t aligns[] = {1, 8, MEMORY_ALLOCATION_ALIGNMENT,
                                    2 * MEMORY_ALLOCATION_ALIGNMENT, 64, 4096, 65536};
    for (size_t i = 0; i < sizeof aligns / sizeof aligns[0]; i++) {
        for (size_t size = 1; size <= ((size_t)1 << 22); size = size * 7 + 3) {
            galloc_layout layout = layout_of(size, aligns[i]);
            unsigned char *dirty = galloc_alloc(layout);
            assert_non_null(dirty);
            memset(dirty, 0xee, size);
            galloc_dealloc(dirty, layout);
            unsigned char *p = galloc_alloc_zeroed(layout);
            assert_non_null(p);
            assert_true(is_aligned(p, aligns[i]));
            assert_true(is_all_zero(p, size));
            galloc_dealloc(p, layout);
        }
    }
}

static void an_impossible_size_gives_null_and_enomem_on_both_paths(void **state) {
    (void)state;
    static const size_t aligns[] = {8, MEMORY_ALLOCATION_ALIGNMENT, 2 * MEMORY_ALLOCATION_ALIGNMENT,
                                    4096};
    for (size_t i = 0; i < sizeof aligns / sizeof aligns[0]; i++) {
        galloc_layout layout = layout_of((size_t)PTRDIFF_MAX - (aligns[i] - 1), aligns[i]);
        errno = 0;
        assert_null(galloc_alloc(layout));
        assert_int_equal(errno, ENOMEM);
        errno = 0;
        assert_null(galloc_alloc_zeroed(layout));
        assert_int_equal(errno, ENOMEM);
    }
}

static void dealloc_keeps_errno_and_last_error(void **state) {
    (void)state;
    static const size_t aligns[] = {8, MEMORY_ALLOCATION_ALIGNMENT, 2 * MEMORY_ALLOCATION_ALIGNMENT,
                                    65536};
    for (size_t i = 0; i < sizeof aligns / sizeof aligns[0]; i++) {
        galloc_layout layout = layout_of(300, aligns[i]);
        void *p = galloc_alloc(layout);
        assert_non_null(p);
        errno = EDOM;
        SetLastError(ERROR_FILE_NOT_FOUND);
        galloc_dealloc(p, layout);
        assert_int_equal(errno, EDOM);
        assert_int_equal(GetLastError(), ERROR_FILE_NOT_FOUND);
    }
    SetLastError(ERROR_ACCESS_DENIED);
    galloc_dealloc(NULL, layout_of(8, 8));
    assert_int_equal(GetLastError(), ERROR_ACCESS_DENIED);
}

/* An allocator whose dealloc changes GetLastError(), as HeapFree may on its
 * own error paths: the front end must put the caller's value back. */
static void clobbering_dealloc(const galloc_allocator *self, void *ptr,
                               galloc_layout layout) {
    (void)self;
    galloc_allocator_dealloc(&galloc_system, ptr, layout);
    SetLastError(ERROR_INVALID_HANDLE);
    errno = EBADF;
}

static void *plain_alloc(const galloc_allocator *self, galloc_layout layout) {
    (void)self;
    return galloc_allocator_alloc(&galloc_system, layout);
}

static void dealloc_restores_last_error_clobbered_by_the_allocator(void **state) {
    (void)state;
    static const galloc_allocator clobbering = {plain_alloc, clobbering_dealloc,
                                                NULL, NULL, "clobbering"};
    void *p = galloc_allocator_alloc(&clobbering, layout_of(50, 8));
    assert_non_null(p);
    SetLastError(ERROR_NOT_ENOUGH_MEMORY);
    errno = ENOMEM;
    galloc_allocator_dealloc(&clobbering, p, layout_of(50, 8));
    assert_int_equal(GetLastError(), ERROR_NOT_ENOUGH_MEMORY);
    assert_int_equal(errno, ENOMEM);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(small_alignments_are_process_heap_blocks),
        cmocka_unit_test(every_alignment_above_the_heaps_goes_through_the_header),
        cmocka_unit_test(over_aligned_realloc_many_times_keeps_every_byte),
        cmocka_unit_test(zeroed_blocks_are_zero_on_both_paths),
        cmocka_unit_test(an_impossible_size_gives_null_and_enomem_on_both_paths),
        cmocka_unit_test(dealloc_keeps_errno_and_last_error),
        cmocka_unit_test(dealloc_restores_last_error_clobbered_by_the_allocator),
    };
    return cmocka_run_group_tests_name("win32 backend", tests, NULL, NULL);
}
