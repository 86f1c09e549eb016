# expect_link_failure.cmake - row M7: builds a target whose objects all
# compiled in the normal build (they come from an OBJECT library), so the
# only step left is the link, and passes only if that link fails with a
# duplicate-symbol error naming galloc's global allocator.
#
#   cmake -DBUILD_DIR=... -DTARGET=... -DCONFIG=... -P expect_link_failure.cmake
foreach(var BUILD_DIR TARGET)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "expect_link_failure: ${var} not set")
  endif()
endforeach()
set(config_args "")
if(CONFIG)
  set(config_args --config ${CONFIG})
endif()
execute_process(
  COMMAND ${CMAKE_COMMAND} --build ${BUILD_DIR} --target ${TARGET} ${config_args}
  RESULT_VARIABLE result
  OUTPUT_VARIABLE output
  ERROR_VARIABLE output)
message("${output}")
if(result EQUAL 0)
  message(FATAL_ERROR "M7: linking two overrides succeeded; it must fail")
endif()
# GNU ld / mingw ld, lld, and MSVC's link.exe.
set(duplicate "(multiple definition of|duplicate symbol:|LNK2005:)[^\n]*galloc_global_allocator")
if(NOT output MATCHES "${duplicate}")
  message(FATAL_ERROR "M7: the build failed, but not with a duplicate "
                      "galloc_global_allocator at link time")
endif()
message(STATUS "M7: the link failed as it must: ${CMAKE_MATCH_0}")
