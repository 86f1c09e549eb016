/*
 * system_heap.h - looking at the platform heap directly, without galloc, to
 * tell where a block came from and whether anything leaked.  Used by hosts
 * that must not depend on galloc (DESIGN.md row M5), so it includes only
 * standard and platform headers.
 */
#ifndef GALLOC_TEST_SYSTEM_HEAP_H
#define GALLOC_TEST_SYSTEM_HEAP_H

#include <stdbool.h>
#include <stddef.h>

/* True if ptr is a live block of the platform heap holding >= size bytes:
 * malloc_usable_size on glibc, HeapValidate + HeapSize on the Windows
 * process heap.  ptr must be the start of a heap block (alignment <= the
 * heap's natural alignment on Windows). */
bool is_system_heap_block(void *ptr, size_t size);

/* Releases a System block with the platform's own call: free() on Unix,
 * HeapFree on the Windows process heap.  True on success. */
bool release_with_platform_call(void *ptr);

/* Bytes in use on the platform heap (glibc mallinfo2, Windows HeapWalk), to
 * compare before and after a sequence that must not leak.  glibc counts
 * chunks parked in its per-thread cache as in use: run with
 * GLIBC_TUNABLES=glibc.malloc.tcache_count=0 for an exact figure.  Under
 * AddressSanitizer and Valgrind memcheck, whose malloc replaces glibc's,
 * the tool's own count of live bytes. */
size_t system_heap_bytes_in_use(void);

/* Whether a System block from C++'s new is a block of the platform heap,
 * which a plain host can release with the platform call: everywhere but
 * 32-bit Windows, where HeapAlloc aligns to 8 and MinGW's new promises 16
 * (__STDCPP_DEFAULT_NEW_ALIGNMENT__), so galloc serves new there with
 * over-aligned blocks inside larger heap blocks, which only operator
 * delete releases. */
#if defined(_WIN32) && !defined(_WIN64)
#define SYSTEM_HEAP_HOLDS_NEW_BLOCKS 0
#else
#define SYSTEM_HEAP_HOLDS_NEW_BLOCKS 1
#endif

#if !defined(_WIN32)
/* Unix only, where every System block is the platform's own: makes a block
 * of align + 1 bytes at each alignment from 32 to 64 KiB with `make` and
 * releases it with free().  Returns the first alignment whose block was
 * missing or misaligned, 0 if there was none.  (On Windows over-aligned
 * blocks lie inside larger heap blocks: only their owner can release them.) */
size_t first_over_aligned_block_not_freeable(void *(*make)(size_t size, size_t align));
#endif

#endif
