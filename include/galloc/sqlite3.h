/*
 * galloc/sqlite3.h - the SQLite adapter: SQLite's own allocations go
 * through galloc's global allocator.  Link galloc::sqlite3 (CMake), which
 * brings SQLite and galloc.
 */
#ifndef GALLOC_SQLITE3_H
#define GALLOC_SQLITE3_H

#include <galloc.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Gives SQLite galloc's allocation functions, with
 * sqlite3_config(SQLITE_CONFIG_MALLOC, ...): xMalloc, xRealloc and xFree
 * are the libc-shaped functions of galloc.h (a 16-byte header per block
 * keeps its size, as SQLite frees without one), xSize is
 * galloc_libc_usable_size, xRoundup rounds to 8 bytes as SQLite's own does.
 *
 * SQLite's rule: sqlite3_config() works only before sqlite3_initialize()
 * (which the first sqlite3_open() calls) or after sqlite3_shutdown().  Call
 * it first thing in main(), or between a shutdown and the next
 * initialisation.  Memory SQLite allocated before is its own business: it
 * freed all of it in sqlite3_shutdown().  Not routed: memory that SQLite's
 * memory methods never see (SQLITE_CONFIG_PAGECACHE / SQLITE_CONFIG_HEAP
 * buffers the program hands it, and the OS layer's own buffers).
 *
 * @return SQLITE_OK, or SQLite's error code (SQLITE_MISUSE once SQLite is
 *         initialised).
 */
int galloc_sqlite3_install(void);

#ifdef __cplusplus
}
#endif

#endif /* GALLOC_SQLITE3_H */
