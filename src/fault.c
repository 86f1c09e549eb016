/*
 * fault.c - the failure-injection control (see fault.h).  Compiled into the
 * test-only galloc_fault library, never into galloc itself.
 */
#include "fault.h"

#include <stdlib.h>

static unsigned long calls[GALLOC__FAULT_KINDS];
static unsigned long fail_at[GALLOC__FAULT_KINDS]; /* 0: never */
static long live_blocks;
static unsigned long misalign_first, misalign_count, misaligned;
static bool silent;
#if !defined(_WIN32)
#define MAX_FAKES 16
static struct {
    unsigned char *fake, *real;
} fakes[MAX_FAKES];
#endif

void galloc__fault_reset(void) {
    for (int kind = 0; kind < GALLOC__FAULT_KINDS; kind++) {
        calls[kind] = 0;
        fail_at[kind] = 0;
    }
    misalign_first = misalign_count = misaligned = 0;
    silent = false;
}

void galloc__fault_silent_failures(bool on) {
    silent = on;
}

bool galloc__fault_silent(void) {
    return silent;
}

void galloc__fault_fail_call(galloc__fault_kind kind, unsigned long n) {
    fail_at[kind] = n;
}

void galloc__fault_misalign_calls(unsigned long first, unsigned long count) {
    misalign_first = first;
    misalign_count = count;
}

unsigned long galloc__fault_misaligned(void) {
    return misaligned;
}

#if !defined(_WIN32) /* (posix_memalign; Windows has no aligned call to misalign) */
void *galloc__fault_misaligned_block(size_t size) {
    const size_t offset = 2 * sizeof(void *);
    for (int i = 0; i < MAX_FAKES; i++) {
        if (fakes[i].fake != NULL)
            continue;
        void *real = NULL;
        if (size > SIZE_MAX - offset || posix_memalign(&real, 2 * offset, size + offset) != 0)
            return NULL;
        fakes[i].real = real;
        fakes[i].fake = fakes[i].real + offset;
        return fakes[i].fake;
    }
    return NULL;
}

void *galloc__fault_real_block(void *ptr) {
    for (int i = 0; i < MAX_FAKES; i++) {
        if (ptr != NULL && fakes[i].fake == ptr) {
            fakes[i].fake = NULL;
            return fakes[i].real;
        }
    }
    return ptr;
}
#endif

bool galloc__fault_misaligns(void) {
    unsigned long call = calls[GALLOC__FAULT_POSIX_MEMALIGN];
    if (misalign_count == 0 || call < misalign_first || call - misalign_first >= misalign_count)
        return false;
    misaligned++;
    return true;
}

unsigned long galloc__fault_calls(galloc__fault_kind kind) {
    return calls[kind];
}

long galloc__fault_live_blocks(void) {
    return live_blocks;
}

const char *galloc__fault_kind_name(galloc__fault_kind kind) {
    static const char *const names[GALLOC__FAULT_KINDS] = {
        [GALLOC__FAULT_MALLOC] = "malloc",
        [GALLOC__FAULT_CALLOC] = "calloc",
        [GALLOC__FAULT_REALLOC] = "realloc",
        [GALLOC__FAULT_POSIX_MEMALIGN] = "posix_memalign",
        [GALLOC__FAULT_FREE] = "free",
        [GALLOC__FAULT_HEAP_ALLOC] = "HeapAlloc",
        [GALLOC__FAULT_HEAP_REALLOC_IN_PLACE] = "HeapReAlloc (in place)",
        [GALLOC__FAULT_HEAP_REALLOC] = "HeapReAlloc",
        [GALLOC__FAULT_HEAP_FREE] = "HeapFree",
    };
    return names[kind];
}

bool galloc__fault_fails(galloc__fault_kind kind) {
    return ++calls[kind] == fail_at[kind];
}

void *galloc__fault_acquired(void *block) {
    if (block != NULL)
        live_blocks++;
    return block;
}

void galloc__fault_released(galloc__fault_kind kind) {
    calls[kind]++;
    live_blocks--;
}
