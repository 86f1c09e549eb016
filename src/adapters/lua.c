/*
 * lua.c - the Lua adapter.  Lua's allocation function gets the old size of
 * every block it frees or resizes, so each call maps onto galloc's layout
 * calls directly, with no header.
 */
#include <galloc/lua.h>

#include <stdio.h>

/* Lua's blocks hold any type (LUAI_MAXALIGN); 16 covers max_align_t on
 * every platform galloc supports, and is what malloc gives Lua otherwise. */
#define LUA_BLOCK_ALIGN ((size_t)16)

static const galloc_allocator *allocator_of(void *ud) {
    return ud != NULL ? (const galloc_allocator *)ud : galloc_global();
}

void *galloc_lua_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
    const galloc_allocator *allocator = allocator_of(ud);
    if (nsize == 0) {
        if (ptr != NULL) {
            galloc_layout layout = {osize, LUA_BLOCK_ALIGN};
            galloc_allocator_dealloc(allocator, ptr, layout);
        }
        return NULL;
    }
    if (ptr == NULL) {
        /* (osize is then the kind of object Lua is making, not a size.) */
        galloc_layout layout = {nsize, LUA_BLOCK_ALIGN};
        return galloc_allocator_alloc(allocator, layout);
    }
    galloc_layout layout = {osize, LUA_BLOCK_ALIGN};
    return galloc_allocator_realloc(allocator, ptr, layout, nsize);
}

/* As lauxlib's: the error object, if it is a string, on stderr; Lua then
 * aborts. */
static int galloc_lua_panic(lua_State *L) {
    const char *message = lua_tostring(L, -1);
    fprintf(stderr, "PANIC: unprotected error in call to Lua API (%s)\n",
            message != NULL ? message : "error object is not a string");
    fflush(stderr);
    return 0;
}

lua_State *galloc_lua_newstate(void) {
    lua_State *L = lua_newstate(galloc_lua_alloc, NULL);
    if (L != NULL)
        lua_atpanic(L, galloc_lua_panic);
    return L;
}
