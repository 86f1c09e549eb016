/*
 * crt_dll.c - stands in for MSVC's _DllMainCRTStartup (vcruntime's
 * dll_dllmain.cpp) in a DLL: on DLL_PROCESS_ATTACH it runs the DLL's
 * .CRT$XC* initialisers (constructors) and then DllMain; on
 * DLL_PROCESS_DETACH DllMain and then the DLL's own atexit functions, as
 * MSVC does (a DLL's atexit runs when it is unloaded, not at process exit).
 * A DLL without a DllMain gets one that returns TRUE.
 */
#include "crt.h"

#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <windows.h>

GALLOC_MSVC_CRT_INITIALISERS;

BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, LPVOID reserved);
BOOL WINAPI galloc_msvc_crt_default_dllmain(HINSTANCE instance, DWORD reason,
                                            LPVOID reserved);
BOOL WINAPI _DllMainCRTStartup(HINSTANCE instance, DWORD reason, LPVOID reserved);

BOOL WINAPI galloc_msvc_crt_default_dllmain(HINSTANCE instance, DWORD reason,
                                            LPVOID reserved) {
    (void)instance, (void)reason, (void)reserved;
    return TRUE;
}
/* DllMain, if the DLL has none, is the default (a weak definition). */
#pragma comment(linker, "/alternatename:DllMain=galloc_msvc_crt_default_dllmain")

static _onexit_table_t module_atexit;

int __cdecl atexit(_PVFV function) {
    return _register_onexit_function(&module_atexit, (_onexit_t)function);
}

BOOL WINAPI _DllMainCRTStartup(HINSTANCE instance, DWORD reason, LPVOID reserved) {
    if (reason == DLL_PROCESS_ATTACH) {
        _initialize_onexit_table(&module_atexit);
        _initterm(galloc_msvc_crt_xc_a, galloc_msvc_crt_xc_z);
    }
    BOOL ok = DllMain(instance, reason, reserved);
    if (reason == DLL_PROCESS_DETACH)
        _execute_onexit_table(&module_atexit);
    return ok;
}
