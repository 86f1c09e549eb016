/*
 * libc.c - malloc-shaped functions on top of the global allocator, for
 * libraries whose allocation hooks carry no size on free.
 *
 * Each block is one galloc allocation of {size + HEADER, HEADER} laid out as
 *
 *     base                       base + HEADER (returned)
 *     | size_t size | padding    | size bytes for the caller ...
 *
 * HEADER is 16: a multiple of every fundamental alignment on the platforms
 * galloc supports, so the returned pointer is as aligned as malloc's.
 */
#include "internal.h"

#include <errno.h>
#include <string.h>

#define HEADER ((size_t)16)

/* The largest user size whose block {size + HEADER, HEADER} is a valid
 * layout: anything above would overflow or exceed PTRDIFF_MAX. */
#define MAX_USER_SIZE ((size_t)PTRDIFF_MAX - (HEADER - 1) - HEADER)

static galloc_layout block_layout(size_t size) {
    galloc_layout layout = {size + HEADER, HEADER};
    return layout;
}

static void *user_pointer(unsigned char *base, size_t size) {
    memcpy(base, &size, sizeof size);
    return base + HEADER;
}

static unsigned char *base_of(void *ptr, size_t *size) {
    unsigned char *base = (unsigned char *)ptr - HEADER;
    memcpy(size, base, sizeof *size);
    return base;
}

/* malloc and calloc share everything but the zeroing. */
static void *allocate(size_t size, bool zeroed) {
    if (size > MAX_USER_SIZE) {
        errno = ENOMEM; /* what malloc says for a size no one can have */
        return NULL;
    }
    galloc_layout layout = block_layout(size);
    unsigned char *base = zeroed ? galloc_alloc_zeroed(layout) : galloc_alloc(layout);
    return base != NULL ? user_pointer(base, size) : NULL;
}

void *galloc_libc_malloc(size_t size) {
    return allocate(size, false);
}

void *galloc_libc_calloc(size_t count, size_t size) {
    if (size != 0 && count > SIZE_MAX / size) {
        errno = ENOMEM;
        return NULL;
    }
    return allocate(count * size, true);
}

void galloc_libc_free(void *ptr) {
    if (ptr == NULL)
        return;
    size_t size;
    unsigned char *base = base_of(ptr, &size);
    galloc_dealloc(base, block_layout(size)); /* keeps errno */
}

void *galloc_libc_realloc(void *ptr, size_t size) {
    if (ptr == NULL)
        return galloc_libc_malloc(size);
    if (size == 0) {
        galloc_libc_free(ptr);
        return NULL;
    }
    if (size > MAX_USER_SIZE) {
        errno = ENOMEM;
        return NULL;
    }
    size_t old_size;
    unsigned char *base = base_of(ptr, &old_size);
    unsigned char *moved = galloc_realloc(base, block_layout(old_size), size + HEADER);
    return moved != NULL ? user_pointer(moved, size) : NULL;
}
