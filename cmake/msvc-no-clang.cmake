# The MSVC-mode leg's second run (GALLOC_MSVC_NO_CLANG, see
# toolchain-x86_64-pc-windows-msvc.cmake): clang-cl compiles with
# /U__clang__, so every `defined(_MSC_VER) && !defined(__clang__)` branch -
# MSVC's atomics and intrinsics, .CRT$XCU, the __declspec attributes - is
# compiled and run.
#
# Read as CMAKE_USER_MAKE_RULES_OVERRIDE, i.e. after CMake identified the
# compiler and before it fixes the default flags.  Were /U__clang__ among
# the flags of the identification, CMake would take clang-cl for MSVC and
# compile `cl ... -c /abs/path/file.c`, whose path clang-cl reads as an
# option when it starts like one (/w..., /D...).
# (Read once per language, when that language's compiler is known: C++'s
# is identified later, and must not see the flag either.)
foreach(lang C CXX)
  if(CMAKE_${lang}_COMPILER_ID AND NOT galloc_msvc_no_clang_${lang})
    string(APPEND CMAKE_${lang}_FLAGS_INIT " /U__clang__")
    set(galloc_msvc_no_clang_${lang} TRUE)
  endif()
endforeach()
