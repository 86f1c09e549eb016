/*
 * fault.h - failure injection, for tests only.  Not installed.
 *
 * The library proper never sees this header.  Only galloc_fault, the static
 * library built from the same sources with GALLOC_FAULT_INJECTION defined
 * (test builds only, never installed or exported), routes the backend's
 * platform calls through the wrappers the seam of src/sys.h names
 * (galloc__fault_malloc, galloc__fault_HeapAlloc, ...).  Each wrapper counts
 * its call, fails it when a test armed it - the way the real call fails:
 * NULL with errno = ENOMEM from malloc, calloc and realloc, ENOMEM returned
 * by posix_memalign, NULL from HeapAlloc and HeapReAlloc - and otherwise
 * makes the real call and keeps a tally of the platform blocks it leaves
 * live.  Modes make the platform behave as other platforms do: misaligned
 * or under-aligned blocks, failures that leave errno alone, releases that
 * change errno or the last error (below).
 *
 * Not thread-safe: the counters and the tally are plain variables, read and
 * written by whichever thread allocates.  The tests that use them are
 * single-threaded; a test that allocated from two threads at once would get
 * wrong counts.
 */
#ifndef GALLOC_FAULT_H
#define GALLOC_FAULT_H

#include "internal.h"

/* Every platform call a backend makes, one kind per call; a kind is counted
 * only on the platform that has it.  The in-place HeapReAlloc try
 * (HEAP_REALLOC_IN_PLACE_ONLY) is a kind of its own: its failure is part of
 * normal operation, a moving HeapReAlloc's is not. */
typedef enum galloc__fault_kind {
    GALLOC__FAULT_MALLOC,
    GALLOC__FAULT_CALLOC,
    GALLOC__FAULT_REALLOC,
    GALLOC__FAULT_POSIX_MEMALIGN,
    GALLOC__FAULT_FREE,
    GALLOC__FAULT_MMAP, /* Linux: zero pages over a zeroed block's own */
    GALLOC__FAULT_HEAP_ALLOC,
    GALLOC__FAULT_HEAP_REALLOC_IN_PLACE,
    GALLOC__FAULT_HEAP_REALLOC,
    GALLOC__FAULT_HEAP_FREE,
    GALLOC__FAULT_KINDS
} galloc__fault_kind;

/* --- The control, for tests. --------------------------------------------- */

/* Zeroes every call counter, disarms every failure and turns every mode
 * below off.  The live-block tally is kept: it counts from program start. */
void galloc__fault_reset(void);

/* Arms the n-th call of `kind` (from 1, counted since the last reset) to
 * fail, once; n = 0 disarms the kind.  Each kind has its own arming, so
 * several kinds can fail in one operation.  A release (FREE, HEAP_FREE)
 * cannot fail and is never armed: the platform's release has no failure
 * to imitate. */
void galloc__fault_fail_call(galloc__fault_kind kind, unsigned long n);

/* Makes posix_memalign calls number first .. first + count - 1 (counted
 * as galloc__fault_fail_call counts them) return a block that is *not*
 * aligned as asked - a real, free()-able block of the platform's, as a
 * malloc with a broken aligned path would (mimalloc 2.0.9 does).  count 0
 * disarms.  Only alignments above malloc's own (2 * sizeof(void *)) can be
 * missed this way; smaller ones are served as asked. */
void galloc__fault_misalign_calls(unsigned long first, unsigned long count);

/* On: failures of malloc, calloc and realloc - injected or real - leave
 * errno as it was instead of setting ENOMEM, as some mallocs do for sizes
 * beyond any address space (jemalloc 5.3's realloc).  Off after a reset. */
void galloc__fault_silent_failures(bool on);

/* On: malloc, calloc and realloc hand a block of fewer than
 * 2 * sizeof(void *) bytes (malloc's own alignment) only the alignment the
 * C standard requires of it since C17: the largest power of two not above
 * its size, and no more - a 12-byte block is 8-aligned and not 16-aligned,
 * a 3-byte block 2-aligned and not 4-aligned.  jemalloc does the same for
 * its small size classes (an 8-byte block is 8-aligned), which is why the
 * backend serves a layout with malloc only when its size is at least its
 * alignment; glibc aligns every block to 16, so without this mode that
 * condition could be dropped unnoticed.  Such a block is made up, a pointer
 * into a real block of the platform's (below); the wrappers free, resize
 * and measure it as the block it stands for, and the tally counts it
 * once.  Where no more blocks can be made up (64 live), a real block
 * is returned instead.  Off after a reset; blocks already made up stay
 * valid.  No effect on Windows, where HeapAlloc aligns every block alike,
 * whatever its size. */
void galloc__fault_underalign_small_blocks(bool on);

/* On: the platform's release changes the caller's error state after
 * releasing, as it may: free() sets errno to ENOMEM (before glibc 2.33, a
 * munmap inside free could set it), HeapFree sets the thread's last error
 * to ERROR_INVALID_PARAMETER.  And on glibc the backend is told that free
 * may change errno - the answer it otherwise takes once from glibc's
 * version - so it takes the path older glibcs and other libcs take,
 * keeping errno itself around free: on glibc 2.33 and later that path
 * never runs otherwise.  Off after a reset (the backend then trusts the
 * glibc version it found again). */
