/*
 * galloc/libxml2.h - the libxml2 adapter: libxml2's allocations go through
 * galloc's global allocator.  Link galloc::libxml2 (CMake), which brings
 * libxml2 and galloc.
 */
#ifndef GALLOC_LIBXML2_H
#define GALLOC_LIBXML2_H

#include <galloc.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Gives libxml2 galloc's allocation functions with xmlMemSetup(): free,
 * malloc (also used for xmlMallocAtomic), realloc and strdup over the
 * libc-shaped functions of galloc.h (libxml2 frees without a size, so
 * each block carries a 16-byte header).
 *
 * libxml2's rule: call it before any other libxml2 function, first thing
 * in main(); memory libxml2 allocated before would be freed by the wrong
 * allocator.  Release what libxml2 keeps for the process with
 * xmlCleanupParser() at the end.  Memory a program gets from libxml2
 * (xmlDocDumpMemory's buffer, xmlGetProp's string) is freed with xmlFree,
 * which is then galloc's.  Not routed: the libraries libxml2 uses (zlib,
 * liblzma, ICU), which allocate with their own functions.
 *
 * @return 0, or -1 if libxml2 refused (as xmlMemSetup returns).
 */
int galloc_libxml2_install(void);

#ifdef __cplusplus
}
#endif

#endif /* GALLOC_LIBXML2_H */
