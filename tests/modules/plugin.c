/*
 * plugin.c - a library whose every function goes through galloc's global
 * front end: its own static copy when built as a plugin (rows M4, M5, M6),
 * the shared galloc when built as the peer library of row M3.  Which
 * allocator that reaches depends on the host.
 *
 * Built with PLUGIN_WRONG_OVERRIDE (row M9), the plugin also writes
 * GALLOC_GLOBAL_ALLOCATOR, which a library must not do: galloc must ignore
 * it, however the plugin's reference to the symbol is bound.
 */
#include "plugin.h"

#include "galloc.h"

#if defined(PLUGIN_WRONG_OVERRIDE)
#include "refusing_allocator.h"

static const galloc_allocator plugin_allocator = REFUSING_ALLOCATOR("plugin override");
GALLOC_GLOBAL_ALLOCATOR(plugin_allocator);
#endif

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
