# Cross-compiling galloc for Windows (x86_64) with Debian's mingw-w64.
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)

set(GALLOC_MINGW_TRIPLE x86_64-w64-mingw32)
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
