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

bool is_system_heap_block(void *ptr, size_t size) {
    return malloc_usable_size(ptr) >= size;
}

bool release_with_platform_call(void *ptr) {
    free(ptr);
    return true;
}

size_t system_heap_bytes_in_use(void) {
    struct mallinfo2 info = mallinfo2();
    /* Bytes in chunks handed out, plus chunks mapped on their own. */
    return info.uordblks + info.hblkhd;
}
#else
#error "system_heap.c: teach the tests how to inspect this platform's heap"
#endif
