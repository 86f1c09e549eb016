/*
 * crt_tls.c - stands in for MSVC's tlssup.c: the module's TLS directory,
 * which thread-local variables (_Thread_local, __declspec(thread)) need.
 * The compiler places the initial values of thread-locals in sections
 * .tls$<something>, which the linker sorts between .tls (_tls_start) and
 * .tls$ZZZ (_tls_end); the loader reads the directory through the symbol
 * _tls_used, copies that block for each thread, and stores the module's
 * TLS slot in _tls_index, which the compiled code reads.  No TLS callbacks
 * (the .CRT$XL* table is empty).
 */
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <windows.h>

ULONG _tls_index = 0;

#pragma section(".tls", read, write)
#pragma section(".tls$ZZZ", read, write)
__declspec(allocate(".tls")) char _tls_start = 0;
__declspec(allocate(".tls$ZZZ")) char _tls_end = 0;

#pragma section(".CRT$XLA", read)
#pragma section(".CRT$XLZ", read)
__declspec(allocate(".CRT$XLA")) PIMAGE_TLS_CALLBACK galloc_msvc_crt_xl_a = 0;
__declspec(allocate(".CRT$XLZ")) PIMAGE_TLS_CALLBACK galloc_msvc_crt_xl_z = 0;

const IMAGE_TLS_DIRECTORY _tls_used = {
    (ULONG_PTR)&_tls_start,
    (ULONG_PTR)&_tls_end,
    (ULONG_PTR)&_tls_index,
    (ULONG_PTR)(&galloc_msvc_crt_xl_a + 1),
    0, /* SizeOfZeroFill */
    0, /* Characteristics */
};
