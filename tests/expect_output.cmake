# Runs a test program and passes only if it exits with 0 AND its output
# matches a regular expression (galloc_add_run's EXPECT_OUTPUT, in
# tests/CMakeLists.txt).  CTest's PASS_REGULAR_EXPRESSION alone would ignore
# the exit status: a program that printed the expected line and then
# crashed, or was stopped by a sanitizer, would pass.
#   cmake "-DEXPECT=<regex>" -P expect_output.cmake -- <command> [args...]
# In EXPECT, the two characters \n stand for a newline (a real one would
# have to cross the command line).  The output is echoed as it comes, for
# CTest's log and its FAIL_REGULAR_EXPRESSION.
set(command "")
set(seen_separator FALSE)
math(EXPR last "${CMAKE_ARGC} - 1")
foreach(i RANGE ${last})
  if(seen_separator)
    string(REPLACE ";" "\\;" argument "${CMAKE_ARGV${i}}") # one argument, still
    list(APPEND command "${argument}")
  elseif(CMAKE_ARGV${i} STREQUAL "--")
    set(seen_separator TRUE)
  endif()
endforeach()
if(NOT command OR NOT DEFINED EXPECT)
  message(FATAL_ERROR "usage: cmake -DEXPECT=<regex> -P expect_output.cmake -- <command>...")
endif()
string(REPLACE "\\n" "\n" expect "${EXPECT}")
execute_process(COMMAND ${command} RESULT_VARIABLE status
  OUTPUT_VARIABLE out ERROR_VARIABLE err ECHO_OUTPUT_VARIABLE ECHO_ERROR_VARIABLE)
if(NOT status STREQUAL "0")
  message(FATAL_ERROR "expect_output: the program exited with '${status}', not 0")
endif()
if(NOT out MATCHES "${expect}")
  message(FATAL_ERROR "expect_output: no match in its output for: ${EXPECT}")
endif()
