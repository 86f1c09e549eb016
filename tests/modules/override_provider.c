/*
 * override_provider.c - a static library that provides the program's
 * global allocator (row M8): an executable links it and has nothing else to
 * write.  Its CMake target is marked with galloc_provides_global_allocator()
 * so that the linker pulls this object in although nothing calls into it.
 */
#include "galloc.h"

#include "support/counting.h"

static counting_allocator provided = COUNTING_ALLOCATOR_INIT("static library override");
GALLOC_GLOBAL_ALLOCATOR(provided);
