/*
 * sqlite3.c - the SQLite adapter.  SQLite's memory methods are malloc-shaped
 * with sizes as int, and ask for a block's size (xSize): galloc's
 * libc-shaped functions, which keep the size in each block's header.
 */
#include <galloc/sqlite3.h>

#include <sqlite3.h>

/* SQLite never asks for a negative size; if it did, no block fits. */
static void *sqlite_malloc(int size) {
    return size < 0 ? NULL : galloc_libc_malloc((size_t)size);
}

static void sqlite_free(void *ptr) {
    galloc_libc_free(ptr);
}

/* SQLite calls xRealloc with a size above 0 only (sqlite3Realloc frees
 * itself for 0). */
static void *sqlite_realloc(void *ptr, int size) {
    return size <= 0 ? NULL : galloc_libc_realloc(ptr, (size_t)size);
}

/* A block's size is what it was asked with; SQLite's sizes fit an int. */
static int sqlite_size(void *ptr) {
    return (int)galloc_libc_usable_size(ptr);
}

/* What xMalloc(size) gives: SQLite's own methods round up to 8, and so do
 * these, so that SQLite's accounting (sqlite3_memory_used) is the same.
 * The result must not be below size: sizes near INT_MAX stay as they are. */
static int sqlite_roundup(int size) {
    return size > 0 && size <= 0x7ffffff8 ? (size + 7) & ~7 : size;
}

static int sqlite_init(void *app_data) {
    (void)app_data;
    return SQLITE_OK;
}

static void sqlite_shutdown(void *app_data) {
    (void)app_data;
}

int galloc_sqlite3_install(void) {
    static const sqlite3_mem_methods methods = {
        sqlite_malloc, sqlite_free,     sqlite_realloc, sqlite_size,
        sqlite_roundup, sqlite_init,    sqlite_shutdown, NULL,
    };
    /* SQLite copies the methods. */
    return sqlite3_config(SQLITE_CONFIG_MALLOC, &methods);
}
