/*
 * mimalloc_global.c - the override that makes mimalloc the program's global
 * allocator, as a library: DESIGN.md row M8, "override supplied by a linked
 * static library".
 *
 * This file is the whole of the static library target
 * galloc::mimalloc_global.  Linking it is all an executable has to do:
 * galloc_global() becomes &galloc_mimalloc, from the first allocation on,
 * in every module of the process.  Nothing calls into this object, so the
 * target is marked with galloc_provides_global_allocator()
 * (cmake/gallocOverride.cmake), which makes executables ask the linker for
 * galloc_global_allocator and so pulls the object in.  It must stay a
 * static library: in a shared library the override would be ignored (only
 * the executable decides), and a program linking it and another override
 * fails to link, as two overrides always do.
 */
#include <galloc/mimalloc.h>

GALLOC_GLOBAL_ALLOCATOR(galloc_mimalloc);
