/*
 * fault.c - the failure-injection control (see fault.h).  Compiled into the
 * test-only galloc_fault library, never into galloc itself.
 */
#include "fault.h"

#include <stdlib.h>
#include <string.h>

static unsigned long calls[GALLOC__FAULT_KINDS];
static unsigned long fail_at[GALLOC__FAULT_KINDS]; /* 0: never */
static long live_blocks;
static unsigned long misalign_first, misalign_count, misaligned;
static bool silent, underalign, clobber, dirty;
static unsigned long underaligned;
static const char *kernel_release;
#if !defined(_WIN32)
/* malloc's own alignment (GALLOC__MIN_ALIGN in src/posix/sys.c). */
#define MALLOC_ALIGN (2 * sizeof(void *))
#define MAX_FAKES 64
static struct {
    unsigned char *fake, *real; /* fake == NULL: a free slot */
    size_t size;
} fakes[MAX_FAKES];
#endif

void galloc__fault_reset(void) {
    for (int kind = 0; kind < GALLOC__FAULT_KINDS; kind++) {
        calls[kind] = 0;
        fail_at[kind] = 0;
    }
    misalign_first = misalign_count = misaligned = 0;
    silent = underalign = clobber = dirty = false;
    underaligned = 0;
    kernel_release = NULL;
}

void galloc__fault_kernel_release(const char *release) {
    kernel_release = release;
}

const char *galloc__fault_faked_kernel_release(void) {
    return kernel_release;
}

void galloc__fault_silent_failures(bool on) {
    silent = on;
}

bool galloc__fault_silent(void) {
    return silent;
}

void galloc__fault_underalign_small_blocks(bool on) {
    underalign = on;
}

unsigned long galloc__fault_underaligned(void) {
    return underaligned;
}

void galloc__fault_dirty_blocks(bool on) {
    dirty = on;
}

bool galloc__fault_dirties(void) {
    return dirty;
}

void galloc__fault_clobbering_releases(bool on) {
    clobber = on;
}

bool galloc__fault_clobbers(void) {
    return clobber;
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

#if !defined(_WIN32) /* (malloc's blocks; HeapAlloc aligns whatever the size) */
/* A made-up block of size bytes, `offset` bytes into a real block aligned to
 * `align`, zero-filled if asked; NULL if the real allocation failed or no
 * slot is free. */
static void *made_up_block(size_t size, size_t offset, size_t align, bool zeroed) {
    for (int i = 0; i < MAX_FAKES; i++) {
        if (fakes[i].fake != NULL)
            continue;
        void *real = NULL;
        if (size > SIZE_MAX - offset || posix_memalign(&real, align, size + offset) != 0)
            return NULL;
        fakes[i].real = real;
        fakes[i].fake = fakes[i].real + offset;
        fakes[i].size = size;
        if (zeroed)
            memset(fakes[i].fake, 0, size);
        return fakes[i].fake;
    }
    return NULL;
}

/* The slot of a made-up block, or -1. */
static int made_up_slot(const void *ptr) {
    for (int i = 0; i < MAX_FAKES; i++)
        if (ptr != NULL && fakes[i].fake == ptr)
            return i;
    return -1;
}

void *galloc__fault_misaligned_block(size_t size) {
    return made_up_block(size, MALLOC_ALIGN, 2 * MALLOC_ALIGN, false);
}

/* Under galloc__fault_underalign_small_blocks, a small block aligned to the
 * largest power of two not above its size and to nothing more: that many
 * bytes into a real block aligned to malloc's alignment, which is at least
 * twice that.  NULL if the mode is off, the size is not small, or no block
 * could be made up. */
static void *underaligned_block(size_t size, bool zeroed) {
    if (!underalign || size == 0 || size >= MALLOC_ALIGN)
        return NULL;
    size_t align = 1;
    while (align * 2 <= size)
        align *= 2;
    void *block = made_up_block(size, align, MALLOC_ALIGN, zeroed);
    underaligned += block != NULL;
    return block;
}

void *galloc__fault_platform_malloc(size_t size) {
    void *block = underaligned_block(size, false);
    return block != NULL ? block : malloc(size);
}

void *galloc__fault_platform_calloc(size_t count, size_t size) {
    void *block = NULL;
    if (size == 0 || count <= SIZE_MAX / size)
        block = underaligned_block(count * size, true);
    return block != NULL ? block : calloc(count, size);
}

void *galloc__fault_platform_realloc(void *ptr, size_t size) {
    int slot = made_up_slot(ptr);
    if (slot < 0) {
        /* A real block: realloc's own, then made up if it is small now.
         * (Should that fail, the real block is a correct answer too.) */
        void *moved = realloc(ptr, size);
        void *small = moved != NULL ? underaligned_block(size, false) : NULL;
        if (small == NULL)
            return moved;
        memcpy(small, moved, size);
        free(moved);
        return small;
    }
    /* A made-up block: its data sits at an offset into the real block,
     * where the real block's realloc would not keep it; so allocate, copy,
     * release - which realloc may always do. */
    void *moved = galloc__fault_platform_malloc(size);
    if (moved == NULL)
        return NULL; /* (malloc set errno) */
    memcpy(moved, ptr, fakes[slot].size < size ? fakes[slot].size : size);
    free(galloc__fault_real_block(ptr));
    return moved;
}

void *galloc__fault_real_block(void *ptr) {
    int slot = made_up_slot(ptr);
    if (slot < 0)
        return ptr;
    fakes[slot].fake = NULL;
    return fakes[slot].real;
}

bool galloc__fault_made_up_size(const void *ptr, size_t *size) {
    int slot = made_up_slot(ptr);
    if (slot >= 0)
        *size = fakes[slot].size;
    return slot >= 0;
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
        [GALLOC__FAULT_MMAP] = "mmap",
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
