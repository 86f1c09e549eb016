/*
 * plugin.h - the interface of tests/modules/plugin.c, a library that
 * allocates through galloc's global front end.  Built two ways:
 *   - as a plugin embedding galloc statically, loaded at run time with
 *     uv_dlopen; hosts look the functions up with uv_dlsym (plugin_load
 *     below), so one host source serves Linux and Windows and needs neither
 *     galloc nor the plugin at link time;
 *   - as an ordinary shared library using the shared galloc (the "peer" of
 *     row M3), linked at load time and called directly.
 */
#ifndef GALLOC_TEST_PLUGIN_H
#define GALLOC_TEST_PLUGIN_H

#include <stddef.h>
#include <string.h>

#if defined(_WIN32)
#if defined(PLUGIN_BUILDING)
#define PLUGIN_API __declspec(dllexport)
#else
#define PLUGIN_API __declspec(dllimport)
#endif
#else
#define PLUGIN_API __attribute__((visibility("default")))
#endif

/* The library's functions, for hosts that link it (M3). */
PLUGIN_API void *plugin_alloc(size_t size, size_t align);
PLUGIN_API void *plugin_alloc_zeroed(size_t size, size_t align);
PLUGIN_API void *plugin_realloc(void *ptr, size_t size, size_t align, size_t new_size);
PLUGIN_API void plugin_dealloc(void *ptr, size_t size, size_t align);
PLUGIN_API const char *plugin_global_name(void);
PLUGIN_API int plugin_global_is_system(void);

/* The same functions, found at run time in a loaded plugin. */
typedef struct plugin_api {
    void *(*alloc)(size_t size, size_t align);
    void *(*alloc_zeroed)(size_t size, size_t align);
    void *(*realloc)(void *ptr, size_t size, size_t align, size_t new_size);
    void (*dealloc)(void *ptr, size_t size, size_t align);
    /* The name of the plugin's galloc_global(). */
    const char *(*global_name)(void);
    /* 1 if the plugin's galloc_global() is its own galloc_system. */
    int (*global_is_system)(void);
} plugin_api;

/* Fills *api with the plugin's functions, each found by lookup(lib, name)
 * (NULL: not found; the lookup says why on stderr).  Returns 0, or -1.
 * For the loaders below, which differ only in how they open and look up;
 * object and function pointers have the same size on every platform
 * galloc supports, and memcpy keeps ISO C's pedantic warnings quiet. */
typedef void *(*plugin_lookup_fn)(void *lib, const char *name);

static inline int plugin_api_lookup(plugin_api *api, void *lib, plugin_lookup_fn lookup) {
    static const char *const names[] = {"plugin_alloc",       "plugin_alloc_zeroed",
                                        "plugin_realloc",     "plugin_dealloc",
                                        "plugin_global_name", "plugin_global_is_system"};
    void *symbols[6];
    for (int i = 0; i < 6; i++)
        if ((symbols[i] = lookup(lib, names[i])) == NULL)
            return -1;
    memcpy(&api->alloc, &symbols[0], sizeof api->alloc);
    memcpy(&api->alloc_zeroed, &symbols[1], sizeof api->alloc_zeroed);
    memcpy(&api->realloc, &symbols[2], sizeof api->realloc);
    memcpy(&api->dealloc, &symbols[3], sizeof api->dealloc);
    memcpy(&api->global_name, &symbols[4], sizeof api->global_name);
    memcpy(&api->global_is_system, &symbols[5], sizeof api->global_is_system);
    return 0;
}

/* Loads the plugin at `path` (kept loaded until exit) and fills *api.
 * Returns 0, or -1 with a message on stderr.  Defined in plugin_host.c. */
int plugin_load(const char *path, plugin_api *api);

/* What plugin_load is made of, for plugins with other functions
 * (modules/cxx_plugin.h): opens the plugin at `path` (kept loaded until
 * exit), and looks a symbol up in it; each NULL with a message on stderr
 * on failure.  Defined in plugin_host.c. */
void *plugin_open(const char *path);
void *plugin_symbol(void *lib, const char *name);

#if !defined(_WIN32)
/* The same with dlopen itself, for the ELF tests of row M9, which need a
 * binding uv_dlopen cannot ask for: `binding` "deepbind" opens the plugin
 * with RTLD_NOW | RTLD_DEEPBIND, "normal" with RTLD_NOW.  Returns 0, or -1
 * with a message on stderr.  Defined in plugin_dlopen.c. */
int plugin_load_bound(const char *path, const char *binding, plugin_api *api);
#endif

#endif
