/*
 * plugin.c - a plugin that embeds galloc statically (linked with
 * galloc::galloc_static), loaded at run time.  Every function goes through
 * this plugin's own copy of galloc's global front end; which allocator that
 * reaches depends on the host (DESIGN.md rows M4, M5, M6).
 */
#include "plugin.h"

#include "galloc.h"

PLUGIN_API void *plugin_alloc(size_t size, size_t align);
PLUGIN_API void *plugin_alloc_zeroed(size_t size, size_t align);
PLUGIN_API void *plugin_realloc(void *ptr, size_t size, size_t align, size_t new_size);
PLUGIN_API void plugin_dealloc(void *ptr, size_t size, size_t align);
PLUGIN_API const char *plugin_global_name(void);
PLUGIN_API int plugin_global_is_system(void);

void *plugin_alloc(size_t size, size_t align) {
    galloc_layout layout = {size, align};
    return galloc_alloc(layout);
}

void *plugin_alloc_zeroed(size_t size, size_t align) {
    galloc_layout layout = {size, align};
    return galloc_alloc_zeroed(layout);
}

void *plugin_realloc(void *ptr, size_t size, size_t align, size_t new_size) {
    galloc_layout layout = {size, align};
    return galloc_realloc(ptr, layout, new_size);
}

void plugin_dealloc(void *ptr, size_t size, size_t align) {
    galloc_layout layout = {size, align};
    galloc_dealloc(ptr, layout);
}

const char *plugin_global_name(void) {
    return galloc_global()->name;
}

int plugin_global_is_system(void) {
    return galloc_global() == &galloc_system;
}
