/*
 * crt_exe.c - stands in for MSVC's mainCRTStartup (vcruntime's exe_common.inl)
 * in an executable: the arguments from ucrtbase, the .CRT$XC* initialisers
 * (constructors), main, and exit(), which runs the atexit functions.
 * What it leaves out: wmain/WinMain, the .CRT$XI* C initialisers (nothing
 * the compiler emits for C or C++ uses them here), /GS's security cookie
 * (the leg compiles with /GS-), SEH around main, TLS callbacks.
 */
#include "crt.h"

#include <stdlib.h>

GALLOC_MSVC_CRT_INITIALISERS;

int main(int argc, char **argv);
void __cdecl mainCRTStartup(void);

/* An executable's atexit functions are ucrtbase's own table, which exit()
 * runs. */
int __cdecl atexit(_PVFV function) {
    return _crt_atexit(function);
}

void __cdecl mainCRTStartup(void) {
    /* (A console program: the UCRT reports abort() and the like on stderr,
     * never in a message box.) */
    _set_app_type(GALLOC_MSVC_CRT_CONSOLE_APP);
    _configure_narrow_argv(GALLOC_MSVC_CRT_ARGV_UNEXPANDED);
    _initialize_narrow_environment();
    _initterm(galloc_msvc_crt_xc_a, galloc_msvc_crt_xc_z);
    exit(main(*__p___argc(), *__p___argv()));
}
