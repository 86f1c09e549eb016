/*
 * lua.c - galloc_lua_newstate() makes a Lua state that allocates through
 * the global allocator, with Lua's own sizes as exact layouts: a script
 * builds and drops large tables and strings, a full collection runs, and
 * lua_close() frees the rest.  Under the checked allocator, any size Lua
 * passes that is not the block's own would be reported as a layout
 * mismatch; and so would a checked allocator given to a state as its own.
 */
#include "libraries/global.h"

#include <galloc/checked.h>
#include <galloc/lua.h>

#include <stdlib.h>

#include <lauxlib.h>
#include <lualib.h>

static const char script[] =
    "local kept = {}\n"
    "for round = 1, ROUNDS do\n"
    "  local t = {}\n"
    "  for i = 1, 20000 do t[i] = { i, tostring(i) .. ':' .. round } end\n"
    "  local parts = {}\n"
    "  for i = 1, 2000 do parts[i] = string.rep('x', i % 97) end\n"
    "  kept[round % 3] = table.concat(parts, ',')\n"
    "  t = nil\n"
    "end\n"
    "collectgarbage('collect')\n"
    "local total = 0\n"
    "for _, s in pairs(kept) do total = total + #s end\n"
    "return total\n";

/* 20 rounds, some 1.6 million allocations; 2 under Valgrind (make
 * check-valgrind sets GALLOC_VALGRIND), where the checked build's 20 take
 * four minutes. */
static void run_script(lua_State *L) {
    luaL_openlibs(L);
    lua_pushinteger(L, getenv("GALLOC_VALGRIND") != NULL ? 2 : 20);
    lua_setglobal(L, "ROUNDS");
    if (luaL_dostring(L, script) != LUA_OK)
        fail_msg("Lua: %s", lua_tostring(L, -1));
    assert_true(lua_tointeger(L, -1) > 0);
    lua_pop(L, 1);
    lua_gc(L, LUA_GCCOLLECT, 0);
}

static void a_state_allocates_through_the_global_allocator(void **state) {
    (void)state;
    library_global_is_installed();
    library_global_counts before = library_global_start();
    lua_State *L = galloc_lua_newstate();
    assert_non_null(L);
    run_script(L);
    lua_close(L);
    library_global_check(before, 10000, "Lua");
}

/* A state over an explicit allocator (ud): a checked allocator of its own,
 * which reports any free or resize whose size is not the block's - Lua's
 * own sizes are the layouts, with no header.  Nothing goes to the global
 * allocator. */
static void a_state_over_any_allocator_gets_lua_s_own_sizes(void **state) {
    (void)state;
    static galloc_checked own = GALLOC_CHECKED_INIT(NULL, "Lua's own");
    library_global_counts before = library_global_start();
    lua_State *L = lua_newstate(galloc_lua_alloc, (void *)&own.allocator);
    assert_non_null(L);
    run_script(L);
    lua_close(L);
    galloc_checked_stats stats = galloc_checked_get_stats(&own);
    assert_true(stats.allocs > 10000);
    assert_true(stats.reallocs > 10); /* tables and buffers grown */
    assert_int_equal(stats.problems, 0);
    assert_int_equal(stats.live_blocks, 0);
    library_global_check(before, 0, "Lua over its own allocator");
    assert_int_equal(library_global_start().allocations, before.allocations);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_state_allocates_through_the_global_allocator),
        cmocka_unit_test(a_state_over_any_allocator_gets_lua_s_own_sizes),
    };
    return cmocka_run_group_tests_name("Lua adapter", tests, NULL, NULL);
}
