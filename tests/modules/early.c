#include "early.h"

#include "galloc.h"

static void *block;
static const char *global_name;

static void initialise(void) {
    global_name = galloc_global()->name;
    galloc_layout layout = {EARLY_BLOCK_SIZE, 16};
    block = galloc_alloc(layout);
}

#if defined(_WIN32)
#define WIN32_LEAN_AND_MEAN
#include <windows.h>

BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, LPVOID reserved);
BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, LPVOID reserved) {
    (void)instance;
    (void)reserved;
    if (reason == DLL_PROCESS_ATTACH)
        initialise();
    return TRUE;
}
#else
__attribute__((constructor)) static void early_constructor(void) {
    initialise();
}
#endif

void *early_block(void) {
    return block;
}

const char *early_global_name(void) {
    return global_name;
}

void early_release(void) {
    galloc_layout layout = {EARLY_BLOCK_SIZE, 16};
    galloc_dealloc(block, layout);
    block = NULL;
}
