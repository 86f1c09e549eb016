/*
 * galloc/uv.h - the libuv adapter: route libuv's own allocations through
 * galloc's global allocator.  Link galloc::uv (CMake), which brings libuv
 * and galloc.
 */
#ifndef GALLOC_UV_H
#define GALLOC_UV_H

#include <galloc.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Makes libuv allocate through galloc_global(), with uv_replace_allocator
 * and the libc-shaped functions of galloc.h.
 *
 * Call it before any other libuv function (libuv's rule: memory it already
 * allocated would be freed by the wrong allocator), typically first thing in
 * main().  Calling it again is harmless.
 *
 * @return 0, or a libuv error code (UV_EINVAL) if libuv refused.
 */
int galloc_uv_install(void);

#ifdef __cplusplus
}
#endif

#endif /* GALLOC_UV_H */
