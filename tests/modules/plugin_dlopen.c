/*
 * plugin_dlopen.c - plugin_load_bound(): plugin_load() with dlopen itself,
 * so that a test chooses how the plugin's symbols are bound (row M9 opens
 * a plugin with RTLD_DEEPBIND, which uv_dlopen cannot pass).  ELF only.
 */
#define _GNU_SOURCE /* RTLD_DEEPBIND is a GNU extension */

#include "plugin.h"

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

static int flags_of(const char *binding) {
    if (strcmp(binding, "normal") == 0)
        return RTLD_NOW;
#if defined(RTLD_DEEPBIND)
    /* The plugin's own symbols, and its dependencies', come before the
     * executable's when its references are bound. */
    if (strcmp(binding, "deepbind") == 0)
        return RTLD_NOW | RTLD_DEEPBIND;
#endif
    return -1;
}

static void *lookup(void *lib, const char *name) {
    void *symbol = dlsym(lib, name);
    if (symbol == NULL)
        fprintf(stderr, "plugin_load_bound: %s: %s\n", name, dlerror());
    return symbol;
}

int plugin_load_bound(const char *path, const char *binding, plugin_api *api) {
    int flags = flags_of(binding);
    if (flags == -1) {
        fprintf(stderr, "plugin_load_bound: binding %s not supported here\n", binding);
        return -1;
    }
    /* Never closed: the blocks a plugin hands out may outlive any test. */
    void *lib = dlopen(path, flags);
    if (lib == NULL) {
        fprintf(stderr, "plugin_load_bound: %s\n", dlerror());
        return -1;
    }
    return plugin_api_lookup(api, lib, lookup);
}
