/*
 * libc.c - malloc-shaped functions on top of the global allocator, for
 * libraries whose allocation hooks carry no size on free.
 *
 * Each block is one galloc allocation of {size + EXTRA, ALIGN} laid out as
 *
 *     base    [16 bytes, only if shifted]   header          user (returned)
 *     |                                     | size | check  | size bytes ...
 *
 * The header (HEADER = 16 bytes, right in front of the caller's pointer)
 * holds the size, so no size is needed to free, and a check word that lets
 * galloc_libc_owns() tell these blocks from any other pointer:
 *
 *     check = (uintptr_t)user ^ size ^ TAG ^ shift
 *
 * Telling them apart matters because libraries hand their hooks pointers
 * that are not theirs: libuv before 1.49 frees realpath()'s malloc'ed
 * result with its free hook.  Trusting the header of such a pointer would
 * free a made-up block.  Instead the header is read only where reading is
 * safe, and checked:
 *   - user is a multiple of ALIGN, and never the first byte of a 4096-byte
 *     page: so the header is always in the same page as user, and reading
 *     it for any pointer that passes the first test cannot fault.  A
 *     misaligned or page-aligned pointer is not ours, without a read.  This
 *     is what the 16 spare bytes are for: when base + 16 would be
 *     page-aligned, user is base + 32 instead (shift = 16).
 *   - under AddressSanitizer and Valgrind, a header that the tool says is
 *     not addressable (a redzone, freed memory) or not initialised is not
 *     ours either, so the check itself is never reported as an error.
 *   - the check word ties the header to its own address and size; freeing
 *     a block spoils it, so a second free of it is caught too (until its
 *     memory is reused by another block of these functions).
 * TAG is a constant, not a per-process secret: copies of galloc in
 * different modules (plugins embedding it statically) must recognise each
 * other's blocks.
 */
#include "internal.h"

#include <errno.h>
#include <string.h>

#if defined(GALLOC_HAVE_VALGRIND_MEMCHECK_H)
#include <valgrind/memcheck.h>
#endif

#if defined(__SANITIZE_ADDRESS__)
#define GALLOC__LIBC_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define GALLOC__LIBC_ASAN 1
#endif
#endif
#if defined(GALLOC__LIBC_ASAN)
/* From <sanitizer/asan_interface.h>: the first poisoned byte, or NULL. */
void *__asan_region_is_poisoned(void *beg, size_t size);
#endif

#define ALIGN ((size_t)16)
#define HEADER ((size_t)16)
#define EXTRA (HEADER + 16) /* the header and the room to shift */
#define PAGE ((uintptr_t)4096) /* the smallest page size of any target */
#define TAG ((uintptr_t)0x9E3779B97F4A7C15u)

/* The largest user size whose block {size + EXTRA, ALIGN} is a valid
 * layout: anything above would overflow or exceed PTRDIFF_MAX. */
#define MAX_USER_SIZE ((size_t)PTRDIFF_MAX - (ALIGN - 1) - EXTRA)

static galloc_layout block_layout(size_t size) {
    galloc_layout layout = {size + EXTRA, ALIGN};
    return layout;
}

/* 0, or 16 when base + HEADER would start a page. */
static size_t shift_for(const unsigned char *base) {
    return ((uintptr_t)(base + HEADER) & (PAGE - 1)) == 0 ? 16 : 0;
}

static uintptr_t check_word(const unsigned char *user, size_t size, size_t shift) {
    return (uintptr_t)user ^ (uintptr_t)size ^ TAG ^ (uintptr_t)shift;
}

/* Writes the header of a block at base and returns the caller's pointer. */
static void *make_user(unsigned char *base, size_t size) {
    size_t shift = shift_for(base);
    unsigned char *user = base + HEADER + shift;
    uintptr_t check = check_word(user, size, shift);
    memcpy(user - HEADER, &size, sizeof size);
    memcpy(user - HEADER + sizeof size, &check, sizeof check);
    return user;
}

/* Whether the header in front of user may be read and compared without a
 * sanitizer calling it an error.  Every real header is addressable and
 * initialised; where a tool knows a byte is not, the pointer is not ours. */
