# Cross-compiling galloc for Windows x86_64 in MSVC mode, without MSVC:
# Debian's clang-cl (clang-tools-14) as the compiler, lld-link (lld-14) as
# the linker, llvm-lib as the librarian, mingw-w64's headers and import
# libraries (mingw-w64-x86-64-dev) as the Windows SDK and the UCRT's,
# ucrtbase.dll as the C runtime, and libc++'s headers (libc++-14-dev) as the
# C++ library's headers.  The target triple is
# x86_64-pc-windows-msvc: the objects, name mangling, sections and calling
# conventions are MSVC's, and _MSC_VER is defined; mingw-w64's GCC and its
# start-up code play no part.
#
# Variables (pass with -D):
#   GALLOC_MSVC_PREFIX  build/deps/msvc-x86_64 as scripts/deps.sh
#                       leaves it: lib/ has the start-up library
#                       (cmake/msvc-crt) and mingw-w64's import libraries
#                       under MSVC's names (kernel32.lib, ucrtbase.lib, ...),
#                       and CMocka and libuv are installed there.
#   GALLOC_MSVC_NO_CLANG  ON: compile with /U__clang__, so that code takes
#                       its `defined(_MSC_VER) && !defined(__clang__)` paths.
#   GALLOC_MSVC_CRT_BOOTSTRAP  ON only while building the start-up library
#                       itself: nothing is linked yet.
#
# What this stands in for and what it cannot prove: docs/windows-msvc.md.
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR AMD64)

set(CMAKE_C_COMPILER clang-cl-14)
set(CMAKE_CXX_COMPILER clang-cl-14)
set(CMAKE_C_COMPILER_TARGET x86_64-pc-windows-msvc)
set(CMAKE_CXX_COMPILER_TARGET x86_64-pc-windows-msvc)
set(CMAKE_LINKER lld-link-14)
set(CMAKE_AR llvm-lib-14)
set(CMAKE_RC_COMPILER llvm-rc-14)
set(CMAKE_MT llvm-mt-14)

set(GALLOC_MSVC_PREFIX "" CACHE PATH "Prefix of the MSVC-mode start-up library, import libraries and dependencies")
option(GALLOC_MSVC_NO_CLANG "Compile with /U__clang__ (the MSVC-only code paths)" OFF)
# (Toolchain files are read again by every try_compile: hand the variables on.)
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES
  GALLOC_MSVC_PREFIX GALLOC_MSVC_NO_CLANG GALLOC_MSVC_CRT_BOOTSTRAP)

set(mingw_include /usr/x86_64-w64-mingw32/include)
set(fixups ${CMAKE_CURRENT_LIST_DIR}/msvc-crt/mingw-fixups.h)
# /imsvc: mingw-w64's headers are the system headers (after clang's own).
# /FI: the fix-ups for those headers in MSVC mode (msvc-crt/mingw-fixups.h).
# _UCRT: declare the C library as ucrtbase.dll has it, not as msvcrt.dll.
# USE_NO_MINGW_SETJMP_TWO_ARGS: setjmp as MSVC declares it, which clang's
#   <intrin.h> declares too (mingw's two-argument _setjmp conflicts).
# /GS-: no stack cookies; their checking code lives in MSVC's vcruntime.
# /Zl: no default-library directives in the objects (they name MSVC's
#   libcmt/msvcrt/oldnames); the libraries are named below.
set(flags "/imsvc ${mingw_include} /FI${fixups} -D_UCRT -DUSE_NO_MINGW_SETJMP_TWO_ARGS /GS- /Zl")
set(CMAKE_C_FLAGS_INIT "${flags}")
# C++: MSVC's standard library comes only with Visual Studio.  libc++'s
# headers (libc++-14-dev) stand in for its headers, header-only: Debian has
# no libc++ built for Windows, so nothing that needs the library's compiled
# part links (_LIBCPP_NO_AUTO_LINK: no `#pragma comment(lib, "c++.lib")`).
# Enough for the C headers' C++ forms (<cstdint>, <csetjmp>, ...).
set(CMAKE_CXX_FLAGS_INIT "/imsvc /usr/lib/llvm-14/include/c++/v1 -D_LIBCPP_NO_AUTO_LINK ${flags}")
# So C++ here is headers only: galloc's C++ parts that need the library
# (galloc::new_delete throws std::bad_alloc; the C++ tests use containers)
# are left out (CMakeLists.txt), test_cxx (galloc.h from C++) is built.
set(GALLOC_CXX_HEADERS_ONLY ON)
# /U__clang__ is added after CMake has identified the compiler (see the
# file): with it, CMake would take clang-cl for MSVC and give it MSVC's
# command lines, which clang-cl reads differently.
if(GALLOC_MSVC_NO_CLANG)
  set(CMAKE_USER_MAKE_RULES_OVERRIDE ${CMAKE_CURRENT_LIST_DIR}/msvc-no-clang.cmake)
endif()

# Import libraries are found by MSVC name in GALLOC_MSVC_PREFIX/lib.  No
# manifests (/manifest:no): the programs need none, and that spares the
# manifest tool's step after each link.
set(link_flags "/libpath:${GALLOC_MSVC_PREFIX}/lib /manifest:no")
foreach(kind EXE SHARED MODULE)
  set(CMAKE_${kind}_LINKER_FLAGS_INIT "${link_flags}")
endforeach()
if(GALLOC_MSVC_CRT_BOOTSTRAP)
  set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
  set(libs "")
else()
  set(libs "galloc_msvc_crt.lib ucrtbase.lib ucrtbase_math.lib kernel32.lib")
endif()
set(CMAKE_C_STANDARD_LIBRARIES "${libs}" CACHE STRING "" FORCE)
set(CMAKE_CXX_STANDARD_LIBRARIES "${libs}" CACHE STRING "" FORCE)

set(CMAKE_FIND_ROOT_PATH /usr/x86_64-w64-mingw32 ${GALLOC_MSVC_PREFIX})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
