/*
 * mimalloc.c - galloc_mimalloc: mimalloc behind the galloc_allocator
 * interface.
 *
 * The front end has already done the awkward part (valid layout, size never
 * 0, ptr never NULL, errno = ENOMEM on a NULL result), so each function is
 * one call into mimalloc's aligned API.  That API takes every power-of-two
 * alignment, small ones included: mimalloc serves those from its ordinary
 * size classes (falling back to over-allocation only when it must), so
 * there is nothing to gain from a separate unaligned path here.
 */
#include <galloc/mimalloc.h>

#include <mimalloc.h>

/*
 * mi_malloc_aligned_at with offset 0, not mi_malloc_aligned: in mimalloc
 * 2.0.9 (Debian's) mi_malloc_aligned has a fast path that wrongly treats
 * every small power-of-two size as naturally aligned, so e.g.
 * mi_malloc_aligned(256, 256), (512, 256) or (1024, 512) can return a block
 * that is only 128-aligned (microsoft/mimalloc#700, fixed in 2.1).  The _at
 * entry point skips that fast path and has its own correct one; in fixed
 * versions mi_malloc_aligned is exactly mi_malloc_aligned_at(..., 0), so
 * nothing is lost there.  mi_zalloc_aligned and mi_realloc_aligned never
 * had the bug.
 */
static void *mimalloc_alloc(const galloc_allocator *self, galloc_layout layout) {
    (void)self;
    return mi_malloc_aligned_at(layout.size, layout.align, 0);
}

/* mimalloc knows which of its pages are fresh from the OS, so this zeroes
 * only what needs it: cheaper than alloc + memset for large blocks. */
static void *mimalloc_alloc_zeroed(const galloc_allocator *self,
                                   galloc_layout layout) {
    (void)self;
    return mi_zalloc_aligned(layout.size, layout.align);
}

/*
 * mi_realloc_aligned keeps the alignment whether the block stays or moves.
 * On failure it returns NULL and does not free p: mimalloc documents this
 * for mi_realloc ("If NULL is returned, the pointer p is not freed"), and
 * the aligned variant allocates the new block first and frees the old one
 * "only if successful" (alloc-aligned.c); for alignments up to
 * sizeof(uintptr_t) it is mi_realloc itself.  That is exactly the
 * contract's "leave the old block untouched", so no copy is needed here.
 * (The installed <mimalloc.h> only declares the function;
 * test_adapters.c checks the behaviour.)
 */
static void *mimalloc_realloc(const galloc_allocator *self, void *ptr,
                              galloc_layout layout, size_t new_size) {
    (void)self;
    return mi_realloc_aligned(ptr, new_size, layout.align);
}

/* The sized, aligned free: a plain mi_free in release builds, but mimalloc's
 * debug builds assert that the size and alignment match the block, which
 * catches a caller passing the wrong layout. */
static void mimalloc_dealloc(const galloc_allocator *self, void *ptr,
                             galloc_layout layout) {
    (void)self;
    mi_free_size_aligned(ptr, layout.size, layout.align);
}

const galloc_allocator galloc_mimalloc = {
    mimalloc_alloc, mimalloc_dealloc, mimalloc_alloc_zeroed, mimalloc_realloc,
    "mimalloc",
};
