# Building Rust libraries with cargo, against this build's static galloc
# (the crate bindings/rust links it through GALLOC_LIB_DIR), for the tests
# (tests/rust), the benchmark (bench/rust) and the examples.  Used when
# GALLOC_RUST is on.
#
# GALLOC_CARGO, GALLOC_RUSTC and GALLOC_RUSTDOC choose the toolchain (make's
# Rust targets pass Debian's /usr/bin ones); GALLOC_RUST_TARGET the Rust
# target triple of a cross build (x86_64-pc-windows-gnu for mingw x86_64).
# galloc_rust_found is true if they were all found.
# (Included by each directory that uses it: its variables are per directory.)

find_program(GALLOC_CARGO cargo)
find_program(GALLOC_RUSTC rustc)
find_program(GALLOC_RUSTDOC rustdoc)
set(galloc_rust_found FALSE)
if(EXISTS "${GALLOC_CARGO}" AND EXISTS "${GALLOC_RUSTC}" AND EXISTS "${GALLOC_RUSTDOC}"
   AND TARGET galloc_static)
  set(galloc_rust_found TRUE)
endif()

set(galloc_rust_default_target "")
if(CMAKE_CROSSCOMPILING AND MINGW AND CMAKE_SIZEOF_VOID_P EQUAL 8)
  set(galloc_rust_default_target x86_64-pc-windows-gnu)
endif()
set(GALLOC_RUST_TARGET "${galloc_rust_default_target}" CACHE STRING
  "The Rust target triple of the Rust libraries (empty: the host's)")

# Optimised builds of galloc, optimised Rust.
if(CMAKE_BUILD_TYPE MATCHES "^(Release|RelWithDebInfo|MinSizeRel)$")
  set(galloc_rust_profile release)
  set(galloc_rust_profile_flag --release)
else()
  set(galloc_rust_profile debug)
  set(galloc_rust_profile_flag "")
endif()

# cargo never goes to the network (no dependency but the crate, by path),
# and reads no ~/.cargo configuration: its home is in this build.  Warnings
# are errors, as in the C code.  Cross-compiling, cargo links with this
# build's C compiler.
set(galloc_rust_env ${CMAKE_COMMAND} -E env CARGO_HOME=${CMAKE_BINARY_DIR}/cargo-home
  GALLOC_LIB_DIR=$<TARGET_FILE_DIR:galloc_static> RUSTC=${GALLOC_RUSTC}
  RUSTDOC=${GALLOC_RUSTDOC} RUSTFLAGS=-Dwarnings RUSTDOCFLAGS=-Dwarnings)
set(galloc_rust_target_flag "")
if(GALLOC_RUST_TARGET)
  set(galloc_rust_target_flag --target ${GALLOC_RUST_TARGET})
  string(TOUPPER "${GALLOC_RUST_TARGET}" triple)
  string(REPLACE "-" "_" triple "${triple}")
  list(APPEND galloc_rust_env CARGO_TARGET_${triple}_LINKER=${CMAKE_C_COMPILER})
endif()

# What a C executable linking a Rust staticlib needs besides (what
# `rustc --print native-static-libs` lists).
if(WIN32)
  set(GALLOC_RUST_STATICLIB_NEEDS kernel32 advapi32 userenv ws2_32 bcrypt ntdll)
else()
  set(GALLOC_RUST_STATICLIB_NEEDS ${CMAKE_DL_LIBS} Threads::Threads m rt util gcc_s)
endif()

# galloc_cargo_library(<target> MANIFEST <Cargo.toml> CRATE <lib name>
#                      [FEATURES <list>] [CARGO_DIR <dir>] [RUSTFLAGS <flags>]
#                      [BINARIES <bin name>...]):
# a custom target (built by default) that builds the package with cargo;
# sets <target>_STATICLIB and <target>_CDYLIB in the caller's scope to the
# paths of the package's staticlib and cdylib (whichever it makes), and
# <target>_<bin name> to each of its BINARIES.
function(galloc_cargo_library target)
  cmake_parse_arguments(C "" "MANIFEST;CRATE;CARGO_DIR;RUSTFLAGS" "FEATURES;BINARIES"
    ${ARGN})
  set(env ${galloc_rust_env})
  if(C_RUSTFLAGS)
    list(APPEND env "RUSTFLAGS=-Dwarnings ${C_RUSTFLAGS}") # (the last one counts)
  endif()
  if(NOT C_CARGO_DIR)
    set(C_CARGO_DIR ${CMAKE_CURRENT_BINARY_DIR}/cargo-${target})
  endif()
  set(out ${C_CARGO_DIR}/${galloc_rust_profile})
  if(GALLOC_RUST_TARGET)
    set(out ${C_CARGO_DIR}/${GALLOC_RUST_TARGET}/${galloc_rust_profile})
  endif()
  # Only the kinds the manifest's crate-type names are outputs: one that is
  # never made would leave the rule out of date, and cargo run on every build.
  file(STRINGS ${C_MANIFEST} crate_type REGEX "^crate-type")
  set(libraries "")
  if(crate_type MATCHES "staticlib")
    set(staticlib ${out}/lib${C_CRATE}.a)
    list(APPEND libraries ${staticlib})
    set(${target}_STATICLIB ${staticlib} PARENT_SCOPE)
  endif()
  if(crate_type MATCHES "cdylib")
    if(WIN32)
      set(cdylib ${out}/${C_CRATE}.dll)
    else()
      set(cdylib ${out}/lib${C_CRATE}${CMAKE_SHARED_MODULE_SUFFIX})
    endif()
    list(APPEND libraries ${cdylib})
    set(${target}_CDYLIB ${cdylib} PARENT_SCOPE)
  endif()
  set(binaries "")
  foreach(bin IN LISTS C_BINARIES)
    list(APPEND binaries ${out}/${bin}${CMAKE_EXECUTABLE_SUFFIX})
    set(${target}_${bin} ${out}/${bin}${CMAKE_EXECUTABLE_SUFFIX} PARENT_SCOPE)
  endforeach()
  set(features "")
  if(C_FEATURES)
    string(REPLACE ";" "," list "${C_FEATURES}")
    set(features --features ${list})
  endif()
  get_filename_component(dir ${C_MANIFEST} DIRECTORY)
  file(GLOB_RECURSE sources CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/bindings/rust/*.rs
    ${PROJECT_SOURCE_DIR}/bindings/rust/Cargo.toml ${dir}/*.rs)
  add_custom_command(OUTPUT ${libraries} ${binaries}
    COMMAND ${env} ${GALLOC_CARGO} build --offline --quiet
            --manifest-path ${C_MANIFEST} --target-dir ${C_CARGO_DIR}
            ${galloc_rust_profile_flag} ${galloc_rust_target_flag} ${features}
    DEPENDS galloc_static ${sources} ${C_MANIFEST}
    COMMENT "cargo build: ${C_MANIFEST} ${features}" VERBATIM)
  add_custom_target(${target} ALL DEPENDS ${libraries})
endfunction()
