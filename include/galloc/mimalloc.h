/*
 * galloc/mimalloc.h - mimalloc as a galloc allocator.
 *
 * Link the galloc_mimalloc library (and mimalloc: -lmimalloc) to use it:
 *
 *   p = galloc_allocator_alloc(&galloc_mimalloc, layout);
 *
 * or make it the program's global allocator, either with one line in the
 * executable,
 *
 *   GALLOC_GLOBAL_ALLOCATOR(galloc_mimalloc);
 *
 * or by linking galloc::mimalloc_global, a static library that contains
 * exactly that line (DESIGN.md row M8).
 *
 * This header does not include <mimalloc.h>: users of the allocator object
 * need only galloc's own API.
 */
#ifndef GALLOC_MIMALLOC_H
#define GALLOC_MIMALLOC_H

#include <galloc.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * mimalloc's aligned, sized API behind the galloc_allocator interface
 * (name "mimalloc"):
 *   - alloc / alloc_zeroed: mi_malloc_aligned_at(size, align, 0) /
 *     mi_zalloc_aligned, for every alignment galloc accepts (the _at form
 *     avoids a misalignment bug of mi_malloc_aligned in mimalloc 2.0.x);
 *   - realloc: mi_realloc_aligned, which keeps the alignment, and on failure
 *     returns NULL with the old block left allocated and unchanged;
 *   - dealloc: mi_free_size_aligned, so mimalloc's debug builds check the
 *     layout given back.
 * Thread-safe; stateless, so it can be used before main() and from any
 * thread.  Blocks belong to mimalloc: release them through this allocator
 * (or mi_free), never with the System allocator.
 */
extern const galloc_allocator galloc_mimalloc;

#ifdef __cplusplus
}
#endif

#endif /* GALLOC_MIMALLOC_H */
