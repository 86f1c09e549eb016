include(CheckSymbolExists)

# galloc_import(<target> HEADER <header> NAMES <library names>... SYMBOL <function>
#               [PKG_CONFIG <module>] [OPTIONAL]):
# an imported target for a library found by header and library name (or,
# first, through pkg-config's <module>, unless cross-compiling: pkg-config
# would answer for the build machine), for the adapters, tests and benchmark
# (Debian's CMocka, libuv and mimalloc ship no pkg-config/CMake package
# galloc can rely on everywhere, and the mingw-w64 builds of them ship one
# with other target names).  Sets <target>_FOUND.
#
# A library is taken only if the compiler in use can compile a program that
# includes <header> and link it with <function> from the library
# (galloc_check_usable).  Finding the files is not enough: with musl-gcc,
# CMake still searches /usr, and finds glibc's libuv, mimalloc and jemalloc
# there, which that compiler cannot build against.
function(galloc_import target)
  cmake_parse_arguments(I "OPTIONAL" "HEADER;SYMBOL;PKG_CONFIG" "NAMES" ${ARGN})
  set(${target}_FOUND FALSE PARENT_SCOPE)
  if(TARGET ${target})
    set(${target}_FOUND TRUE PARENT_SCOPE)
    return()
  endif()
  if(I_PKG_CONFIG AND NOT CMAKE_CROSSCOMPILING)
    find_package(PkgConfig QUIET)
    if(PKG_CONFIG_FOUND)
      pkg_check_modules(${target}_pc QUIET IMPORTED_TARGET GLOBAL ${I_PKG_CONFIG})
      if(${target}_pc_FOUND)
        galloc_check_usable(${target}_pc_USABLE ${I_HEADER} ${I_SYMBOL}
          PkgConfig::${target}_pc)
        if(${target}_pc_USABLE)
          add_library(${target} INTERFACE IMPORTED GLOBAL)
          target_link_libraries(${target} INTERFACE PkgConfig::${target}_pc)
          set(${target}_FOUND TRUE PARENT_SCOPE)
          return()
        endif()
      endif()
    endif()
  endif()
  find_path(${target}_INCLUDE_DIR ${I_HEADER})
  find_library(${target}_LIBRARY NAMES ${I_NAMES})
  if(${target}_INCLUDE_DIR AND ${target}_LIBRARY)
    galloc_check_usable(${target}_USABLE ${I_HEADER} ${I_SYMBOL}
      ${${target}_LIBRARY} INCLUDES ${${target}_INCLUDE_DIR})
  endif()
  if(NOT ${target}_USABLE)
    if(I_OPTIONAL)
      return()
    endif()
    message(FATAL_ERROR "galloc: ${I_HEADER} and a library named ${I_NAMES} "
      "that ${CMAKE_C_COMPILER} can build with are needed (Debian: libcmocka-dev, "
      "libuv1-dev; for musl-gcc: scripts/deps.sh musl, then CMAKE_PREFIX_PATH); "
      "or turn off GALLOC_BUILD_TESTS / GALLOC_BUILD_BENCH")
  endif()
  add_library(${target} UNKNOWN IMPORTED GLOBAL)
  set_target_properties(${target} PROPERTIES
    IMPORTED_LOCATION "${${target}_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${${target}_INCLUDE_DIR}")
  set(${target}_FOUND TRUE PARENT_SCOPE)
endfunction()

# galloc_check_usable(<result> <header> <function> <libraries>...
#                     [INCLUDES <dirs>...]): whether a program that includes
# <header> and calls <function> compiles and links with <libraries>; cached
# in <result> for the same inputs, asked again when they change (a library
# found elsewhere, another compiler).  The program includes a few standard
# headers first (CMocka's header needs them): with another C library's
# include directory on the path, such as glibc's /usr/include under
# musl-gcc, they do not compile, even where the library's own header would.
function(galloc_check_usable result header symbol)
  cmake_parse_arguments(C "" "" "INCLUDES" ${ARGN})
  set(inputs "${CMAKE_C_COMPILER};${CMAKE_C_FLAGS};${header};${symbol};${C_UNPARSED_ARGUMENTS};${C_INCLUDES}")
  if(NOT "${inputs}" STREQUAL "${${result}_INPUTS}")
    unset(${result} CACHE)
    set(${result}_INPUTS "${inputs}" CACHE INTERNAL "what ${result} was checked with")
  endif()
  set(CMAKE_REQUIRED_LIBRARIES ${C_UNPARSED_ARGUMENTS})
  set(CMAKE_REQUIRED_INCLUDES ${C_INCLUDES})
  # (uv.h uses POSIX types, pthread_rwlock_t, that strict -std=c11 hides.)
  set(CMAKE_REQUIRED_DEFINITIONS -D_GNU_SOURCE)
  set(CMAKE_REQUIRED_QUIET ON)
  check_symbol_exists(${symbol} "stdarg.h;stddef.h;setjmp.h;stdint.h;${header}" ${result})
  if(NOT ${result})
    message(STATUS "galloc: ${header} or ${symbol} found, but ${CMAKE_C_COMPILER} "
      "cannot build with them: not used")
  endif()
endfunction()

# libuv, for the adapter, the linking-matrix hosts and the benchmark's
# threads.
macro(galloc_import_libuv)
  galloc_import(galloc_libuv HEADER uv.h NAMES uv libuv SYMBOL uv_version ${ARGN})
  if(galloc_libuv_FOUND AND NOT WIN32)
    # uv.h uses POSIX types (pthread_rwlock_t) that strict -std=c11 hides.
    set_property(TARGET galloc_libuv PROPERTY INTERFACE_COMPILE_DEFINITIONS _GNU_SOURCE)
  endif()
endmacro()
