/*
 * m9_bound_plugin_system.c - DESIGN.md row M9 on ELF platforms (issue #11),
 * the other side of m9_bound_plugin_override.c: the same plugin, which
 * wrongly writes GALLOC_GLOBAL_ALLOCATOR and is bound to its own definition
 * (RTLD_DEEPBIND, or -Bsymbolic), loaded by an executable *without* an
 * override.  The plugin's override is still ignored: it uses System, and the
 * host frees its blocks with its own copy of galloc.
 *
 * usage: m9_bound_plugin_system BINDING WRONG_PLUGIN
 */
#include "modules/plugin.h"
#include "support/testing.h"

#include "modules/plugin_round_trip.h"

static plugin_api wrong;

static void the_plugin_override_is_ignored_and_the_plugin_uses_system(void **state) {
    (void)state;
    assert_int_equal(wrong.global_is_system(), 1);
    assert_string_equal(wrong.global_name(), galloc_system.name);
    assert_ptr_equal(galloc_global(), &galloc_system);

    /* System blocks: the host's own galloc and the plugin's are one family. */
    plugin_round_trip(&wrong, 5);
}

int main(int argc, char **argv) {
    if (argc != 3)
        return 2;
    if (plugin_load_bound(argv[2], argv[1], &wrong) != 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_plugin_override_is_ignored_and_the_plugin_uses_system),
    };
    return cmocka_run_group_tests_name(argv[1], tests, NULL, NULL);
}
