/* plugin.c - a plugin built against the installed galloc: one allocation
 * and one deallocation, and the name of the global allocator it saw. */
#include <galloc.h>

__attribute__((visibility("default"))) const char *plugin_round_trip(void);

const char *plugin_round_trip(void) {
    galloc_layout layout = {256, 32};
    void *p = galloc_alloc(layout);
    galloc_dealloc(p, layout);
    return p != NULL ? galloc_global()->name : "allocation failed";
}
