/*
 * plugin_host.c - plugin_load(): uv_dlopen + uv_dlsym, so the same host
 * source loads a .so on Linux and a .dll on Windows.
 */
#include "plugin.h"

#include <stdio.h>
#include <string.h>

#include <uv.h>

void *plugin_symbol(void *lib, const char *name) {
    void *symbol = NULL;
    if (uv_dlsym((uv_lib_t *)lib, name, &symbol) != 0) {
        fprintf(stderr, "plugin_load: %s: %s\n", name, uv_dlerror((uv_lib_t *)lib));
        return NULL;
    }
    return symbol;
}

void *plugin_open(const char *path) {
    /* Never closed: the blocks a plugin hands out may outlive any test. */
    static uv_lib_t libs[8];
    static int loaded;
    if (loaded == 8)
        return NULL;
    uv_lib_t *lib = &libs[loaded];
    if (uv_dlopen(path, lib) != 0) {
        fprintf(stderr, "plugin_load: %s: %s\n", path, uv_dlerror(lib));
        return NULL;
    }
    loaded++;
    return lib;
}

int plugin_load(const char *path, plugin_api *api) {
    void *lib = plugin_open(path);
    return lib != NULL ? plugin_api_lookup(api, lib, plugin_symbol) : -1;
}
