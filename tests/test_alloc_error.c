/*
 * test_alloc_error.c - galloc_handle_alloc_error without a hook writes
 * "memory allocation of N bytes (align A) failed" to stderr and aborts.
 * The program runs itself as a child ("child" argument) and checks both
 * the message and the abnormal exit.
 */
#include "support/child.h"
#include "support/testing.h"

#include <stdio.h>
#include <string.h>

static const char *self_path;

static void without_a_hook_the_message_is_written_and_the_process_aborts(void **state) {
    (void)state;
    char output[1024];
    int status = run_self(self_path, "child", output, sizeof output);
    assert_int_not_equal(status, -1);
    assert_non_null(strstr(output, "memory allocation of 12345 bytes (align 64) failed\n"));
    assert_int_not_equal(status, 0); /* aborted: not a normal exit */
    assert_null(strstr(output, "returned")); /* it did not come back */
}

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "child") == 0) {
        galloc_layout layout = {12345, 64};
        galloc_handle_alloc_error(layout);
        fputs("galloc_handle_alloc_error returned\n", stderr);
        return 0;
    }
    self_path = argv[0];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(without_a_hook_the_message_is_written_and_the_process_aborts),
    };
    return cmocka_run_group_tests_name("alloc error", tests, NULL, NULL);
}
