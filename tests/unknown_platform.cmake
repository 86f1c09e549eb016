# On a Unix where galloc knows no way to find the executable's override
# (neither Mach-O's dyld nor ELF's dl_iterate_phdr), the build must stop
# with a message, not build a library that could take a shared library's
# definition for the executable's.  Both guards are checked, as if on such
# a platform:
#   1. configuring with GALLOC_HAVE_DL_ITERATE_PHDR preset to false stops
#      with CMakeLists.txt's message;
#   2. compiling the backend without it stops at src/posix/sys.c's #error.
#   cmake -DSOURCE_DIR=<galloc> -DBINARY_DIR=<scratch> -DCOMPILER=<cc>
#         -P unknown_platform.cmake
file(REMOVE_RECURSE "${BINARY_DIR}")
execute_process(
  COMMAND ${CMAKE_COMMAND} -S ${SOURCE_DIR} -B ${BINARY_DIR}/configure
          -DGALLOC_HAVE_DL_ITERATE_PHDR=FALSE -DGALLOC_BUILD_TESTS=OFF
          -DGALLOC_BUILD_EXAMPLES=OFF -DGALLOC_BUILD_BENCH=OFF
  RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(status EQUAL 0)
  message(FATAL_ERROR "configuring without dl_iterate_phdr succeeded; it must stop")
endif()
string(REGEX REPLACE "[ \n]+" " " err "${err}") # CMake wraps its messages
if(NOT err MATCHES "galloc: this Unix has no dl_iterate_phdr")
  message(FATAL_ERROR "configuring without dl_iterate_phdr failed, but not with "
    "galloc's message:\n${err}")
endif()

file(MAKE_DIRECTORY ${BINARY_DIR})
execute_process(
  COMMAND ${COMPILER} -std=c11 -fsyntax-only -D_GNU_SOURCE
          -I${SOURCE_DIR}/include -I${SOURCE_DIR}/src ${SOURCE_DIR}/src/alloc.c
  RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(status EQUAL 0)
  message(FATAL_ERROR "src/alloc.c compiled without GALLOC_HAVE_DL_ITERATE_PHDR; "
    "it must stop")
endif()
if(NOT err MATCHES "error: (#error )?\"galloc: no known way to find the executable's override")
  message(FATAL_ERROR "src/alloc.c failed to compile, but not with galloc's "
    "#error:\n${err}")
endif()
message(STATUS "both guards stop an unknown platform's build")