void galloc__fault_clobbering_releases(bool on);

/* On: every block posix_memalign returns is filled with GALLOC__FAULT_DIRT
 * first, as a block reused from memory its last owner wrote holds old bytes
 * - whatever this process's malloc happens to reuse - so that a zeroed
 * allocation is proven to zero it, on the memset path and on the page-
 * replacing one (src/posix/sys.c, galloc__sys_zero).  Off after a reset. */
void galloc__fault_dirty_blocks(bool on);
#define GALLOC__FAULT_DIRT 0xA5

/* Linux: the kernel release the backend is told (uname) when it decides
 * whether a zeroed block's pages may be replaced (src/posix/sys.c,
 * galloc__sys_fixed_mmap_keeps_pages_on_failure), e.g. "6.1.0-28-amd64";
 * NULL: the real one.  Back to NULL after a reset. */
void galloc__fault_kernel_release(const char *release);
const char *galloc__fault_faked_kernel_release(void);

/* Blocks misaligned on purpose since the last reset. */
unsigned long galloc__fault_misaligned(void);

/* Blocks under-aligned on purpose (galloc__fault_underalign_small_blocks)
 * since the last reset, by malloc, calloc and realloc together. */
unsigned long galloc__fault_underaligned(void);

/* Calls of `kind` since the last reset, a failed one included. */
unsigned long galloc__fault_calls(galloc__fault_kind kind);

/* Platform blocks live now: blocks acquired (malloc, calloc,
 * posix_memalign, HeapAlloc) minus blocks released (free, HeapFree) since
 * the program started.  A resize (realloc, HeapReAlloc) leaves it alone:
 * it either releases one block and acquires one, or does nothing. */
long galloc__fault_live_blocks(void);

/* "malloc", "HeapReAlloc (in place)", ...: for test messages. */
const char *galloc__fault_kind_name(galloc__fault_kind kind);

/* --- For the backend's wrappers (src/posix/sys.c, src/win32/sys.c). ----- */

/* Counts one call of `kind`; true if it is the call armed to fail. */
bool galloc__fault_fails(galloc__fault_kind kind);

/* True if the posix_memalign call just counted (by galloc__fault_fails)
 * is one to misalign; counts it as misaligned. */
bool galloc__fault_misaligns(void);

/* Whether failures leave errno alone (galloc__fault_silent_failures). */
bool galloc__fault_silent(void);

/* Whether posix_memalign's blocks are to be dirtied
 * (galloc__fault_dirty_blocks). */
bool galloc__fault_dirties(void);

/* Whether releases change the error state
 * (galloc__fault_clobbering_releases). */
bool galloc__fault_clobbers(void);

#if !defined(_WIN32)
/* A misaligned block for a wrapper to return: a pointer 2 * sizeof(void *)
 * bytes into a real block of at least size + that, aligned to twice that,
 * so aligned to no alignment above malloc's own - under any malloc,
 * sanitizers' included.  It is made up (below).  NULL if the real
 * allocation failed or too many made-up blocks are live (64; the backend
 * frees each misaligned one at once). */
void *galloc__fault_misaligned_block(size_t size);

/* Made-up blocks: a pointer into a real block of the platform's, standing
 * for a block of the size asked - a misaligned one (above), an under-aligned
 * one (galloc__fault_underalign_small_blocks).  Each is remembered with its
 * real block and its size until it is released, so that the wrappers can
 * hand the platform the real block: the platform never sees a made-up
 * pointer. */

/* What malloc(size), calloc(count, size) and realloc(ptr, size) give under
 * the modes set: under galloc__fault_underalign_small_blocks, a made-up,
 * under-aligned block for a small size; else the platform's call itself.
 * realloc's ptr may be a made-up block; a made-up block is resized by
 * allocating, copying and releasing (realloc's own fallback), since the real
 * block's realloc would move the data to the real block's start.  Failure
 * is the platform's: NULL with errno = ENOMEM, and for realloc the old block
 * unchanged.  Neither counted nor tallied: that is the wrappers' part. */
void *galloc__fault_platform_malloc(size_t size);
void *galloc__fault_platform_calloc(size_t count, size_t size);
void *galloc__fault_platform_realloc(void *ptr, size_t size);

/* What to pass to free() for ptr: the real block of a made-up one (which is
 * then forgotten), else ptr itself. */
void *galloc__fault_real_block(void *ptr);

/* True if ptr is a made-up block, with *size set to the size it was made
 * with: what a query of its usable size (malloc_usable_size) answers. */
bool galloc__fault_made_up_size(const void *ptr, size_t *size);
#endif

/* Tallies `block` as live if it is not NULL; returns it. */
void *galloc__fault_acquired(void *block);

/* Counts one call of the release `kind` and tallies one block less. */
void galloc__fault_released(galloc__fault_kind kind);

#endif /* GALLOC_FAULT_H */
