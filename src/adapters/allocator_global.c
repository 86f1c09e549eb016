/*
 * allocator_global.c - the override that makes an allocator adapter the
 * program's global allocator, as a library: DESIGN.md row M8, "override
 * supplied by a linked static library".
 *
 * This file is the whole of the static library targets
 * galloc::mimalloc_global and galloc::jemalloc_global, each built with
 * GALLOC_GLOBAL_HEADER (the adapter's header) and GALLOC_GLOBAL_OBJECT (its
 * allocator object, galloc_mimalloc or galloc_jemalloc) defined by
 * CMakeLists.txt.  Linking one is all an executable has to do:
 * galloc_global() becomes that allocator, from the first allocation on, in
 * every module of the process.  Nothing calls into this object, so the
 * targets are marked with galloc_provides_global_allocator()
 * (cmake/gallocOverride.cmake), which makes executables ask the linker for
 * galloc_global_allocator and so pulls the object in.  They must stay
 * static libraries: in a shared library the override would be ignored (only
 * the executable decides), and a program linking one and another override
 * fails to link, as two overrides always do.
 */
#include GALLOC_GLOBAL_HEADER

GALLOC_GLOBAL_ALLOCATOR(GALLOC_GLOBAL_OBJECT);
