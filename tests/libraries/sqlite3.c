/*
 * sqlite3.c - galloc_sqlite3_install() routes SQLite's allocations through
 * the global allocator: an in-memory database, 10,000 inserts in a
 * transaction, an index, a query, close and sqlite3_shutdown().
 */
#include "libraries/global.h"

#include <galloc/sqlite3.h>

#include <stdio.h>

#include <sqlite3.h>

static void exec(sqlite3 *db, const char *sql) {
    char *error = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &error);
    if (rc != SQLITE_OK)
        fail_msg("%s: %s", sql, error != NULL ? error : sqlite3_errstr(rc));
}

static void a_database_allocates_through_the_global_allocator(void **state) {
    (void)state;
    library_global_is_installed();
    library_global_counts before = library_global_start();
    assert_int_equal(galloc_sqlite3_install(), SQLITE_OK);

    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
    exec(db, "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, value REAL)");
    exec(db, "BEGIN");
    sqlite3_stmt *insert = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, "INSERT INTO t (name, value) VALUES (?, ?)", -1,
                                        &insert, NULL),
                     SQLITE_OK);
    for (int i = 0; i < 10000; i++) {
        char name[32];
        snprintf(name, sizeof name, "row %d", i);
        sqlite3_bind_text(insert, 1, name, -1, SQLITE_TRANSIENT);
        sqlite3_bind_double(insert, 2, i * 0.5);
        assert_int_equal(sqlite3_step(insert), SQLITE_DONE);
        sqlite3_reset(insert);
    }
    sqlite3_finalize(insert);
    exec(db, "COMMIT");
    exec(db, "CREATE INDEX t_value ON t (value)");

    /* SQLite's accounting goes through xSize: it is nonzero while the
     * database is open. */
    assert_true(sqlite3_memory_used() > 0);

    sqlite3_stmt *query = NULL;
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT count(*), sum(value) FROM t "
                                        "WHERE value >= 1000 AND name LIKE 'row %'",
                                        -1, &query, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(query), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(query, 0), 8000); /* ids 2000..9999 */
    /* 0.5 * (2000 + ... + 9999) */
    assert_true(sqlite3_column_double(query, 1) == 0.5 * (2000.0 + 9999.0) * 8000 / 2);
    sqlite3_finalize(query);
    assert_int_equal(sqlite3_close(db), SQLITE_OK);
    assert_int_equal(sqlite3_shutdown(), SQLITE_OK);

    /* How many depends on SQLite's build options: Debian's libsqlite3 makes
     * some 30,000 allocations here, the amalgamation built with SQLite's
     * defaults for Windows and musl (scripts/deps.sh) some 400, as its page
     * cache and lookaside take memory in bulk. */
    library_global_check(before, 100, "SQLite");
}

/* SQLite's rule: the methods can only be changed while it is not
 * initialised. */
static void installing_after_initialisation_is_refused(void **state) {
    (void)state;
    assert_int_equal(sqlite3_initialize(), SQLITE_OK);
    assert_int_equal(galloc_sqlite3_install(), SQLITE_MISUSE);
    assert_int_equal(sqlite3_shutdown(), SQLITE_OK);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_database_allocates_through_the_global_allocator),
        cmocka_unit_test(installing_after_initialisation_is_refused),
    };
    return cmocka_run_group_tests_name("SQLite adapter", tests, NULL, NULL);
}
