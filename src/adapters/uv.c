/*
 * uv.c - the libuv adapter.  libuv's hooks are malloc-shaped, without sizes
 * on free, which is exactly what galloc's libc-shaped functions provide.
 */
#include <galloc/uv.h>

#include <uv.h>

int galloc_uv_install(void) {
    return uv_replace_allocator(galloc_libc_malloc, galloc_libc_realloc,
                                galloc_libc_calloc, galloc_libc_free);
}
