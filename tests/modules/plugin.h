/*
 * plugin.h - the interface of tests/modules/plugin.c, a plugin that embeds
 * galloc statically and is loaded at run time with uv_dlopen.  Hosts look the
 * functions up with uv_dlsym (plugin_load below), so one host source serves
 * Linux and Windows, and hosts need neither galloc nor this plugin at link
 * time.
 */
#ifndef GALLOC_TEST_PLUGIN_H
#define GALLOC_TEST_PLUGIN_H

#include <stddef.h>

#if defined(_WIN32)
#define PLUGIN_API __declspec(dllexport)
#else
#define PLUGIN_API __attribute__((visibility("default")))
#endif

/* What a host can call in a loaded plugin. */
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

/* Loads the plugin at `path` (kept loaded until exit) and fills *api.
 * Returns 0, or -1 with a message on stderr.  Defined in plugin_host.c. */
int plugin_load(const char *path, plugin_api *api);

#endif
