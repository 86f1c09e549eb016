# galloc_provides_global_allocator(<target>)
#
# For a static library that writes GALLOC_GLOBAL_ALLOCATOR, so that linking
# it is all an executable has to do (DESIGN.md row M8).  Nothing calls into
# the object file holding the override (galloc finds it through a weak
# reference on ELF and GetProcAddress on Windows), so a linker would leave it
# out of the executable; this makes every executable linking <target> ask
# for the symbol, which pulls that object in.
#
# Without CMake, add the same to the executable's link line:
#   GNU ld / lld / mingw:  -Wl,--undefined=galloc_global_allocator
#                          (_galloc_global_allocator for 32-bit Windows)
#   MSVC:                  /INCLUDE:galloc_global_allocator
#                          (_galloc_global_allocator for x86)
# or link the library whole (--whole-archive, /WHOLEARCHIVE).
function(galloc_provides_global_allocator target)
  galloc_require_symbol(${target} galloc_global_allocator)
endfunction()

# galloc_require_symbol(<target> <C symbol>): every executable linking
# <target> asks the linker for <symbol>, so the object file of <target>
# that defines it is linked even if nothing else would pull it in.  (Also
# used by galloc::new_delete, whose operator new may already be defined,
# weakly, when its archive is reached: AddressSanitizer's runtime defines
# one, and an archive member is only taken for a symbol still undefined.)
function(galloc_require_symbol target symbol)
  # 32-bit Windows decorates C symbols with a leading underscore.
  if(WIN32 AND CMAKE_SIZEOF_VOID_P EQUAL 4)
    set(symbol _${symbol})
  endif()
  if(MSVC)
    set(option "LINKER:/INCLUDE:${symbol}")
  else()
    set(option "LINKER:--undefined=${symbol}")
  endif()
  target_link_options(${target} INTERFACE
    "$<$<STREQUAL:$<TARGET_PROPERTY:TYPE>,EXECUTABLE>:${option}>")
endfunction()
