/* m7_main.c - the program of row M7: succeeds if its one override is the
 * global allocator. */
#include "galloc.h"

#include <string.h>

int main(void) {
    return strcmp(galloc_global()->name, "one") == 0 ? 0 : 1;
}
