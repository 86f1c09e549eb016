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
 * live.
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
    GALLOC__FAULT_HEAP_ALLOC,
    GALLOC__FAULT_HEAP_REALLOC_IN_PLACE,
    GALLOC__FAULT_HEAP_REALLOC,
    GALLOC__FAULT_HEAP_FREE,
    GALLOC__FAULT_KINDS
} galloc__fault_kind;

/* --- The control, for tests. --------------------------------------------- */

/* Zeroes every call counter and disarms every failure.  The live-block
 * tally is kept: it counts from program start. */
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

/* Blocks misaligned on purpose since the last reset. */
unsigned long galloc__fault_misaligned(void);

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

/* A misaligned block for a wrapper to return: a pointer 2 * sizeof(void *)
 * bytes into a real block of at least size + that, aligned to twice that,
 * so aligned to no alignment above malloc's own - under any malloc,
 * sanitizers' included.  It is remembered, so that galloc__fault_real_block
 * gives back the real block when the backend frees it.  NULL if the real
 * allocation failed or too many are live (16; the backend frees each at
 * once). */
#if !defined(_WIN32)
void *galloc__fault_misaligned_block(size_t size);

/* What to pass to free() for ptr: the real block of a misaligned one (which
 * is then forgotten), else ptr itself. */
void *galloc__fault_real_block(void *ptr);
#endif

/* Tallies `block` as live if it is not NULL; returns it. */
void *galloc__fault_acquired(void *block);

/* Counts one call of the release `kind` and tallies one block less. */
void galloc__fault_released(galloc__fault_kind kind);

#endif /* GALLOC_FAULT_H */
