# galloc_import(<target> <header> <library names>...): an imported target for
# a library found by header and library name.  For the tests and the
# benchmark only: Debian's CMocka and libuv ship no CMake package, and the
# mingw-w64 builds of them ship one with other target names.
function(galloc_import target header)
  find_path(${target}_INCLUDE_DIR ${header})
  find_library(${target}_LIBRARY NAMES ${ARGN})
  if(NOT ${target}_INCLUDE_DIR OR NOT ${target}_LIBRARY)
    message(FATAL_ERROR "galloc: ${header} and a library named ${ARGN} are needed "
      "(Debian: libcmocka-dev, libuv1-dev); or turn off GALLOC_BUILD_TESTS / "
      "GALLOC_BUILD_BENCH")
  endif()
  add_library(${target} UNKNOWN IMPORTED)
  set_target_properties(${target} PROPERTIES
    IMPORTED_LOCATION "${${target}_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${${target}_INCLUDE_DIR}")
endfunction()

# libuv, for the linking-matrix hosts and the benchmark's threads.
macro(galloc_import_libuv)
  if(NOT TARGET galloc_libuv)
    galloc_import(galloc_libuv uv.h uv libuv)
    if(NOT WIN32)
      # uv.h uses POSIX types (pthread_rwlock_t) that strict -std=c11 hides.
      set_property(TARGET galloc_libuv PROPERTY INTERFACE_COMPILE_DEFINITIONS _GNU_SOURCE)
    endif()
  endif()
endmacro()
