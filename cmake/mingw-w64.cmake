# Cross-compiling galloc for Windows with Debian's mingw-w64; included by
# toolchain-<arch>-w64-mingw32.cmake after it sets GALLOC_MINGW_ARCH.
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR ${GALLOC_MINGW_ARCH})

set(GALLOC_MINGW_TRIPLE ${GALLOC_MINGW_ARCH}-w64-mingw32)
set(CMAKE_C_COMPILER ${GALLOC_MINGW_TRIPLE}-gcc)
set(CMAKE_CXX_COMPILER ${GALLOC_MINGW_TRIPLE}-g++)
set(CMAKE_RC_COMPILER ${GALLOC_MINGW_TRIPLE}-windres)

# Look for headers and libraries in the mingw sysroot and in
# GALLOC_MINGW_PREFIX (an optional prefix of libraries built for this target,
# such as CMocka and libuv), programs on the build machine.
set(GALLOC_MINGW_PREFIX "" CACHE PATH "Extra prefix of ${GALLOC_MINGW_TRIPLE} libraries")
set(CMAKE_FIND_ROOT_PATH /usr/${GALLOC_MINGW_TRIPLE} ${GALLOC_MINGW_PREFIX})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
