# Checks that what README.md and docs/*.md point at exists, so that a
# renamed file or a removed test cannot leave the guide pointing at nothing:
#  - every relative link [text](target) resolves, from the Markdown file's
#    folder, to a file or a folder (#anchors are not checked);
#  - every path in backquotes under tests/ src/ include/ examples/ bench/
#    cmake/ scripts/ .github/, and appveyor.yml, exists (from the top);
#  - every test case named `<file>:<case>` (tests/<file>, .c or .cpp) is
#    defined there (the bad-input table's cases are also run, by
#    readme_bad_input.cmake);
#  - with -DTESTS_OF=<build dir>, every CTest test named in backquotes
#    (matrix_*, test_*, readme_*, docs_*, fuzz_*, bench_*) is a test of that
#    build, or the start of some: `test_layout` names test_layout_static and
#    _shared, `matrix_M9_deepbind_plugin_…` the four deepbind rows.
#   cmake -DSOURCE_DIR=<top> [-DTESTS_OF=<build dir> -DCTEST=<ctest>]
#         -P docs_links.cmake
include(${CMAKE_CURRENT_LIST_DIR}/test_case_defined.cmake)
file(GLOB chapters ${SOURCE_DIR}/docs/*.md)
set(failures 0)
macro(fail markdown what)
  file(RELATIVE_PATH where ${SOURCE_DIR} ${markdown})
  message(SEND_ERROR "${where}: ${what}")
  math(EXPR failures "${failures} + 1")
endmacro()

# expect_files(<counter> <base> <what> <path>...): each <path> exists
# under <base>; counted in <counter>.
macro(expect_files counter base what)
  foreach(path ${ARGN})
    math(EXPR ${counter} "${${counter}} + 1")
    if(NOT EXISTS ${base}/${path})
      fail(${markdown} "${what}${path}: no such file")
    endif()
  endforeach()
endmacro()

set(tests "")
if(TESTS_OF)
  execute_process(COMMAND ${CTEST} -N WORKING_DIRECTORY ${TESTS_OF}
    OUTPUT_VARIABLE listing RESULT_VARIABLE status)
  if(NOT status STREQUAL "0")
    message(FATAL_ERROR "ctest -N in ${TESTS_OF} failed")
  endif()
  string(REGEX MATCHALL "Test +#[0-9]+: [^\n]+" tests "${listing}")
  list(TRANSFORM tests REPLACE "^Test +#[0-9]+: " "")
endif()

set(links 0)
set(paths 0)
set(cases 0)
set(names 0)
foreach(markdown ${SOURCE_DIR}/README.md ${chapters})
  get_filename_component(folder ${markdown} DIRECTORY)
  file(READ ${markdown} text)
  # Out of the way: CMake's list separator, and the square brackets that
  # keep a list from being split.
  string(REPLACE ";" "," text "${text}")
  string(REPLACE "[" "{" text "${text}")
  string(REPLACE "]" "}" text "${text}")

  # Links: the target, less its #anchor; not anchors alone, nor URLs.
  string(REGEX MATCHALL "}\\([^) ,]+\\)" found "${text}") # (no code: f(a, b))
  list(TRANSFORM found REPLACE "^}\\(([^)#]*).*" "\\1")
  list(FILTER found EXCLUDE REGEX "^$|^[a-z]+:")
  expect_files(links ${folder} "link to " ${found})

  # Paths in backquotes, less those that are patterns.
  set(path_regex "`((tests|src|include|examples|bench|cmake|scripts|\\.github)/[^` ]*|appveyor\\.yml)")
  string(REGEX MATCHALL "${path_regex}" found "${text}")
  list(TRANSFORM found REPLACE "^`" "")
  list(FILTER found EXCLUDE REGEX "[*<$]|…")
  expect_files(paths ${SOURCE_DIR} "" ${found})

  set(case_regex "`((modules/|test_)[a-z0-9_]+)(\\.c|\\.cpp)?:([a-z0-9_]+)`")
  string(REGEX MATCHALL "${case_regex}" found "${text}")
  foreach(ref IN LISTS found)
    string(REGEX MATCH "^${case_regex}$" _ "${ref}")
    set(name ${CMAKE_MATCH_4})
    set(defined FALSE)
    foreach(file ${CMAKE_MATCH_1}${CMAKE_MATCH_3} ${CMAKE_MATCH_1}.c ${CMAKE_MATCH_1}.cpp)
      galloc_test_case_defined(${SOURCE_DIR}/tests ${file} ${name} defined)
      if(defined)
        break()
      endif()
    endforeach()
    math(EXPR cases "${cases} + 1")
    if(NOT defined)
      fail(${markdown} "${ref}: no such test case in tests/")
    endif()
  endforeach()

  if(TESTS_OF)
    string(REGEX MATCHALL "`(matrix|test|readme|docs|fuzz|bench)_[A-Za-z0-9_]*(…)?`"
      found "${text}")
    foreach(word IN LISTS found)
      string(REGEX REPLACE "^`([A-Za-z0-9_]*)(…)?`$" "\\1" word "${word}")
      math(EXPR names "${names} + 1")
      set(known FALSE)
      foreach(test IN LISTS tests)
        string(FIND "${test}" "${word}" at)
        if(test STREQUAL word OR (at EQUAL 0 AND (word MATCHES "_$" OR
                                                  test MATCHES "^${word}_")))
          set(known TRUE)
          break()
        endif()
      endforeach()
      if(NOT known)
        fail(${markdown} "`${word}`: no such test in ${TESTS_OF}")
      endif()
    endforeach()
  endif()
endforeach()

if(failures GREATER 0)
  message(FATAL_ERROR "${failures} references of README.md and docs/ point at nothing")
endif()
message(STATUS "README.md and docs/: ${links} links, ${paths} paths, ${cases} test cases"
               " and ${names} test names, all found")
