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

# galloc_find(<target> PKG <pkg-config module> HEADER <header>
#             NAMES <library names>...): an optional dependency of an
# adapter, through pkg-config where it answers for the platform being built
# (not when cross-compiling: it would answer for the build machine), else by
# header and library name (galloc_import).  Sets <target>_FOUND.
function(galloc_find target)
  cmake_parse_arguments(F "" "PKG;HEADER" "NAMES" ${ARGN})
  set(${target}_FOUND FALSE PARENT_SCOPE)
  find_package(PkgConfig QUIET)
  if(PKG_CONFIG_FOUND AND NOT CMAKE_CROSSCOMPILING)
    pkg_check_modules(${target}_pc QUIET IMPORTED_TARGET ${F_PKG})
    if(${target}_pc_FOUND)
      add_library(${target} INTERFACE IMPORTED GLOBAL)
      target_link_libraries(${target} INTERFACE PkgConfig::${target}_pc)
      set(${target}_FOUND TRUE PARENT_SCOPE)
      return()
    endif()
  endif()
  galloc_import(${target} HEADER ${F_HEADER} NAMES ${F_NAMES} OPTIONAL)
  set(${target}_FOUND ${${target}_FOUND} PARENT_SCOPE)
endfunction()
