# galloc_test_case_defined(<tests dir> <file> <case> <result>): sets <result>
# to TRUE if tests/<file> defines the CMocka case <case> and names it a
# second time (in its CMocka list, presumably), else FALSE.  Text only: for
# the cases of a program that is not run (tests/readme_bad_input.cmake on a
# configuration that does not build it; tests/docs_links.cmake).
function(galloc_test_case_defined tests file name result)
  set(${result} FALSE PARENT_SCOPE)
  if(NOT EXISTS ${tests}/${file} OR IS_DIRECTORY ${tests}/${file})
    return()
  endif()
  file(READ ${tests}/${file} source)
  string(REPLACE ";" "," source "${source}") # CMake's list separator
  string(REGEX MATCHALL "[^a-z0-9_]${name}[^a-z0-9_]" uses "${source}")
  list(LENGTH uses use_count)
  # (The parameter may be on the next line.)
  if(source MATCHES "static void ${name}\\([ \t\r\n]*void \\*\\*state\\)" AND use_count GREATER 1)
    set(${result} TRUE PARENT_SCOPE)
  endif()
endfunction()
