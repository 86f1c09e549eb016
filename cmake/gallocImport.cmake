# galloc_import(<target> HEADER <header> NAMES <library names>... [OPTIONAL]):
# an imported target for a library found by header and library name, for the
# adapters, tests and benchmark (Debian's CMocka, libuv and mimalloc ship no
# pkg-config/CMake package galloc can rely on everywhere, and the mingw-w64
# builds of them ship one with other target names).  Sets <target>_FOUND.
function(galloc_import target)
  cmake_parse_arguments(I "OPTIONAL" "HEADER" "NAMES" ${ARGN})
  set(${target}_FOUND FALSE PARENT_SCOPE)
  if(TARGET ${target})
    set(${target}_FOUND TRUE PARENT_SCOPE)
    return()
  endif()
  find_path(${target}_INCLUDE_DIR ${I_HEADER})
  find_library(${target}_LIBRARY NAMES ${I_NAMES})
  if(NOT ${target}_INCLUDE_DIR OR NOT ${target}_LIBRARY)
    if(I_OPTIONAL)
      return()
    endif()
    message(FATAL_ERROR "galloc: ${I_HEADER} and a library named ${I_NAMES} are needed "
      "(Debian: libcmocka-dev, libuv1-dev); or turn off GALLOC_BUILD_TESTS / "
      "GALLOC_BUILD_BENCH")
  endif()
  add_library(${target} UNKNOWN IMPORTED GLOBAL)
  set_target_properties(${target} PROPERTIES
    IMPORTED_LOCATION "${${target}_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${${target}_INCLUDE_DIR}")
  set(${target}_FOUND TRUE PARENT_SCOPE)
endfunction()

# libuv, for the adapter, the linking-matrix hosts and the benchmark's
# threads.
macro(galloc_import_libuv)
  galloc_import(galloc_libuv HEADER uv.h NAMES uv libuv ${ARGN})
  if(galloc_libuv_FOUND AND NOT WIN32)
    # uv.h uses POSIX types (pthread_rwlock_t) that strict -std=c11 hides.
    set_property(TARGET galloc_libuv PROPERTY INTERFACE_COMPILE_DEFINITIONS _GNU_SOURCE)
  endif()
endmacro()
