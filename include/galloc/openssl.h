/*
 * galloc/openssl.h - the OpenSSL adapter: libcrypto's and libssl's
 * allocations go through galloc's global allocator.  Link galloc::openssl
 * (CMake), which brings libcrypto and galloc.
 */
#ifndef GALLOC_OPENSSL_H
#define GALLOC_OPENSSL_H

#include <galloc.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Gives OpenSSL galloc's allocation functions with
 * CRYPTO_set_mem_functions() (the libc-shaped functions of galloc.h: OpenSSL
 * frees without a size, so each block carries a 16-byte header).
 *
 * OpenSSL's rule: this works only before OpenSSL has allocated anything,
 * since a block it allocated with malloc() must not reach galloc's free.
 * Call it first thing in main(), before any other OpenSSL call, including
 * in libraries that use OpenSSL (libcurl, for one).  Memory OpenSSL keeps
 * for the whole process (its error tables, providers, name maps) is
 * returned by OPENSSL_cleanup(), which OpenSSL also runs at exit.  Not
 * routed: memory from engines or providers loaded as separate modules that
 * call the C library themselves, and OPENSSL_secure_malloc()'s arena.
 *
 * @return 1 on success; 0 if OpenSSL has already allocated (as
 *         CRYPTO_set_mem_functions returns).
 */
int galloc_openssl_install(void);

#ifdef __cplusplus
}
#endif

#endif /* GALLOC_OPENSSL_H */
