/*
 * plugin_round_trip.h - one round trip through a loaded plugin, for the
 * hosts of the linking matrix (include it after support/testing.h).
 */
#ifndef GALLOC_TEST_PLUGIN_ROUND_TRIP_H
#define GALLOC_TEST_PLUGIN_ROUND_TRIP_H

#include "modules/plugin.h"

/* Through the plugin: a small block allocated, filled and grown by realloc,
 * and a zeroed block aligned to 256; each checked.  Then the host releases
 * the first with its own galloc_dealloc and the plugin the second: blocks
 * cross modules freely when both use the same global allocator.  That is
 * 1 alloc, 1 zeroed alloc, 1 realloc and 2 deallocs of the global
 * allocator. */
static inline void plugin_round_trip(const plugin_api *plugin, unsigned seed) {
    unsigned char *small = plugin->alloc(40, 8);
    unsigned char *big = plugin->alloc_zeroed(3000, 256);
    assert_non_null(small); /* (a wrongly installed override refuses) */
    assert_non_null(big);
    assert_true(is_aligned(big, 256));
    assert_true(is_all_zero(big, 3000));
    fill_pattern(small, 40, seed);
    small = plugin->realloc(small, 40, 8, 4000);
    assert_non_null(small);
    assert_true(has_pattern(small, 40, seed));
    galloc_dealloc(small, layout_of(4000, 8));
    plugin->dealloc(big, 3000, 256);
}

#endif
