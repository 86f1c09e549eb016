# The code blocks of README.md and docs/*.md, compiled by the build so that
# they cannot rot.  Every block fenced ```c or ```cpp is code a reader may
# copy, so each must be compiled: its first line names it,
#     /* example: <name>.c ... */      or      // example: <name>.cpp ...
# (a ```c or ```cpp block without it stops the configure).  Shell, CMake and
# output blocks take another fence (sh, cmake, none) and are not compiled.
# Each block is written to <binary dir>/doc_examples/<name>.<ext> at
# configure time (the Markdown files are configure dependencies, so editing
# one re-runs this).  A block with a main() becomes an executable and a
# CTest test, readme_<name> for README.md's blocks and docs_<name> for the
# chapters'; the others, one library of objects.  C examples link <libs>;
# C++ ones (C++17) those and the CXX_LIBS too, and are left out when there
# is no C++ compiler (GALLOC_BUILD_CXX off).  Names are unique across the
# files.  (Blocks are cut out with string(FIND), not regex lists: C code is
# full of semicolons, CMake's list separator.)
#
#   galloc_doc_examples(FILES <markdown>... LIBS <libs>... [CXX_LIBS <libs>...])
function(galloc_doc_examples)
  cmake_parse_arguments(D "" "" "FILES;LIBS;CXX_LIBS" ${ARGN})
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${D_FILES})
  set(dir ${PROJECT_BINARY_DIR}/doc_examples)
  set(objects "")
  set(names "")
  # language: fence, opening comment, file extension
  set(kinds "c|/* example: |c")
  if(GALLOC_BUILD_CXX)
    list(APPEND kinds "cpp|// example: |cpp")
  endif()
  foreach(markdown IN LISTS D_FILES)
    file(READ ${markdown} text)
    get_filename_component(base ${markdown} NAME)
    if(base STREQUAL "README.md")
      set(prefix readme)
    else()
      set(prefix docs)
    endif()
    foreach(kind IN LISTS kinds)
      string(REPLACE "|" ";" kind "${kind}")
      list(GET kind 0 fence)
      list(GET kind 1 comment)
      list(GET kind 2 extension)
      set(rest "${text}")
      # "\n```c\n": the fence alone on its line (not ```cpp, ```cmake).
      set(opening "\n```${fence}\n")
      string(LENGTH "${opening}" fence_length)
      string(REGEX REPLACE "([*+.])" "\\\\\\1" comment_regex "${comment}")
      while(TRUE)
        string(FIND "${rest}" "${opening}" start)
        if(start EQUAL -1)
          break()
        endif()
        math(EXPR code_start "${start} + ${fence_length}")
        string(SUBSTRING "${rest}" ${code_start} -1 rest)
        string(FIND "${rest}" "\n```" end)
        if(end EQUAL -1)
          message(FATAL_ERROR "galloc: unterminated ```${fence} block in ${markdown}")
        endif()
        math(EXPR code_length "${end} + 1")
        string(SUBSTRING "${rest}" 0 ${code_length} code)
        math(EXPR code_length "${code_length} + 3") # past the closing fence
        string(SUBSTRING "${rest}" ${code_length} -1 rest)
        string(REGEX MATCH "^${comment_regex}([a-z_]+)\\.${extension}" _ "${code}")
        set(name ${CMAKE_MATCH_1})
        if(NOT name)
          string(SUBSTRING "${code}" 0 60 first)
          message(FATAL_ERROR "galloc: a ```${fence} block of ${markdown} does not "
            "begin with '${comment}<name>.${extension}', so it would not be compiled "
            "(a block that is not ${fence} takes another fence): ${first}")
        endif()
        if(name IN_LIST names)
          message(FATAL_ERROR "galloc: two code blocks are named ${name} (${markdown})")
        endif()
        list(APPEND names ${name})
        set(file ${dir}/${name}.${extension})
        file(WRITE ${file} "${code}")
        set(libs ${D_LIBS})
        if(extension STREQUAL "cpp")
          list(APPEND libs ${D_CXX_LIBS})
        endif()
        string(FIND "${code}" "int main(" has_main)
        if(has_main EQUAL -1)
          list(APPEND objects ${file})
        else()
          set(target ${prefix}_${name})
          add_executable(${target} ${file})
          target_link_libraries(${target} PRIVATE ${libs} galloc_warnings)
          if(extension STREQUAL "cpp")
            galloc_cxx_program(${target}) # CMakeLists.txt
          endif()
          galloc_add_run(${target} ${target}) # tests/CMakeLists.txt
        endif()
      endwhile()
    endforeach()
  endforeach()
  list(LENGTH names count)
  if(count EQUAL 0)
    message(FATAL_ERROR "galloc: no /* example: */ blocks found in ${D_FILES}")
  endif()
  message(STATUS "galloc: ${count} code blocks of README.md and docs/ compiled")
  if(objects)
    add_library(doc_examples OBJECT ${objects})
    target_link_libraries(doc_examples PRIVATE ${D_LIBS} galloc_warnings)
  endif()
endfunction()
