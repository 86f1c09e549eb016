#if !defined(_WIN32)
#define _POSIX_C_SOURCE 200809L /* popen */
#endif
#include "child.h"

#include <stdio.h>
#include <string.h>

#if defined(_WIN32)
#define popen _popen
#define pclose _pclose
#endif

int run_self(const char *self, const char *argument, char *output, size_t size) {
    char command[4096];
    int n = snprintf(command, sizeof command, "\"%s\" %s 2>&1", self, argument);
    if (n < 0 || (size_t)n >= sizeof command || size == 0)
        return -1;
    FILE *child = popen(command, "r");
    if (child == NULL)
        return -1;
    /* Everything the child writes is passed on to our stderr, and so to
     * CTest, beyond what fits in output too: under Valgrind (tests/
     * launch.sh) the child runs under memcheck, and its errors are in its
     * output, marked, where the test's FAIL_REGULAR_EXPRESSION finds them;
     * its exit status cannot carry them, as many children abort or fail
     * on purpose. */
    fprintf(stderr, "run_self: output of %s:\n", argument);
    size_t len = 0;
    char chunk[256];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, child)) > 0) {
        fwrite(chunk, 1, got, stderr);
        size_t keep = got < size - 1 - len ? got : size - 1 - len;
        memcpy(output + len, chunk, keep);
        len += keep;
    }
    output[len] = '\0';
    fprintf(stderr, "run_self: end of the output of %s\n", argument);
    return pclose(child);
}
