#if !defined(_WIN32) && !defined(_GNU_SOURCE)
#define _GNU_SOURCE /* RTLD_NEXT, for musl's count below */
#endif
#include "system_heap.h"

#include <stdint.h>
#include <stdlib.h> /* free, and on glibc defines __GLIBC__ */

#if defined(_WIN32)
#define WIN32_LEAN_AND_MEAN
#include <windows.h>

bool is_system_heap_block(void *ptr, size_t size) {
    HANDLE heap = GetProcessHeap();
    if (!HeapValidate(heap, 0, ptr))
        return false;
    SIZE_T usable = HeapSize(heap, 0, ptr);
    return usable != (SIZE_T)-1 && usable >= size;
}

bool release_with_platform_call(void *ptr) {
    return HeapFree(GetProcessHeap(), 0, ptr) != 0;
}

size_t system_heap_bytes_in_use(void) {
    HANDLE heap = GetProcessHeap();
    PROCESS_HEAP_ENTRY entry;
    size_t busy = 0;
    entry.lpData = NULL;
    HeapLock(heap);
    while (HeapWalk(heap, &entry))
        if (entry.wFlags & PROCESS_HEAP_ENTRY_BUSY)
            busy += entry.cbData;
    HeapUnlock(heap);
    return busy;
}

#elif defined(__GLIBC__)
#include <malloc.h>

#if defined(__SANITIZE_ADDRESS__)
#define SYSTEM_HEAP_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SYSTEM_HEAP_ASAN 1
#endif
#endif
#if defined(SYSTEM_HEAP_ASAN)
/* From <sanitizer/allocator_interface.h>. */
size_t __sanitizer_get_current_allocated_bytes(void);
#elif defined(GALLOC_HAVE_VALGRIND_MEMCHECK_H)
#include <valgrind/memcheck.h>
#endif

bool is_system_heap_block(void *ptr, size_t size) {
    return malloc_usable_size(ptr) >= size;
}

bool release_with_platform_call(void *ptr) {
    free(ptr);
    return true;
}

/* Under AddressSanitizer and Valgrind, malloc is the tool's, not glibc's,
 * and mallinfo2 says 0 whatever is allocated: each tool is asked instead. */
size_t system_heap_bytes_in_use(void) {
#if defined(SYSTEM_HEAP_ASAN)
    return __sanitizer_get_current_allocated_bytes();
#else
#if defined(GALLOC_HAVE_VALGRIND_MEMCHECK_H)
    if (RUNNING_ON_VALGRIND) {
        /* A leak check sorts every live block into one of four kinds; the
         * four add up to all of them.  (It reports nothing while every
         * block is still referenced.) */
        unsigned long leaked = 0, dubious = 0, reachable = 0, suppressed = 0;
        VALGRIND_DO_QUICK_LEAK_CHECK;
        VALGRIND_COUNT_LEAKS(leaked, dubious, reachable, suppressed);
        return leaked + dubious + reachable + suppressed;
    }
#endif
    struct mallinfo2 info = mallinfo2();
    /* Bytes in chunks handed out, plus chunks mapped on their own. */
    return info.uordblks + info.hblkhd;
#endif
}
#elif defined(__linux__)
/*
 * Linux without glibc: musl.  Its malloc (mallocng) keeps no statistics -
 * there is no mallinfo - so the programs that link this file count for
 * themselves.  They define malloc, realloc, free, aligned_alloc,
 * posix_memalign and memalign, which musl's dynamic linker lets a program
 * replace (musl >= 1.2.1, by symbol interposition: every module's calls,
 * the plugins' galloc included, reach the executable's definitions), and
 * each forwards to musl's own, found with dlsym(RTLD_NEXT), adding up the
 * usable sizes of the live blocks.  musl's calloc calls the replaced
 * malloc and zeroes (it is not replaced here, so nothing is counted
 * twice); its realloc and aligned_alloc use its allocator's internals, not
 * the replaced malloc.  aligned_alloc must be replaced too: with malloc
 * replaced and aligned_alloc not, musl's aligned_alloc refuses every
 * request (ENOMEM), as it could not know which allocator a block is
 * from.  The blocks stay musl's own, so the checks below ask musl.
 */
#include <dlfcn.h>
#include <errno.h>
#include <malloc.h>

bool is_system_heap_block(void *ptr, size_t size) {
    return malloc_usable_size(ptr) >= size;
}

bool release_with_platform_call(void *ptr) {
    free(ptr);
    return true;
}

static size_t heap_in_use;

static void count(void *ptr, int sign) {
    if (ptr == NULL)
        return;
    size_t usable = malloc_usable_size(ptr);
    if (sign > 0)
        __atomic_fetch_add(&heap_in_use, usable, __ATOMIC_RELAXED);
    else
        __atomic_fetch_sub(&heap_in_use, usable, __ATOMIC_RELAXED);
}

size_t system_heap_bytes_in_use(void) {
    return __atomic_load_n(&heap_in_use, __ATOMIC_RELAXED);
}

/* musl's function `name` (dlsym allocates nothing in musl); a missing one
 * is a broken test setup: abort. */
static void *musl_function(const char *name) {
    void *fn = dlsym(RTLD_NEXT, name);
    if (fn == NULL)
        abort();
    return fn;
}

/* (The casts from dlsym's void * are how POSIX says to use it.) */
#define MUSL_FUNCTION(result, name, parameters)                                 \
    static result(*musl_##name) parameters;                                    \
    if (musl_##name == NULL)                                                   \
    *(void **)&musl_##name = musl_function(#name)

void *malloc(size_t size) {
    MUSL_FUNCTION(void *, malloc, (size_t));
    void *ptr = musl_malloc(size);
    count(ptr, +1);
    return ptr;
}

void *realloc(void *ptr, size_t size) {
    MUSL_FUNCTION(void *, realloc, (void *, size_t));
    count(ptr, -1);
    void *moved = musl_realloc(ptr, size);
    count(moved != NULL ? moved : ptr, +1); /* a failed realloc keeps ptr */
    return moved;
}

void free(void *ptr) {
    MUSL_FUNCTION(void, free, (void *));
    count(ptr, -1);
    musl_free(ptr);
}

void *aligned_alloc(size_t align, size_t size) {
    MUSL_FUNCTION(void *, aligned_alloc, (size_t, size_t));
    void *ptr = musl_aligned_alloc(align, size);
    count(ptr, +1);
    return ptr;
}

void *memalign(size_t align, size_t size) {
    return aligned_alloc(align, size);
}

/* POSIX's rules on the alignment, then aligned_alloc (as musl's own
 * posix_memalign does). */
int posix_memalign(void **out, size_t align, size_t size) {
    if (align < sizeof(void *) || (align & (align - 1)) != 0)
        return EINVAL;
    int saved = errno; /* posix_memalign reports, it does not set errno */
    void *ptr = aligned_alloc(align, size);
    errno = saved;
    if (ptr == NULL)
        return ENOMEM;
    *out = ptr;
    return 0;
}
#else
#error "system_heap.c: teach the tests how to inspect this platform's heap"
#endif

#if !defined(_WIN32)
size_t first_over_aligned_block_not_freeable(void *(*make)(size_t size, size_t align)) {
    for (size_t align = 32; align <= 65536; align <<= 1) {
        void *p = make(align + 1, align);
        if (p == NULL || (uintptr_t)p % align != 0 || !release_with_platform_call(p))
            return align;
    }
    return 0;
}
#endif
