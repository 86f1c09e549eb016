/*
 * crt.h - the part of the MSVC C runtime's start-up that the MSVC-mode leg
 * carries itself (see crt_exe.c and crt_dll.c), over ucrtbase.dll.
 *
 * A program built by MSVC links vcruntime's and the UCRT's start-up objects
 * (mainCRTStartup, _DllMainCRTStartup, the .CRT$XC* initialiser table, the
 * module's atexit table, the TLS directory, __chkstk, _fltused); they come
 * with Visual Studio, not with Wine or mingw-w64.  The leg links this small
 * stand-in instead (crt_exe.c, crt_dll.c, crt_tls.c, crt_support.c), from
 * build/deps/msvc-x86_64/lib/galloc_msvc_crt.lib.
 */
#ifndef GALLOC_MSVC_CRT_H
#define GALLOC_MSVC_CRT_H

#include <stddef.h>          /* wchar_t, which corecrt_startup.h uses */
#include <corecrt_startup.h> /* _PVFV, _onexit_table_t, _crt_atexit */

/* ucrtbase.dll's start-up exports that mingw-w64's headers do not declare. */
_CRTIMP int __cdecl _configure_narrow_argv(int mode);
_CRTIMP int __cdecl _initialize_narrow_environment(void);
_CRTIMP void __cdecl _initterm(_PVFV *first, _PVFV *last);
_CRTIMP void __cdecl _set_app_type(int type);
#define GALLOC_MSVC_CRT_ARGV_UNEXPANDED 1 /* _crt_argv_unexpanded_arguments */
#define GALLOC_MSVC_CRT_CONSOLE_APP 1     /* _crt_console_app */

/*
 * The initialiser table.  The compiler puts a pointer to each initialiser
 * (a C++ static constructor, __attribute__((constructor)), a function
 * placed there with __declspec(allocate(".CRT$XCU"))) in a section
 * .CRT$XC<something>; the linker sorts the sections of one name by what
 * follows the `$`, so everything between .CRT$XCA and .CRT$XCZ lies
 * between these two markers.  _initterm calls each non-null entry.
 */
#pragma section(".CRT$XCA", read)
#pragma section(".CRT$XCZ", read)
#define GALLOC_MSVC_CRT_INITIALISERS                                           \
    __declspec(allocate(".CRT$XCA")) static _PVFV galloc_msvc_crt_xc_a[] = {0}; \
    __declspec(allocate(".CRT$XCZ")) static _PVFV galloc_msvc_crt_xc_z[] = {0}

/* ucrtbase exports its _setjmp as __intrinsic_setjmp in mingw-w64's import
 * library; clang-cl calls it _setjmp (with the frame as a second argument,
 * as MSVC does). */
#pragma comment(linker, "/alternatename:_setjmp=__intrinsic_setjmp")

#endif
