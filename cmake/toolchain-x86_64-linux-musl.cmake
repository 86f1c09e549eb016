# Building galloc, and the CMocka and libuv its tests use, for musl libc with
# Debian's musl-tools (make check-musl): musl-gcc is gcc with specs that
# swap glibc's headers, start files and libraries for musl's
# (/usr/lib/musl).  The programs run natively, so this is not a cross
# build: only the compiler changes.
set(CMAKE_C_COMPILER musl-gcc)
# musl-tools has no C++ (no libstdc++ built for musl): the system's g++
# would make glibc programs.  No C++ compiler, so the C++ test is left out.
set(CMAKE_CXX_COMPILER "")
