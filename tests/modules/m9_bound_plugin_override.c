/*
 * m9_bound_plugin_override.c - DESIGN.md row M9 on ELF platforms (issue
 * #11): a plugin embeds galloc statically and wrongly writes
 * GALLOC_GLOBAL_ALLOCATOR (plugin.c built with PLUGIN_WRONG_OVERRIDE), and
 * its reference to the override is bound to that definition of its own
 * instead of the executable's: it is opened with RTLD_DEEPBIND (binding
 * "deepbind"), or linked with -Bsymbolic and opened normally ("normal").
 * This executable has an override, a counting allocator, and only the
 * executable decides: whatever the binding, the plugin's allocations reach
 * the host's override, and so do those of blocks that move between it and
 * a well-behaved plugin (plugin.c as is) loaded before or after it.
 *
 * usage: m9_bound_plugin_override BINDING WRONG_PLUGIN
 *        m9_bound_plugin_override BINDING WRONG_PLUGIN GOOD_PLUGIN wrong-first|good-first
 * Both plugins are opened with BINDING.
 */
#include "modules/plugin.h"
#include "support/counting.h"
#include "support/testing.h"

#include "modules/plugin_round_trip.h"

#include <string.h>

static counting_allocator counting = COUNTING_ALLOCATOR_INIT("host override");
GALLOC_GLOBAL_ALLOCATOR(counting);

static plugin_api wrong, good;
static plugin_api *first, *second; /* in the order they were loaded */

static void the_plugin_reaches_the_host_override(void **state) {
    (void)state;
    assert_string_equal(wrong.global_name(), "host override");
    assert_int_equal(wrong.global_is_system(), 0);

    counting_reset(&counting);
    plugin_round_trip(&wrong, 3);
    assert_counted(&counting, 1, 1, 1, 2);
}

/* Each plugin's galloc is first used in the order they were loaded. */
static void blocks_move_between_the_plugins_through_the_host_override(void **state) {
    (void)state;
    counting_reset(&counting);
    plugin_api *const directions[2][2] = {{first, second}, {second, first}};
    for (unsigned i = 0; i < 2; i++) {
        plugin_api *from = directions[i][0], *to = directions[i][1];
        unsigned char *block = from->alloc(5000, 64);
        assert_non_null(block);
        fill_pattern(block, 5000, i);
        block = to->realloc(block, 5000, 64, 20000);
        assert_non_null(block);
        assert_true(is_aligned(block, 64));
        assert_true(has_pattern(block, 5000, i));
        to->dealloc(block, 20000, 64);

        unsigned char *zeroed = from->alloc_zeroed(100, 16);
        assert_non_null(zeroed);
        assert_true(is_all_zero(zeroed, 100));
        to->dealloc(zeroed, 100, 16);
    }
    assert_string_equal(first->global_name(), "host override");
    assert_string_equal(second->global_name(), "host override");

    assert_counted(&counting, 2, 2, 2, 4);
}

int main(int argc, char **argv) {
    if (argc == 3) {
        if (plugin_load_bound(argv[2], argv[1], &wrong) != 0)
            return 1;
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(the_plugin_reaches_the_host_override),
        };
        return cmocka_run_group_tests_name(argv[1], tests, NULL, NULL);
    }
    if (argc != 5)
        return 2;
    bool wrong_first = strcmp(argv[4], "wrong-first") == 0;
    first = wrong_first ? &wrong : &good;
    second = wrong_first ? &good : &wrong;
    if (plugin_load_bound(argv[wrong_first ? 2 : 3], argv[1], first) != 0 ||
        plugin_load_bound(argv[wrong_first ? 3 : 2], argv[1], second) != 0)
        return 1;
    /* Two plugins, two copies of galloc: not the same functions. */
    if (wrong.alloc == good.alloc)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(blocks_move_between_the_plugins_through_the_host_override),
        cmocka_unit_test(the_plugin_reaches_the_host_override),
    };
    return cmocka_run_group_tests_name(argv[4], tests, NULL, NULL);
}
