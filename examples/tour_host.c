/*
 * tour_host.c - the host of `make demo`'s tour, built three times from this
 * one source:
 *   example_tour_system    nothing chosen: the plugin uses the System allocator;
 *   example_tour_counting  one line, GALLOC_GLOBAL_ALLOCATOR(counter): every
 *                          allocation the plugin makes is counted here;
 *   example_tour_mimalloc  no line at all: linked with galloc::mimalloc_global,
 *                          mimalloc becomes the global allocator.
 * The plugin is loaded at run time with libuv (uv_dlopen), like any plugin.
 *
 * usage: example_tour_* PLUGIN_PATH
 */
#include <galloc.h>

#include <stdio.h>
#include <string.h>

#include <uv.h>

#if defined(TOUR_COUNTING)
/* A counting allocator that forwards to the System allocator. */
static unsigned long counted[3]; /* allocs, reallocs, deallocs */

static void *count_alloc(const galloc_allocator *self, galloc_layout layout) {
    (void)self;
    counted[0]++;
    printf("  host counter: alloc %zu bytes, align %zu\n", layout.size, layout.align);
    return galloc_allocator_alloc(&galloc_system, layout);
}

static void *count_realloc(const galloc_allocator *self, void *ptr, galloc_layout layout,
                           size_t new_size) {
    (void)self;
    counted[1]++;
    printf("  host counter: realloc %zu -> %zu bytes\n", layout.size, new_size);
    return galloc_allocator_realloc(&galloc_system, ptr, layout, new_size);
}

static void count_dealloc(const galloc_allocator *self, void *ptr, galloc_layout layout) {
    (void)self;
    counted[2]++;
    galloc_allocator_dealloc(&galloc_system, ptr, layout);
}

static const galloc_allocator counter = {count_alloc, count_dealloc, NULL, count_realloc,
                                         "host counter"};
GALLOC_GLOBAL_ALLOCATOR(counter); /* the one line */
#endif

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s PLUGIN\n", argv[0]);
        return 2;
    }
    printf("  host: galloc_global() is \"%s\"; loading the plugin\n", galloc_global()->name);
    uv_lib_t lib;
    if (uv_dlopen(argv[1], &lib) != 0) {
        fprintf(stderr, "  host: %s\n", uv_dlerror(&lib));
        return 1;
    }
    void *symbol;
    if (uv_dlsym(&lib, "tour_plugin_run", &symbol) != 0) {
        fprintf(stderr, "  host: %s\n", uv_dlerror(&lib));
        return 1;
    }
    int (*run)(void);
    memcpy(&run, &symbol, sizeof run);
    int rc = run();
#if defined(TOUR_COUNTING)
    printf("  host counter: the plugin's %lu allocs (incl. zeroed), %lu reallocs and %lu "
           "deallocs all came here\n",
           counted[0], counted[1], counted[2]);
#endif
    return rc;
}
