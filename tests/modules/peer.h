/*
 * peer.h - a shared library that uses galloc, standing for "some other
 * library in the process".  It allocates through galloc's global front end.
 */
#ifndef GALLOC_TEST_PEER_H
#define GALLOC_TEST_PEER_H

#include <stddef.h>

#if defined(_WIN32)
#if defined(PEER_BUILDING)
#define PEER_API __declspec(dllexport)
#else
#define PEER_API __declspec(dllimport)
#endif
#else
#define PEER_API __attribute__((visibility("default")))
#endif

/* galloc_alloc of {size, align}, made inside the library. */
PEER_API void *peer_alloc(size_t size, size_t align);
/* galloc_realloc, made inside the library. */
PEER_API void *peer_realloc(void *ptr, size_t size, size_t align, size_t new_size);
/* galloc_dealloc, made inside the library. */
PEER_API void peer_dealloc(void *ptr, size_t size, size_t align);
/* galloc_global() as the library sees it. */
PEER_API const void *peer_global(void);

#endif
