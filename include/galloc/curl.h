/*
 * galloc/curl.h - the libcurl adapter: libcurl's own allocations go through
 * galloc's global allocator.  Link galloc::curl (CMake), which brings
 * libcurl and galloc.
 */
#ifndef GALLOC_CURL_H
#define GALLOC_CURL_H

#include <galloc.h>

#include <curl/curl.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * curl_global_init(flags), with galloc's allocation functions given to
 * curl_global_init_mem(): malloc, free, realloc, calloc and strdup over the
 * libc-shaped functions of galloc.h (libcurl frees without a size, so each
 * block carries a 16-byte header).
 *
 * libcurl's rule: call it instead of curl_global_init(), once, before any
 * other libcurl call and before other threads run; curl_global_cleanup()
 * as usual at the end.  Not routed: the libraries libcurl uses (its TLS
 * library, nghttp2, libidn2, zlib...), which allocate with their own
 * functions; for OpenSSL, galloc_openssl_install() (galloc/openssl.h) first.
 *
 * @return CURLE_OK, or libcurl's error code.
 */
CURLcode galloc_curl_global_init(long flags);

#ifdef __cplusplus
}
#endif

#endif /* GALLOC_CURL_H */
