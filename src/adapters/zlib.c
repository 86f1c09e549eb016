/*
 * zlib.c - the zlib adapter.  zlib asks for items * size bytes and frees
 * without a size: galloc's libc-shaped functions.
 */
#include <galloc/zlib.h>

#include <stdint.h>

/* zlib's default zcalloc does not zero either (deflate and inflate
 * initialise what they read); the product is checked, as calloc would. */
static voidpf zlib_alloc(voidpf opaque, uInt items, uInt size) {
    (void)opaque;
    if (size != 0 && items > SIZE_MAX / size)
        return Z_NULL;
    return galloc_libc_malloc((size_t)items * size);
}

static void zlib_free(voidpf opaque, voidpf ptr) {
    (void)opaque;
    galloc_libc_free(ptr);
}

void galloc_zlib_use(z_stream *strm) {
    strm->zalloc = zlib_alloc;
    strm->zfree = zlib_free;
    strm->opaque = Z_NULL;
}
