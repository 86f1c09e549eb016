#if !defined(_WIN32)
#define _POSIX_C_SOURCE 200809L /* popen */
#endif
#include "child.h"

#include <stdio.h>

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
    size_t len = fread(output, 1, size - 1, child);
    output[len] = '\0';
    /* Drain what did not fit, so the child never blocks on a full pipe. */
    char rest[256];
    while (fread(rest, 1, sizeof rest, child) > 0) {
    }
    return pclose(child);
}