static bool header_checkable(const unsigned char *header) {
#if defined(GALLOC__LIBC_ASAN)
    if (__asan_region_is_poisoned((void *)(uintptr_t)header, HEADER) != NULL)
        return false;
#endif
#if defined(GALLOC_HAVE_VALGRIND_MEMCHECK_H)
    /* 0 natively; under memcheck 1 with the validity bits (0: defined), or
     * 3 if a byte is not addressable - with no error reported either way. */
    unsigned char vbits[HEADER];
    unsigned answer = (unsigned)VALGRIND_GET_VBITS(header, vbits, HEADER);
    if (answer == 3)
        return false;
    if (answer == 1)
        for (size_t i = 0; i < HEADER; i++)
            if (vbits[i] != 0)
                return false;
#else
    (void)header;
#endif
    return true;
}

/* The block behind ptr, if ptr is one of ours: its base and size. */
static bool find_block(const void *ptr, unsigned char **base, size_t *size) {
    uintptr_t address = (uintptr_t)ptr;
    if (ptr == NULL || (address & (ALIGN - 1)) != 0 || (address & (PAGE - 1)) == 0)
        return false;
    const unsigned char *header = (const unsigned char *)ptr - HEADER;
    if (!header_checkable(header))
        return false;
    size_t stored_size;
    uintptr_t check;
    memcpy(&stored_size, header, sizeof stored_size);
    memcpy(&check, header + sizeof stored_size, sizeof check);
    uintptr_t shift = check ^ check_word(ptr, stored_size, 0);
    if ((shift != 0 && shift != 16) || stored_size > MAX_USER_SIZE)
        return false;
    *base = (unsigned char *)(uintptr_t)header - shift;
    *size = stored_size;
    return true;
}

int galloc_libc_owns(const void *ptr) {
    unsigned char *base;
    size_t size;
    return find_block(ptr, &base, &size);
}

size_t galloc_libc_usable_size(const void *ptr) {
    unsigned char *base;
    size_t size;
    if (ptr == NULL)
        return 0;
    if (!find_block(ptr, &base, &size)) {
        galloc__report_foreign("galloc_libc_usable_size", ptr, "0 returned");
        return 0;
    }
    return size;
}

/* malloc and calloc share everything but the zeroing. */
static void *allocate(size_t size, bool zeroed) {
    if (size > MAX_USER_SIZE) {
        errno = ENOMEM; /* what malloc says for a size no one can have */
        return NULL;
    }
    galloc_layout layout = block_layout(size);
    unsigned char *base = zeroed ? galloc_alloc_zeroed(layout) : galloc_alloc(layout);
    return base != NULL ? make_user(base, size) : NULL;
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
    unsigned char *base;
    size_t size;
    if (!find_block(ptr, &base, &size)) {
        galloc__report_foreign("galloc_libc_free", ptr, "left alone");
        return;
    }
    /* Spoil the check word: a second free of this pointer is then caught. */
    uintptr_t spoiled = 0;
    memcpy((unsigned char *)ptr - HEADER + sizeof size, &spoiled, sizeof spoiled);
    galloc_dealloc(base, block_layout(size)); /* keeps errno */
}

void *galloc_libc_realloc(void *ptr, size_t size) {
    if (ptr == NULL)
        return galloc_libc_malloc(size);
    unsigned char *base;
    size_t old_size;
    if (!find_block(ptr, &base, &old_size)) {
        galloc__report_foreign("galloc_libc_realloc", ptr, "left alone, NULL returned");
        errno = EINVAL;
        return NULL;
    }
    if (size == 0) {
        galloc_libc_free(ptr);
        return NULL;
    }
    if (size > MAX_USER_SIZE) {
        errno = ENOMEM;
        return NULL;
    }
    size_t old_shift = (size_t)((unsigned char *)ptr - HEADER - base);
    unsigned char *moved = galloc_realloc(base, block_layout(old_size), size + EXTRA);
    if (moved == NULL)
        return NULL;
    /* A block that moved may need the other shift: the data moves with it. */
    size_t new_shift = shift_for(moved);
    if (new_shift != old_shift)
        memmove(moved + HEADER + new_shift, moved + HEADER + old_shift,
                old_size < size ? old_size : size);
    return make_user(moved, size);
}
