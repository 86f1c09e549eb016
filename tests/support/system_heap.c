#include "system_heap.h"

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
#else
#error "system_heap.c: teach the tests how to inspect this platform's heap"
#endif
