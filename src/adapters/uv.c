/*
 * uv.c - the libuv adapter.  libuv's hooks are malloc-shaped, without sizes
 * on free, which is exactly what galloc's libc-shaped functions provide.
 *
 * One libuv bug needs more: on Unix, libuv before 1.49 takes the result of
 * uv_fs_realpath() from the C library's realpath(path, NULL), which
 * allocates it with the C library's malloc, and uv_fs_req_cleanup() then
 * frees it with the replaced free (libuv issue #4329, fixed by commit
 * 6912038 in 1.49.0; Debian 12 ships 1.44, Ubuntu 22.04 1.43).  With those
 * versions the adapter's free tells galloc's blocks from the others
 * (galloc_libc_owns) and returns the others to the C library's free(),
 * which is where realpath() got them.  libuv's other foreign pointers are
 * none: scandir()'s entries it frees with free() itself.  On Windows libuv
 * allocates that path with its own hooks, so nothing is foreign there.
 */
#include <galloc/uv.h>

#include <uv.h>

#if !defined(_WIN32)
#include <errno.h>
#include <stdlib.h>

/* The first libuv that frees only what its hooks allocated. */
#define FIXED_REALPATH_VERSION ((1 << 16) | (49 << 8) | 0)

static void free_realpath_too(void *ptr) {
    if (ptr == NULL || galloc_libc_owns(ptr)) {
        galloc_libc_free(ptr);
    } else {
        int saved = errno; /* as galloc_libc_free keeps it */
        free(ptr);
        errno = saved;
    }
}
#endif

int galloc_uv_install(void) {
    uv_free_func free_fn = galloc_libc_free;
#if !defined(_WIN32)
    if (uv_version() < FIXED_REALPATH_VERSION)
        free_fn = free_realpath_too;
#endif
    return uv_replace_allocator(galloc_libc_malloc, galloc_libc_realloc,
                                galloc_libc_calloc, free_fn);
}
