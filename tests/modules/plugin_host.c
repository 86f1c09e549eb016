/*
 * plugin_host.c - plugin_load(): uv_dlopen + uv_dlsym, so the same host
 * source loads a .so on Linux and a .dll on Windows.
 */
#include "plugin.h"

#include <stdio.h>
#include <string.h>

#include <uv.h>

static int lookup(uv_lib_t *lib, const char *name, void **out) {
    if (uv_dlsym(lib, name, out) != 0) {
        fprintf(stderr, "plugin_load: %s: %s\n", name, uv_dlerror(lib));
        return -1;
    }
    return 0;
}

int plugin_load(const char *path, plugin_api *api) {
    /* Never closed: the blocks a plugin hands out may outlive any test. */
    static uv_lib_t libs[8];
    static int loaded;
    if (loaded == 8)
        return -1;
    uv_lib_t *lib = &libs[loaded];
    if (uv_dlopen(path, lib) != 0) {
        fprintf(stderr, "plugin_load: %s: %s\n", path, uv_dlerror(lib));
        return -1;
    }
    loaded++;
    /* Object and function pointers have the same size on every platform
     * galloc supports; memcpy keeps ISO C's pedantic warnings quiet. */
    static const char *const names[] = {"plugin_alloc", "plugin_alloc_zeroed",
                                        "plugin_realloc", "plugin_dealloc",
                                        "plugin_global_name",
                                        "plugin_global_is_system"};
    void *symbols[6];
    for (int i = 0; i < 6; i++)
        if (lookup(lib, names[i], &symbols[i]) != 0)
            return -1;
    memcpy(&api->alloc, &symbols[0], sizeof api->alloc);
    memcpy(&api->alloc_zeroed, &symbols[1], sizeof api->alloc_zeroed);
    memcpy(&api->realloc, &symbols[2], sizeof api->realloc);
    memcpy(&api->dealloc, &symbols[3], sizeof api->dealloc);
    memcpy(&api->global_name, &symbols[4], sizeof api->global_name);
    memcpy(&api->global_is_system, &symbols[5], sizeof api->global_is_system);
    return 0;
}
