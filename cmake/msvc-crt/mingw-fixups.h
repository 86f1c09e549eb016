/*
 * mingw-fixups.h - force-included (/FI) into every file compiled in MSVC
 * mode (cmake/toolchain-x86_64-pc-windows-msvc.cmake), before anything else.
 *
 * MSVC mode compiles with mingw-w64's headers, which were written for GCC
 * and only partly for MSVC.  For a compiler without __GNUC__ - clang-cl,
 * and real MSVC - <_mingw.h> defines two things clang-cl cannot live with:
 *   - `__attribute__(x)` as nothing, which empties the attributes of
 *     clang's own intrinsic headers (<intrin.h>, <immintrin.h>: their
 *     always_inline and target attributes) and breaks them;
 *   - __MINGW_ATTRIB_NORETURN and __MINGW_ATTRIB_DEPRECATED as
 *     __declspec(noreturn) / __declspec(deprecated), which <stdlib.h> writes
 *     after the declarator (`void exit(int) __MINGW_ATTRIB_NORETURN;`),
 *     where clang-cl accepts only GNU attributes.
 * Including <_mingw.h> first (it has an include guard) and taking those
 * back leaves the rest of it as it is.  clang-cl understands GNU attributes
 * whether or not __clang__ is defined, so this holds in both modes of the
 * leg.
 */
#include <_mingw.h>

#undef __attribute__
#undef __MINGW_ATTRIB_NORETURN
#define __MINGW_ATTRIB_NORETURN __attribute__((__noreturn__))
#undef __MINGW_ATTRIB_DEPRECATED
#define __MINGW_ATTRIB_DEPRECATED __attribute__((__deprecated__))
