/*
 * galloc/conformance.h - a conformance kit for galloc allocators.
 *
 * Whoever writes a galloc_allocator (a pool, an arena, a wrapper around
 * mimalloc or jemalloc, a checking allocator) promises the short contract of
 * galloc.h: aligned blocks of at least the requested size, zeroed blocks that
 * hold zeros, a realloc that keeps the data and, on failure, the old block,
 * thread-safety, no abort.  One call to galloc_conformance_check() exercises
 * all of it through galloc's own front end (galloc_allocator_alloc and its
 * siblings), the way galloc will use the allocator, and says what broke.
 *
 * The kit depends only on galloc and the OS (pthreads on POSIX, Win32
 * threads on Windows).  It never aborts on a failed check: each failure is
 * counted and the first one described, and the kit carries on, so one run
 * shows how far an allocator is from conforming.  Every block it obtains is
 * released before it returns.
 */
#ifndef GALLOC_CONFORMANCE_H
#define GALLOC_CONFORMANCE_H

#include <galloc.h>

#include <stddef.h> /* size_t */

#ifdef __cplusplus
extern "C" {
#endif

/**
 * How hard to check.  A zero-initialised struct (or a NULL pointer) selects
 * every default.
 */
typedef struct galloc_conformance_options {
    /** Threads in the concurrent check: 0 means the default, 4; 1 runs the
     *  concurrent workload on the calling thread only (no thread is
     *  created, no block crosses threads).  At most 64 are used. */
    unsigned threads;
    /** Random operations (alloc, alloc_zeroed, realloc, dealloc, hand-over
     *  to another thread) each thread performs: 0 means the default,
     *  20000. */
    unsigned ops_per_thread;
    /** The largest alignment checked: 0 means the default, 65536.  A value
     *  that is not a power of two is rounded down to one. */
    size_t max_align;
    /** The largest block size checked: 0 means the default, 4 MiB. */
    size_t max_size;
    /** Nonzero: do not ask for impossible sizes (near PTRDIFF_MAX), for
     *  allocators that abort when out of memory instead of returning NULL.
     *  Such allocators do not conform, but can still be checked for the
     *  rest. */
    int skip_failure_checks;
} galloc_conformance_options;

/** What a run found. */
typedef struct galloc_conformance_report {
    /** Individual checks performed (one per block verified, per errno
     *  comparison, per failure case...). */
    unsigned checks;
    /** Checks that failed. */
    unsigned failures;
    /** A description of the first failure, e.g.
     *  "alloc {size 24, align 64} returned 0x7f3a10 not aligned";
     *  "" if there was none.  Always NUL-terminated. */
    char first_failure[256];
} galloc_conformance_report;

/**
 * Checks `allocator` against galloc's allocator contract, through galloc's
 * front end (galloc_allocator_alloc, _alloc_zeroed, _realloc, _dealloc):
 *   1. alignment and writability: every power-of-two alignment up to
 *      max_align, with sizes from 1 byte (smaller than the alignment too) up
 *      to max_size, many small blocks live at once, every byte written and
 *      read back; and sizes equal to, twice and four times their alignment
 *      (32 ... max_align), many at once, plain and zeroed (where an
 *      allocator may wrongly count on its size classes for alignment);
 *   2. zero size: a non-NULL pointer with the alignment, harmless to free;
 *   3. zeroing: alloc_zeroed on a dirtied heap returns zeros;
 *   4. realloc: growing and shrinking keep the contents and the alignment;
 *   5. failure (unless skip_failure_checks): sizes no address space can
 *      hold (the largest valid size; on 64-bit targets also 7/8 and 1/2 of
 *      the address space) give NULL and ENOMEM from alloc, alloc_zeroed and
 *      realloc, and a failed realloc leaves the old block intact;
 *   6. errno: a deallocation leaves errno (and on Windows GetLastError())
 *      unchanged;
 *   7. threads: concurrent random operations with contents verified, blocks
 *      freed by a thread other than the one that allocated them.
 * The checks run one after the other on the calling thread, except the
 * concurrent one.
 *
 * @param allocator  the allocator to check; NULL checks the global allocator
 *                   (as galloc_allocator_alloc() does with NULL)
 * @param options    NULL for the defaults (see galloc_conformance_options)
 * @param report     receives the counts and the first failure; may be NULL
 * @return 0 if the allocator conforms, else the number of failed checks
 *         (capped at INT_MAX).
 */
int galloc_conformance_check(const galloc_allocator *allocator,
                             const galloc_conformance_options *options,
                             galloc_conformance_report *report);

#ifdef __cplusplus
}
#endif

#endif /* GALLOC_CONFORMANCE_H */
