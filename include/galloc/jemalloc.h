/*
 * galloc/jemalloc.h - jemalloc as a galloc allocator.
 *
 * Link the galloc_jemalloc library (and jemalloc: -ljemalloc) to use it:
 *
 *   p = galloc_allocator_alloc(&galloc_jemalloc, layout);
 *
 * or make it the program's global allocator, either with one line in the
 * executable,
 *
 *   GALLOC_GLOBAL_ALLOCATOR(galloc_jemalloc);
 *
 * or by linking galloc::jemalloc_global, a static library that contains
 * exactly that line (DESIGN.md row M8).
 *
 * This header does not include <jemalloc/jemalloc.h>: users of the
 * allocator object need only galloc's own API.
 */
#ifndef GALLOC_JEMALLOC_H
#define GALLOC_JEMALLOC_H

#include <galloc.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * jemalloc's non-standard *allocx API behind the galloc_allocator interface
 * (name "jemalloc"):
 *   - alloc / alloc_zeroed: mallocx, with MALLOCX_ALIGN for alignments above
 *     8 and MALLOCX_ZERO for zeroed blocks;
 *   - realloc: rallocx with the same alignment flag, so a moved block keeps
 *     its alignment; on failure it returns NULL and the old block is left
 *     allocated and unchanged;
 *   - dealloc: sdallocx, the sized free, with the size and the alignment
 *     flag the block was allocated with.
 * Thread-safe; stateless, so it can be used before main() and from any
 * thread.  Blocks belong to jemalloc: release them through this allocator,
 * never with the System allocator.
 */
extern const galloc_allocator galloc_jemalloc;

#ifdef __cplusplus
}
#endif

#endif /* GALLOC_JEMALLOC_H */
