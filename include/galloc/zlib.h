/*
 * galloc/zlib.h - the zlib adapter: a z_stream's allocations go through
 * galloc's global allocator.  Link galloc::zlib (CMake), which brings zlib
 * and galloc.
 */
#ifndef GALLOC_ZLIB_H
#define GALLOC_ZLIB_H

#include <galloc.h>

#include <zlib.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Sets strm's zalloc, zfree and opaque so that the stream allocates through
 * galloc_global().  zlib's hooks are per stream, not global: call it on
 * each stream, after zeroing it or setting next_in / avail_in and before
 * deflateInit* / inflateInit* (which read the hooks), never on a stream
 * already initialised (its state was allocated by other hooks).  zlib
 * frees without a size, so blocks carry the 16-byte header of galloc.h's
 * libc-shaped functions.  Not routed: the one-shot compress() /
 * uncompress() and the gz* file functions, which make their own streams
 * with zlib's default hooks.
 */
void galloc_zlib_use(z_stream *strm);

#ifdef __cplusplus
}
#endif

#endif /* GALLOC_ZLIB_H */
