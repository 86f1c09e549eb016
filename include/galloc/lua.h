/*
 * galloc/lua.h - the Lua adapter: a Lua state allocates through galloc, with
 * exact layouts.  Link galloc::lua (CMake), which brings Lua 5.4 and galloc.
 */
#ifndef GALLOC_LUA_H
#define GALLOC_LUA_H

#include <galloc.h>

#include <lua.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * A lua_Alloc over a galloc allocator: ud is a `const galloc_allocator *`,
 * or NULL for galloc_global().  Lua passes a block's size on every free and
 * realloc, so every call is an exact layout, {size, 16} (Lua's blocks must
 * suit any type; 16 is max_align_t's alignment on every platform galloc
 * supports), with no header: the allocator sees the sizes Lua itself uses.
 * A failed allocation or resize returns NULL and leaves the block as it
 * was, as Lua requires.
 *
 * Use it with lua_newstate(galloc_lua_alloc, allocator) for another
 * allocator than the global one.  Every block of a state is allocated and
 * freed through the one lua_Alloc the state was made with; only
 * lua_setallocf() changes it, and then the blocks already allocated are
 * freed through the new one, so give it the same allocator.
 */
void *galloc_lua_alloc(void *ud, void *ptr, size_t osize, size_t nsize);

/**
 * A new Lua state allocating through galloc_global(), like luaL_newstate()
 * otherwise: a panic function that prints the error message to stderr.
 * NULL if the state cannot be allocated.
 */
lua_State *galloc_lua_newstate(void);

#ifdef __cplusplus
}
#endif

#endif /* GALLOC_LUA_H */
