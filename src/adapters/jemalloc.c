/*
 * jemalloc.c - galloc_jemalloc: jemalloc behind the galloc_allocator
 * interface, on its non-standard *allocx API, which takes the alignment on
 * every call, zeroing as a flag, and the size on free.
 *
 * The front end has already done the awkward part (valid layout, size never
 * 0 - mallocx and rallocx are undefined for 0 -, ptr never NULL, errno =
 * ENOMEM on a NULL result: mallocx does not set errno), so each function is
 * one jemalloc call.
 *
 * Debian's jemalloc is built without a prefix (mallocx, not je_mallocx).
 */
#include <galloc/jemalloc.h>

#include <jemalloc/jemalloc.h>

/*
 * The alignment every jemalloc block has without asking for one.  jemalloc
 * documents its size classes (jemalloc(3), IMPLEMENTATION NOTES): requests
 * up to half the quantum are rounded up to a power of two of at least
 * sizeof(double), and every other class is a multiple of the quantum (8 or
 * 16), so no class is smaller than 8 or anything but a multiple of 8, and
 * slabs and large extents start on page (or cache line) boundaries.
 *
 * Why not alignof(max_align_t) with "align <= size", as the System
 * allocator does?  Because the quantum is a build option: jemalloc's
 * INSTALL notes that a distribution may build with --with-lg-quantum=3,
 * following glibc, and then a 24- or 48-byte block is only 8-aligned.  8 is
 * the bound that holds for every build, whatever the size.
 */
#define JEMALLOC_NATURAL_ALIGN 8

/*
 * The flags for a block of alignment `align`, the same for mallocx, rallocx
 * and sdallocx, and a function of the alignment alone, which never changes
 * over a block's life (realloc keeps it).  That matters for sdallocx:
 * jemalloc recomputes the block's size class from (size, flags) and trusts
 * the answer - an aligned request can get a larger class than its size
 * alone (size 8, align 64 gets a 64-byte class) - so freeing with other
 * flags than the block was allocated with files it under the wrong class:
 * an assertion in debug builds, silent heap corruption in release ones.
 *
 * Omitting the flag when it is not needed is not just tidiness: jemalloc's
 * sized free takes its fast path only for flags == 0, and most blocks
 * (pointers, size_t, double) have an alignment of 8 or less.
 */
static inline int align_flags(size_t align) {
    return align <= JEMALLOC_NATURAL_ALIGN ? 0 : MALLOCX_ALIGN(align);
}

/* For an alignment jemalloc cannot serve (beyond its largest size class)
 * mallocx and rallocx return NULL, like any other out-of-memory case. */
static void *jemalloc_alloc(const galloc_allocator *self, galloc_layout layout) {
    (void)self;
    return mallocx(layout.size, align_flags(layout.align));
}

/* MALLOCX_ZERO rather than alloc + memset: jemalloc skips pages it knows
 * are fresh from the OS, so large zeroed blocks cost no writes. */
static void *jemalloc_alloc_zeroed(const galloc_allocator *self,
                                   galloc_layout layout) {
    (void)self;
    return mallocx(layout.size, align_flags(layout.align) | MALLOCX_ZERO);
}

/*
 * The alignment flag makes a moved block keep the alignment (rallocx with
 * no flag only guarantees the natural one).  No MALLOCX_ZERO: bytes past
 * the old size are left uninitialised, as galloc_realloc documents.  On
 * failure rallocx returns NULL and leaves ptr allocated and unchanged: it
 * frees the old block only after the new one exists and the data is
 * copied.  test_adapters.c checks that.
 */
static void *jemalloc_realloc(const galloc_allocator *self, void *ptr,
                              galloc_layout layout, size_t new_size) {
    (void)self;
    return rallocx(ptr, new_size, align_flags(layout.align));
}

/* The sized free: layout.size is the size the block was (last) allocated
 * or reallocated with, which is within what sdallocx accepts (from the
 * requested size up to the size class), and the flags are the allocation's
 * (see align_flags for why they must be). */
static void jemalloc_dealloc(const galloc_allocator *self, void *ptr,
                             galloc_layout layout) {
    (void)self;
    sdallocx(ptr, layout.size, align_flags(layout.align));
}

const galloc_allocator galloc_jemalloc = {
    jemalloc_alloc, jemalloc_dealloc, jemalloc_alloc_zeroed, jemalloc_realloc,
    "jemalloc",
};
