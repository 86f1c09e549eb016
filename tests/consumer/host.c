/*
 * host.c - an out-of-tree user of the *installed* galloc: an executable with
 * an override that loads a plugin (plugin.c) at run time with dlopen, and
 * checks that the plugin's allocations reached the override.
 *
 * usage: host PLUGIN_PATH
 */
#include <galloc.h>

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

static long calls;

static void *count_alloc(const galloc_allocator *self, galloc_layout layout) {
    (void)self;
    calls++;
    return galloc_allocator_alloc(&galloc_system, layout);
}

static void count_dealloc(const galloc_allocator *self, void *ptr, galloc_layout layout) {
    (void)self;
    calls++;
    galloc_allocator_dealloc(&galloc_system, ptr, layout);
}

static const galloc_allocator counter = {count_alloc, count_dealloc, NULL, NULL,
                                         "consumer counter"};
GALLOC_GLOBAL_ALLOCATOR(counter);

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s PLUGIN\n", argv[0]);
        return 2;
    }
    /* The executable's own allocation. */
    galloc_layout layout = {100, 64};
    void *p = galloc_alloc(layout);
    galloc_dealloc(p, layout);

    /* The plugin's, through its own galloc (static or shared). */
    void *plugin = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (plugin == NULL) {
        fprintf(stderr, "consumer: %s\n", dlerror());
        return 1;
    }
    const char *(*plugin_round_trip)(void);
    void *symbol = dlsym(plugin, "plugin_round_trip");
    if (symbol == NULL) {
        fprintf(stderr, "consumer: %s\n", dlerror());
        return 1;
    }
    memcpy(&plugin_round_trip, &symbol, sizeof symbol);
    const char *seen = plugin_round_trip();

    int ok = p != NULL && calls == 4 && strcmp(seen, "consumer counter") == 0;
    printf("consumer: plugin saw \"%s\"; the override got %ld of 4 calls: %s\n",
           seen, calls, ok ? "ok" : "WRONG");
    return ok ? 0 : 1;
}
