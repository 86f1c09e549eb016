# Checks that the "Bad input" table of docs/reliability.md (README.md's until
# issue 17, hence the name) is backed by tests: every case `<file>:<case>`
# it names (file in tests/) must be run by that file's test
# program and pass.  A case is "run" only when CMocka says so - a line
# `[       OK ] ...<case>...`, the case name as a word, since some programs
# prefix it with a route ("global: <case>") or suffix it ("<case> (GLOBAL)")
# - because a name found in the source proves nothing: a case left out of
# the CMocka list (or compiled out by an #if) is still in the text.
#   cmake -DTABLE=<docs/reliability.md> -DTESTS=<tests dir>
#         -DPROGRAMS=<file>=<program>|<file>=<program>|...
#         [-DEMULATOR=<command>|<arg>|...] [-DSKIPPED_OK=ON]
#         -P readme_bad_input.cmake
# PROGRAMS names the program that runs each file's cases (tests/
# CMakeLists.txt); an empty program means "not built in this
# configuration", and that file's cases are then checked as text only
# (defined, and named a second time, presumably in the CMocka list).
# EMULATOR is the command that runs the programs of a cross build (Wine).
# ("|" separates, as ";" would be split by add_test.)  A case CMocka skips
# fails the check, unless SKIPPED_OK is set (Windows, where the cases about
# the Unix backend's platform calls skip themselves): then it is listed.
include(${CMAKE_CURRENT_LIST_DIR}/test_case_defined.cmake)
file(READ ${TABLE} text)
string(FIND "${text}" "\n## Bad input\n" start)
if(start EQUAL -1)
  message(FATAL_ERROR "${TABLE} has no '## Bad input' section")
endif()
math(EXPR start "${start} + 1")
string(SUBSTRING "${text}" ${start} -1 text)
string(FIND "${text}" "\n#" end) # the next heading
string(SUBSTRING "${text}" 0 ${end} section)
string(REPLACE ";" "," section "${section}") # CMake's list separator
set(ref_regex "`((modules/)?[a-z0-9_]+\\.c):([a-z0-9_]+)`")
string(REGEX MATCHALL "\n\\|[^\n]*" rows "${section}")
string(REGEX MATCHALL "${ref_regex}" refs "${section}")
list(LENGTH rows row_count)
list(LENGTH refs ref_count)
if(ref_count LESS 20)
  message(FATAL_ERROR "only ${ref_count} test references in the Bad input table")
endif()
# Every row (past the header and the separator) names at least one case.
foreach(row IN LISTS rows)
  if(row MATCHES "^\n\\|( bad input|---)")
    continue()
  endif()
  if(NOT row MATCHES "${ref_regex}")
    message(FATAL_ERROR "a Bad input row names no test:${row}")
  endif()
endforeach()

# program_<file>: the program that runs <file>'s cases ("" if not built).
string(REPLACE "|" ";" programs "${PROGRAMS}")
foreach(entry IN LISTS programs)
  if(entry STREQUAL "")
    continue()
  endif()
  if(NOT entry MATCHES "^([^=]+)=(.*)$")
    message(FATAL_ERROR "PROGRAMS: '${entry}' is not <file>=<program>")
  endif()
  set("program_${CMAKE_MATCH_1}" "${CMAKE_MATCH_2}")
  set("known_${CMAKE_MATCH_1}" 1)
endforeach()
string(REPLACE "|" ";" emulator "${EMULATOR}")
# CMocka's usual output, whatever the environment asks for (TAP, XML...).
set(ENV{CMOCKA_MESSAGE_OUTPUT} STDOUT)

set(failures 0)
set(text_only 0)
set(skipped 0)
foreach(ref IN LISTS refs)
  string(REGEX MATCH "${ref_regex}" _ "${ref}")
  set(file ${CMAKE_MATCH_1})
  set(name ${CMAKE_MATCH_3})
  if(NOT EXISTS ${TESTS}/${file})
    message(SEND_ERROR "${ref}: no such file")
    math(EXPR failures "${failures} + 1")
    continue()
  endif()
  if(NOT DEFINED "known_${file}")
    message(SEND_ERROR "${ref}: no program is known to run ${file}: "
                       "add it to the PROGRAMS of this test in tests/CMakeLists.txt")
    math(EXPR failures "${failures} + 1")
    continue()
  endif()
  set(program "${program_${file}}")

  if(program STREQUAL "")
    galloc_test_case_defined(${TESTS} ${file} ${name} defined)
    if(NOT defined)
      message(SEND_ERROR "${ref}: not defined, or defined but not registered")
      math(EXPR failures "${failures} + 1")
    else()
      message(STATUS "${ref}: ${file} is not built here: checked as text only")
      math(EXPR text_only "${text_only} + 1")
    endif()
    continue()
  endif()

  # Run each program once, and keep what CMocka printed.
  string(MAKE_C_IDENTIFIER "${file}" key)
  if(NOT DEFINED "output_${key}")
    execute_process(COMMAND ${emulator} ${program}
      RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
    # Kept apart: stdout is buffered and stderr is not, so merged they
    # could interleave inside a line.
    set("output_${key}" "\n${out}\n\n${err}\n")
    if(NOT status STREQUAL "0")
      message(STATUS "${program} exited with ${status} (its own test says why)")
    endif()
  endif()
  set(output "${output_${key}}")
  set(word "([^\n]*[^a-z0-9_\n])?${name}([^a-z0-9_\n][^\n]*)?\n")
  if(NOT output MATCHES "\n\\[ RUN      \\] ${word}")
    message(SEND_ERROR "${ref}: ${program} does not run it (not registered, "
                       "or compiled out)")
    math(EXPR failures "${failures} + 1")
  elseif(output MATCHES "\n\\[  FAILED  \\] ${word}")
    # Every route must pass: one OK among failures is no proof.
    message(SEND_ERROR "${ref}: ${program} runs it, and it failed")
    math(EXPR failures "${failures} + 1")
  elseif(output MATCHES "\n\\[  SKIPPED \\] ${word}")
    if(SKIPPED_OK)
      message(STATUS "${ref}: skipped on this platform")
      math(EXPR skipped "${skipped} + 1")
    else()
      message(SEND_ERROR "${ref}: ${program} runs it, but skips it")
      math(EXPR failures "${failures} + 1")
    endif()
  elseif(NOT output MATCHES "\n\\[       OK \\] ${word}")
    message(SEND_ERROR "${ref}: ${program} runs it, but it did not pass")
    math(EXPR failures "${failures} + 1")
  endif()
endforeach()
math(EXPR row_count "${row_count} - 2")
if(failures GREATER 0)
  message(FATAL_ERROR "${failures} of ${ref_count} references are not backed")
endif()
math(EXPR ran "${ref_count} - ${text_only} - ${skipped}")
message(STATUS "Bad input table: ${row_count} rows, ${ref_count} test references: "
               "${ran} run and passed, ${skipped} skipped on this platform, "
               "${text_only} checked as text only")
