/*
 * libraries.c - one global allocator for the C libraries a program already
 * uses: SQLite, zlib and libuv each get galloc's functions through their
 * own hook (galloc/sqlite3.h, galloc/zlib.h, galloc/uv.h), and every block
 * any of them allocates lands in this program's one counting allocator.
 * (`make demo` runs it.)
 */
#include <galloc.h>
#include <galloc/sqlite3.h>
#include <galloc/uv.h>
#include <galloc/zlib.h>

#include <stdio.h>
#include <string.h>

#include <sqlite3.h>
#include <uv.h>
#include <zlib.h>

/* The program's global allocator: counts what reaches it, per library
 * (which library is working is set around each one's work), and forwards
 * to the System allocator. */
enum { SQLITE, ZLIB, LIBUV, LIBRARIES };
static const char *const names[LIBRARIES] = {"SQLite", "zlib", "libuv"};
static long allocations[LIBRARIES], live[LIBRARIES], peak_bytes[LIBRARIES], bytes[LIBRARIES];
static int working;

static void note(long blocks, long size) {
    live[working] += blocks;
    bytes[working] += size;
    if (bytes[working] > peak_bytes[working])
        peak_bytes[working] = bytes[working];
}

/* A new block of layout's size, if the System allocator gave one. */
static void *counted(void *block, galloc_layout layout) {
    if (block != NULL) {
        allocations[working]++;
        note(1, (long)layout.size);
    }
    return block;
}

static void *count_alloc(const galloc_allocator *self, galloc_layout layout) {
    (void)self;
    return counted(galloc_allocator_alloc(&galloc_system, layout), layout);
}

static void *count_alloc_zeroed(const galloc_allocator *self, galloc_layout layout) {
    (void)self;
    return counted(galloc_allocator_alloc_zeroed(&galloc_system, layout), layout);
}

static void count_dealloc(const galloc_allocator *self, void *ptr, galloc_layout layout) {
    (void)self;
    note(-1, -(long)layout.size);
    galloc_allocator_dealloc(&galloc_system, ptr, layout);
}

static void *count_realloc(const galloc_allocator *self, void *ptr, galloc_layout layout,
                           size_t new_size) {
    (void)self;
    void *p = galloc_allocator_realloc(&galloc_system, ptr, layout, new_size);
    if (p != NULL) {
        allocations[working]++;
        note(0, (long)new_size - (long)layout.size);
    }
    return p;
}

static const galloc_allocator counter = {count_alloc, count_dealloc, count_alloc_zeroed,
                                         count_realloc, "counter"};
GALLOC_GLOBAL_ALLOCATOR(counter);

static int sqlite_work(void) {
    sqlite3 *db;
    if (sqlite3_open(":memory:", &db) != SQLITE_OK)
        return 1;
    int rc = sqlite3_exec(db,
                          "CREATE TABLE t (x);"
                          "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
                          "WHERE i < 1000) INSERT INTO t SELECT i FROM n;",
                          NULL, NULL, NULL);
    sqlite3_close(db);
    sqlite3_shutdown();
    return rc != SQLITE_OK;
}

static int zlib_work(void) {
    static unsigned char data[1 << 20], packed[(1 << 20) + 1024];
    memset(data, 'g', sizeof data);
    z_stream z;
    memset(&z, 0, sizeof z);
    galloc_zlib_use(&z);
    if (deflateInit(&z, Z_BEST_COMPRESSION) != Z_OK)
        return 1;
    z.next_in = data;
    z.avail_in = sizeof data;
    z.next_out = packed;
    z.avail_out = sizeof packed;
    int rc = deflate(&z, Z_FINISH);
    deflateEnd(&z);
    return rc != Z_STREAM_END;
}

static void on_timer(uv_timer_t *timer) {
    uv_close((uv_handle_t *)timer, NULL);
}

static int uv_work(void) {
    uv_loop_t *loop = uv_loop_new(); /* allocated by libuv: through galloc */
    uv_timer_t timer;
    if (loop == NULL || uv_timer_init(loop, &timer) != 0)
        return 1;
    uv_timer_start(&timer, on_timer, 1, 0);
    uv_run(loop, UV_RUN_DEFAULT);
    uv_loop_delete(loop);
    return 0;
}

int main(void) {
    /* Each library's rule: its hook before its first use. */
    if (galloc_sqlite3_install() != SQLITE_OK || galloc_uv_install() != 0) {
        fprintf(stderr, "libraries: a library refused galloc's functions\n");
        return 1;
    }
    int failed = 0;
    working = SQLITE;
    failed |= sqlite_work();
    working = ZLIB;
    failed |= zlib_work();
    working = LIBUV;
    failed |= uv_work();
    if (failed) {
        fprintf(stderr, "libraries: the work failed\n");
        return 1;
    }
    printf("  %-8s %12s %14s %12s\n", "library", "allocations", "peak bytes", "live after");
    for (int i = 0; i < LIBRARIES; i++)
        printf("  %-8s %12ld %14ld %12ld\n", names[i], allocations[i], peak_bytes[i], live[i]);
    printf("  every block of all three went through one counting allocator, and was freed\n");
    for (int i = 0; i < LIBRARIES; i++)
        if (allocations[i] == 0 || live[i] != 0)
            return 1;
    return 0;
}
