/*
 * cxx_plugin.h - the C interface of tests/modules/cxx_plugin.cpp, a C++
 * plugin that embeds the static galloc and galloc::new_delete (rows M4 and
 * M5 for C++).  Hosts are C and find the functions at run time.
 */
#ifndef GALLOC_TEST_CXX_PLUGIN_H
#define GALLOC_TEST_CXX_PLUGIN_H

#include <stddef.h>
#include <string.h>

#include "modules/plugin.h" /* PLUGIN_API, plugin_open, plugin_symbol */

typedef struct cxx_plugin_api {
    /* The name of the plugin's galloc_global(). */
    const char *(*global_name)(void);
    /* `new unsigned char[size]` (align <= the default new alignment) or
     * operator new(size, align_val_t(align)), filled with `fill`. */
    void *(*new_block)(size_t size, size_t align, int fill);
    /* The matching delete[] / sized aligned operator delete. */
    void (*delete_block)(void *ptr, size_t size, size_t align);
    /* std::vector, std::string, std::map, std::make_shared and new of an
     * alignas(64) type and arrays of it, used and released inside the
     * plugin; 0 if every value and alignment was right. */
    int (*containers)(void);
} cxx_plugin_api;

/* Loads the plugin at `path` and fills *api; 0, or -1 with a message. */
static inline int cxx_plugin_load(const char *path, cxx_plugin_api *api) {
    static const char *const names[] = {"cxx_plugin_global_name", "cxx_plugin_new",
                                        "cxx_plugin_delete", "cxx_plugin_containers"};
    void *lib = plugin_open(path);
    void *symbols[4];
    if (lib == NULL)
        return -1;
    for (int i = 0; i < 4; i++)
        if ((symbols[i] = plugin_symbol(lib, names[i])) == NULL)
            return -1;
    /* (memcpy: ISO C has no cast from object to function pointer) */
    memcpy(&api->global_name, &symbols[0], sizeof api->global_name);
    memcpy(&api->new_block, &symbols[1], sizeof api->new_block);
    memcpy(&api->delete_block, &symbols[2], sizeof api->delete_block);
    memcpy(&api->containers, &symbols[3], sizeof api->containers);
    return 0;
}

#endif
