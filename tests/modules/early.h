/*
 * early.h - a library linked at load time whose initialisation allocates
 * through galloc: in DllMain(DLL_PROCESS_ATTACH) on Windows, in a
 * constructor on ELF systems.  Both run before the executable's main(), and
 * before the executable's own constructors.  It embeds galloc statically.
 */
#ifndef GALLOC_TEST_EARLY_H
#define GALLOC_TEST_EARLY_H

#include <stddef.h>

#if defined(_WIN32)
#if defined(EARLY_BUILDING)
#define EARLY_API __declspec(dllexport)
#else
#define EARLY_API __declspec(dllimport)
#endif
#else
#define EARLY_API __attribute__((visibility("default")))
#endif

/* The block allocated during initialisation ({early_size, 16}), or NULL. */
EARLY_API void *early_block(void);
/* The name of galloc_global() as seen during initialisation. */
EARLY_API const char *early_global_name(void);
/* Releases the block through the library's galloc. */
EARLY_API void early_release(void);

#define EARLY_BLOCK_SIZE 48

#endif
