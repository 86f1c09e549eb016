/*
 * crt_support.c - two symbols that code compiled by clang-cl (as by MSVC)
 * refers to and that MSVC's static runtime, not ucrtbase.dll, defines.
 */

/* Referenced by every object that uses floating point. */
int _fltused = 0x9875;

/*
 * __chkstk: called in the prologue of a function whose frame is larger
 * than a page, with the frame size in rax; touches each page of the new
 * frame from the top down, so that the stack grows one guard page at a
 * time.  On x64 it moves no register but r10 and r11 (the caller then
 * subtracts rax from rsp itself).
 */
__asm__(".text\n"
        ".globl __chkstk\n"
        "__chkstk:\n"
        "    movq %rsp, %r10\n"        /* r10: the probe address */
        "    addq $8, %r10\n"          /* (the return address is not ours) */
        "    movq %rax, %r11\n"        /* r11: bytes left to probe */
        "1:  cmpq $0x1000, %r11\n"
        "    jb 2f\n"
        "    subq $0x1000, %r10\n"
        "    testq %r10, (%r10)\n"
        "    subq $0x1000, %r11\n"
        "    jmp 1b\n"
        "2:  subq %r11, %r10\n"
        "    testq %r10, (%r10)\n"
        "    ret\n");
