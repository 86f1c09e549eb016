# galloc - the two commands of the quick start, and the faster targets behind
# them.  Everything builds out of tree under build/.
#
#   make demo     install what is missing, build, run the examples
#   make test     install what is missing, build everything, run the whole
#                 suite: Linux (gcc; the System allocator under other
#                 mallocs; the same build again under Valgrind;
#                 clang with ASan + UBSan; the threaded tests with TSan; the
#                 fuzz harness for 30 s; the installed package; musl libc)
#                 and Windows (mingw-w64 cross builds, and clang-cl builds
#                 in MSVC mode, run under Wine)
#
# Inner loop (installs nothing, but what a target needs itself if missing:
# valgrind, clang's sanitizer runtimes):
#   make check           Linux build + CTest (gcc)
#   make check-clang     the same with clang (make test's clang build is
#                        check-asan's)
#   make check-preload   the System allocator's tests under LD_PRELOAD of
#                        jemalloc, mimalloc and tcmalloc, and linked with
#                        galloc::mimalloc_global / jemalloc_global
#   make check-valgrind  check's suite again, every test program under
#                        Valgrind memcheck (errors and leaks fatal)
#   make check-asan      the suite under ASan + UBSan (clang)
#   make check-tsan      the threaded tests (stress, conformance) under TSan
#   make check-musl      the suite built with musl-gcc (musl libc), run natively
#   make check-rust      the Rust crate (bindings/rust): cargo test, and a Rust
#                        staticlib/cdylib in C hosts (Linux)
#   make check-rust-windows  the same Rust libraries and C hosts, x86_64
#                        Windows (mingw-w64, x86_64-pc-windows-gnu) under Wine
#   make mutate          plant each bug of tests/mutations.txt in a scratch
#                        copy; fail unless the suite catches every one
#   make fuzz            the libFuzzer harness for FUZZ_SECONDS (600), corpus kept
#   make fuzz-short      the same for 30 s from the seed corpus (part of make test)
#   make fuzz-seeds      rewrite tests/fuzz/corpus from tests/fuzz/seeds.c
#   make install-check   install, then build and run an out-of-tree consumer
#   make windows-x86_64  Windows x86_64: deps, cross build, CTest under Wine
#   make windows-i686    Windows i686: the same, with the 32-bit Wine (wine32:i386)
#                        that deps-windows installs; else compiled only
#   make windows-msvc    Windows x86_64 in MSVC mode (clang-cl, lld-link,
#                        ucrtbase.dll): deps, two builds, CTest under Wine
#   make bench           the full benchmark: Linux, then x86_64 Windows under Wine
#   make bench-rust      the benchmark's Rust rows (P10, P10b), Linux
#   make bench-instructions  instructions per alloc+free pair (callgrind)
#   make docs            the guide (README.md, docs/) and the API reference
#                        (Doxygen, any warning an error; a leg of make test)
#   make clean           remove build/ (the Windows and musl deps are rebuilt
#                        next time)

SHELL       := /bin/bash
.SHELLFLAGS := -o pipefail -c

JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
BUILD_TYPE ?= RelWithDebInfo
BUILD      := build
SUMMARY    := $(BUILD)/summary
CMAKE_GEN  := -DCMAKE_BUILD_TYPE=$(BUILD_TYPE)

# Debian packages each part needs (gcc, make and git are assumed).
# (clang's sanitizer runtimes are only recommended by clang on Debian 12.)
SANITIZER_PACKAGES := clang libclang-rt-14-dev
# (libtcmalloc-minimal4 is one of the mallocs of the linux-preload leg;
# jemalloc's and mimalloc's come with their -dev packages.  musl-tools is
# musl-gcc, the linux-musl leg's compiler; dpkg-dev and xz-utils unpack the
# source packages of the CMocka and libuv built for it, as for Windows.)
# (tcl: tclsh, with which SQLite's source makes the one file scripts/deps.sh
# compiles, for musl and for Windows.)
MUSL_PACKAGES    := musl-tools dpkg-dev xz-utils tcl
# The libraries the adapters of galloc/<name>.h route (issue 15).
LIBRARY_PACKAGES := libsqlite3-dev zlib1g-dev libssl-dev liblua5.4-dev \
                    libcurl4-openssl-dev libxml2-dev libexpat1-dev
LINUX_PACKAGES   := cmake libcmocka-dev libuv1-dev libmimalloc-dev libjemalloc-dev \
                    libtcmalloc-minimal4 pkg-config g++ valgrind $(SANITIZER_PACKAGES) \
                    $(MUSL_PACKAGES) $(LIBRARY_PACKAGES)
WINDOWS_PACKAGES := gcc-mingw-w64-x86-64 gcc-mingw-w64-i686 g++-mingw-w64-x86-64 \
                    g++-mingw-w64-i686 dpkg-dev xz-utils tcl wine wine64
# The 32-bit Wine, for the i686 suite: a multiarch install (the i386
# architecture is added to dpkg first).  Its failure (a mirror in the middle
# of a sync) fails nothing: the reason is kept in WINE32_WHY_NOT, and the
# windows-i686 leg then only compiles, and says why in the summary.
WINE32_PACKAGES  := wine32:i386
WINE32_WHY_NOT   := $(BUILD)/wine32-not-installed.txt
# MSVC mode (make windows-msvc): clang-tools-14 has clang-cl (it drives
# clang-14), lld-14 has lld-link, llvm-14 has llvm-lib, llvm-rc, llvm-mt and
# llvm-dlltool; mingw-w64-x86-64-dev has the headers and import libraries;
# libc++-14-dev the C++ headers (MSVC's come only with Visual Studio).
# (Wine, dpkg-dev and xz-utils are in WINDOWS_PACKAGES.)
MSVC_PACKAGES    := clang-tools-14 clang-14 lld-14 llvm-14 mingw-w64-x86-64-dev libc++-14-dev

# $(call run_ctest,BUILD_DIR,LABEL[,CTEST_ARGS[,ENVIRONMENT]]): runs CTest
# in BUILD_DIR (with the given variables in its environment) and keeps its
# closing line for the summary printed at the end of `make test`.
define run_ctest
	@mkdir -p $(SUMMARY)
	cd $(1) && $(4) ctest --output-on-failure --no-tests=error -j$(JOBS) $(3) \
	  | tee $(CURDIR)/$(SUMMARY)/$(2).log
endef

# (demo-rust-build, bench-rust: see below)
.PHONY: demo-rust-build bench-rust
.PHONY: all demo test check deps deps-linux deps-windows build build-clang \
        check-clang check-preload check-valgrind check-asan check-tsan check-musl check-rust check-rust-windows windows \
        install-check summary windows-msvc windows-msvc-build \
        bench bench-instructions docs clean fuzz fuzz-short fuzz-build fuzz-seeds mutate

all: build

# ---------------------------------------------------------------------------
deps-linux:
	@scripts/ensure-packages.sh $(LINUX_PACKAGES)

deps-windows:
	@scripts/ensure-packages.sh $(WINDOWS_PACKAGES) $(MSVC_PACKAGES)
	@scripts/ensure-packages.sh --why-not $(WINE32_WHY_NOT) $(WINE32_PACKAGES) || \
	  echo "galloc: going on without $(WINE32_PACKAGES): the windows-i686 leg will only compile"

deps: deps-linux deps-windows

# ---------------------------------------------------------------------------
# Linux

# $(call cmake_build,BUILD_DIR,CMAKE_OPTIONS[,TARGET]): configures a build
# tree of galloc and builds TARGET, or everything.  Configuring every time
# is cheap, and re-finds what was installed since (a failed configure also
# leaves a CMakeCache.txt behind, so it is no witness of a usable tree).
define cmake_build
	cmake -S . -B $(1) $(CMAKE_GEN) $(2)
	cmake --build $(1) -j$(JOBS) $(if $(3),--target $(3))
endef
GCC   := -DCMAKE_C_COMPILER=gcc
CLANG := -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++

build:
	$(call cmake_build,$(BUILD)/linux,$(GCC) -DCMAKE_INSTALL_PREFIX=$(CURDIR)/$(BUILD)/linux/install)

check: build
	$(call run_ctest,$(BUILD)/linux,linux-gcc)

build-clang:
	$(call cmake_build,$(BUILD)/clang,$(CLANG))

check-clang: build-clang
	$(call run_ctest,$(BUILD)/clang,linux-clang)

# The System allocator under whatever malloc the process runs
# (scripts/preload-run.sh): the gcc build's tests labelled `preload` under
# LD_PRELOAD of jemalloc, mimalloc and tcmalloc, then those labelled
# `preload_linked` (the same programs linked with galloc::mimalloc_global
# and galloc::jemalloc_global).
check-preload: build
	@scripts/ensure-packages.sh libtcmalloc-minimal4
	@mkdir -p $(SUMMARY)
	scripts/preload-run.sh $(BUILD)/linux $(SUMMARY)/linux-preload.log

# The gcc build's suite again, every test that runs a program of ours
# (labelled `valgrind`) with that program started under Valgrind memcheck
# by tests/launch.sh, which has the options: every error and every
# definitely, indirectly or possibly lost block fails the test.  The few
# tests it cannot run meaningfully are excluded where they are defined, each
# with its reason (galloc_no_valgrind in tests/ and bench/).  Valgrind runs
# one thread at a time, some 30 times slower: the stress test does 1/8 of
# its operations there.
VALGRIND_ENV := GALLOC_VALGRIND=1 GALLOC_STRESS_OPS=2500
check-valgrind: build
	@scripts/ensure-packages.sh valgrind
	$(call run_ctest,$(BUILD)/linux,linux-valgrind,-L '^valgrind$$',$(VALGRIND_ENV))

# $(call sanitized_build,BUILD_DIR,BUILD_TYPE,FLAGS[,TARGET]): a clang
# build with sanitizer FLAGS (of TARGET, else of everything).  The shared
# library is linked without --no-undefined, as the sanitizer runtime lives
# in the executables.
define sanitized_build
	@scripts/ensure-packages.sh $(SANITIZER_PACKAGES)
	$(call cmake_build,$(1),$(CLANG) -DCMAKE_BUILD_TYPE=$(2) "-DCMAKE_C_FLAGS=$(3)" \
	  "-DCMAKE_CXX_FLAGS=$(3)" -DGALLOC_NO_UNDEFINED=OFF,$(4))
endef

# The whole suite under AddressSanitizer + UndefinedBehaviorSanitizer.  It
# is also `make test`'s clang build: everything (examples and benchmark
# included) compiled by clang with warnings as errors, so check-clang, the
# same without sanitizers, is left to the inner loop.
SANITIZE := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
check-asan:
	$(call sanitized_build,$(BUILD)/asan,Debug,$(SANITIZE))
	$(call run_ctest,$(BUILD)/asan,linux-asan-ubsan)

# The tests whose point is threads (labelled `threads`: the stress tests,
# the conformance kit's and the checked allocator's forks under threads)
# under ThreadSanitizer, optimised as TSan
# advises; only they are built.  A program TSan reported anything in exits
# with 66, a failure.  TSan makes the stress test some 10 times slower:
# it does 1/4 of its operations there (8 threads x 5000).
TSAN := -fsanitize=thread -fno-omit-frame-pointer
check-tsan:
	$(call sanitized_build,$(BUILD)/tsan,RelWithDebInfo,$(TSAN),galloc_thread_tests)
	$(call run_ctest,$(BUILD)/tsan,linux-tsan,-L threads,GALLOC_STRESS_OPS=5000)

# musl libc: the library, the adapters musl can build (the libuv adapter,
# the conformance kit, the checked allocator: Debian's mimalloc and jemalloc
# are glibc's), the examples and the whole CMocka suite, linking matrix
# included, built with musl-gcc (cmake/toolchain-x86_64-linux-musl.cmake;
# no C++) and run natively by musl's dynamic loader, or statically linked.
# CMocka and libuv are built for musl from Debian's source packages
# (scripts/deps.sh, as for Windows) into build/deps/musl.  The benchmark is
# compiled, not run: its figures are the gcc build's.
MUSL_DEPS := $(CURDIR)/$(BUILD)/deps/musl
check-musl:
	@scripts/ensure-packages.sh $(MUSL_PACKAGES)
	scripts/deps.sh musl $(MUSL_DEPS)
	$(call cmake_build,$(BUILD)/musl,-DCMAKE_TOOLCHAIN_FILE=$(CURDIR)/cmake/toolchain-x86_64-linux-musl.cmake \
	  -DCMAKE_PREFIX_PATH=$(MUSL_DEPS))
	$(call run_ctest,$(BUILD)/musl,linux-musl)

# The Rust crate (bindings/rust, docs/rust.md) with Debian's rustc and
# cargo (1.63), named explicitly so that no other toolchain on the PATH
# (rustup's) is used: its own cargo test, and a Rust library with
# galloc::Global as its global allocator, built as a staticlib and as a
# cdylib, in C hosts (tests/rust/); then the same libraries and hosts for
# x86_64 Windows, against the mingw build, with Debian's
# x86_64-pc-windows-gnu standard library, under Wine.  Only the Rust tests
# are built and run (label `rust`).  cargo runs --offline with its home
# under build/ (cmake/galloc_rust.cmake).
RUST_PACKAGES := rustc cargo libstd-rust-dev-windows
RUST_TOOLS    := -DGALLOC_RUST=ON -DGALLOC_CARGO=/usr/bin/cargo -DGALLOC_RUSTC=/usr/bin/rustc \
                 -DGALLOC_RUSTDOC=/usr/bin/rustdoc
# build/rust, configured alike by check-rust, demo-rust-build and
# bench-rust, so that none of them reconfigures it for the others.
RUST_LINUX    := $(GCC) $(RUST_TOOLS) -DCMAKE_INSTALL_PREFIX=$(CURDIR)/$(BUILD)/rust/install
check-rust:
	@scripts/ensure-packages.sh $(RUST_PACKAGES) cmake libcmocka-dev libuv1-dev pkg-config
	$(call cmake_build,$(BUILD)/rust,$(RUST_LINUX),galloc_rust_tests)
	$(call run_ctest,$(BUILD)/rust,rust,-L rust)

check-rust-windows:
	@scripts/ensure-packages.sh $(RUST_PACKAGES) cmake pkg-config $(WINDOWS_PACKAGES)
	scripts/deps.sh x86_64 $(CURDIR)/$(BUILD)/deps/x86_64
	$(call cmake_build,$(BUILD)/rust-windows,-DGALLOC_BUILD_TESTS=ON $(call mingw,x86_64) \
	  -DGALLOC_MINGW_PREFIX=$(CURDIR)/$(BUILD)/deps/x86_64 $(RUST_TOOLS) \
	  "-DCMAKE_CROSSCOMPILING_EMULATOR=$(CURDIR)/scripts/wine-run.sh;--path;$(CURDIR)/$(BUILD)/deps/x86_64/bin",galloc_rust_tests)
	scripts/wine-run.sh --init
	$(call run_ctest,$(BUILD)/rust-windows,rust-windows,-L rust)

# The fuzz harness (tests/fuzz/fuzz_ops.c) under libFuzzer, ASan and UBSan
# (clang), in its own build tree; only the static library and the harness
# are built.  The corpus it grows stays under build/fuzz (see
# scripts/fuzz-run.sh).  Every other build replays the seed corpus as the
# test fuzz_replay.
FUZZ_SECONDS       ?= 600
FUZZ_SHORT_SECONDS ?= 30
FUZZ_FLAGS := -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all \
              -fno-omit-frame-pointer
fuzz-build:
	@scripts/ensure-packages.sh $(LINUX_PACKAGES)
	$(call cmake_build,$(BUILD)/fuzz,$(CLANG) "-DCMAKE_C_FLAGS=$(FUZZ_FLAGS)" \
	  -DGALLOC_FUZZER=ON -DGALLOC_BUILD_SHARED=OFF -DGALLOC_BUILD_BENCH=OFF \
	  -DGALLOC_BUILD_EXAMPLES=OFF,galloc_fuzz)

fuzz: fuzz-build
	scripts/fuzz-run.sh $(BUILD)/fuzz $(FUZZ_SECONDS) keep

fuzz-short: fuzz-build
	scripts/fuzz-run.sh $(BUILD)/fuzz $(FUZZ_SHORT_SECONDS) fresh $(SUMMARY)/linux-fuzz.log

# (The generator needs nothing but its encoding header.)
fuzz-seeds:
	@mkdir -p $(BUILD)
	$(CC) -std=c11 -Wall -Wextra -Werror -o $(BUILD)/fuzz_seeds tests/fuzz/seeds.c
	$(BUILD)/fuzz_seeds write tests/fuzz/corpus

# The installed package, used by out-of-tree projects: one through
# find_package(galloc CONFIG), one through pkg-config; each builds a host
# with an override and a plugin, and runs them against the installed tree.
# pkg-config is checked on every install flavour: the default build's
# (shared and static), and a static-only and a shared-only build of the
# library alone (KIND:OTHER builds KIND with GALLOC_BUILD_OTHER=OFF), each
# installed under its own build directory.
install-check: build
	rm -rf $(BUILD)/linux/install $(BUILD)/consumer $(BUILD)/consumer-pkg-config
	cmake --install $(BUILD)/linux
	cmake -S tests/consumer -B $(BUILD)/consumer $(CMAKE_GEN) \
	      -DCMAKE_PREFIX_PATH=$(CURDIR)/$(BUILD)/linux/install
	cmake --build $(BUILD)/consumer -j$(JOBS)
	$(call run_ctest,$(BUILD)/consumer,installed-find-package)
	rm -rf $(BUILD)/consumer-fetchcontent
	cmake -S tests/consumer -B $(BUILD)/consumer-fetchcontent $(CMAKE_GEN) \
	      -DGALLOC_CONSUMER_SOURCE=$(CURDIR)
	cmake --build $(BUILD)/consumer-fetchcontent -j$(JOBS)
	$(call run_ctest,$(BUILD)/consumer-fetchcontent,subproject-fetchcontent)
	for only in static:SHARED shared:STATIC; do \
	  dir=$(BUILD)/linux-$${only%:*}-only && rm -rf $$dir/install && \
	  cmake -S . -B $$dir $(CMAKE_GEN) $(GCC) -DGALLOC_BUILD_$${only#*:}=OFF \
	        -DGALLOC_BUILD_TESTS=OFF -DGALLOC_BUILD_EXAMPLES=OFF -DGALLOC_BUILD_BENCH=OFF \
	        -DGALLOC_BUILD_ALLOCATORS=OFF -DGALLOC_BUILD_UV=OFF \
	        -DCMAKE_INSTALL_PREFIX=$(CURDIR)/$$dir/install && \
	  cmake --build $$dir -j$(JOBS) && cmake --install $$dir || exit 1; \
	done
	tests/consumer/pkg-config-check.sh $(BUILD)/consumer-pkg-config \
	  shared+static=$(CURDIR)/$(BUILD)/linux/install \
	  static=$(CURDIR)/$(BUILD)/linux-static-only/install \
	  shared=$(CURDIR)/$(BUILD)/linux-shared-only/install \
	  | tee $(SUMMARY)/installed-pkg-config.log

# Mutation testing (scripts/mutate.sh): each bug of tests/mutations.txt is
# planted, one at a time, in a scratch copy of the tree (build/mutate), which
# is rebuilt incrementally and tested - the gcc suite, or the Wine suite for
# the Windows bugs - and the run fails unless every bug was caught.  Not
# part of `make test` (it takes several minutes); run it before resolving
# an issue that touches src/.  MUTATE_ONLY=text plants only the bugs whose
# names contain it.
mutate: deps
	scripts/mutate.sh $(if $(MUTATE_ONLY),"$(MUTATE_ONLY)")

# ---------------------------------------------------------------------------
# Windows: cross-built with mingw-w64 (warnings as errors), CMocka and libuv
# built for it from Debian's source packages (scripts/deps.sh, reused
# once built), and the whole suite run under Wine through CTest.

# One after the other: both fetch the same source packages.
windows:
	$(MAKE) --no-print-directory windows-x86_64
	$(MAKE) --no-print-directory windows-i686

# $(call mingw,ARCH): the cross toolchain for ARCH (x86_64, i686).
mingw = -DCMAKE_TOOLCHAIN_FILE=$(CURDIR)/cmake/toolchain-$(1)-w64-mingw32.cmake

windows-build-%:
	scripts/deps.sh $* $(CURDIR)/$(BUILD)/deps/$*
	$(call cmake_build,$(BUILD)/windows-$*,-DGALLOC_BUILD_TESTS=ON $(call mingw,$*) \
	  -DGALLOC_MINGW_PREFIX=$(CURDIR)/$(BUILD)/deps/$* \
	  "-DCMAKE_CROSSCOMPILING_EMULATOR=$(CURDIR)/scripts/wine-run.sh;--path;$(CURDIR)/$(BUILD)/deps/$*/bin")

# The Wine prefix is created first so that parallel tests do not race to
# create it.
windows-x86_64: windows-build-x86_64
	scripts/wine-run.sh --init
	$(call run_ctest,$(BUILD)/windows-x86_64,windows-x86_64-wine)

# 32-bit programs need Debian's wine32:i386, which deps-windows installs (a
# multiarch install).  With it, the i686 build and its whole suite run as
# for x86_64.  Without it nothing could run, so only what needs no Windows
# dependencies is compiled, with -Werror: the library (shared and static),
# the adapters it can build and the examples (the tests and the benchmark
# need CMocka and libuv built for i686, a minute of make test's budget for
# programs that would not run); the summary line says why the suite did not
# run, with apt's reason if deps-windows tried and failed.
windows-i686:
	@mkdir -p $(SUMMARY)
	@if scripts/wine-run.sh --has-32bit; then \
	  $(MAKE) --no-print-directory windows-build-i686 && \
	  scripts/wine-run.sh --init && \
	  cd $(BUILD)/windows-i686 && ctest --output-on-failure --no-tests=error -j$(JOBS) \
	    | tee $(CURDIR)/$(SUMMARY)/windows-i686-wine.log; \
	else \
	  if [ -f $(WINE32_WHY_NOT) ]; then \
	    why="$(WINE32_PACKAGES) could not be installed ($$(cat $(WINE32_WHY_NOT)))"; \
	  else \
	    why="$(WINE32_PACKAGES) is not installed (make deps-windows installs it)"; \
	  fi; \
	  cmake -S . -B $(BUILD)/windows-i686-compile $(CMAKE_GEN) -DGALLOC_BUILD_TESTS=OFF \
	        -DGALLOC_BUILD_BENCH=OFF $(call mingw,i686) && \
	  cmake --build $(BUILD)/windows-i686-compile -j$(JOBS) && \
	  echo "not run: $$why; compiled only: library, adapters, examples" \
	    | tee $(SUMMARY)/windows-i686-wine.log; \
	fi

# Windows x86_64 in MSVC mode, without MSVC: Debian's clang-cl and lld-link
# over mingw-w64's headers and import libraries, ucrtbase.dll as the C
# runtime, and a small start-up code of our own in place of MSVC's
# (cmake/msvc-crt); see cmake/toolchain-x86_64-pc-windows-msvc.cmake and
# docs/windows-msvc.md for what it proves and what it cannot.
# Everything (library, extras, suite, examples, benchmark) is built at /W4
# /WX twice: as clang-cl is (windows-msvc-wine), and with /U__clang__
# (windows-msvc-wine-noclang), which takes the code's `_MSC_VER &&
# !__clang__` branches.  CMocka and libuv are built once for both
# (build/deps/msvc-x86_64).
MSVC_PREFIX := $(CURDIR)/$(BUILD)/deps/msvc-x86_64
msvc = -DGALLOC_BUILD_TESTS=ON \
  -DCMAKE_TOOLCHAIN_FILE=$(CURDIR)/cmake/toolchain-x86_64-pc-windows-msvc.cmake \
  -DGALLOC_MSVC_PREFIX=$(MSVC_PREFIX) \
  "-DCMAKE_CROSSCOMPILING_EMULATOR=$(CURDIR)/scripts/wine-run.sh;--path;$(MSVC_PREFIX)/bin"

windows-msvc-build:
	@scripts/ensure-packages.sh $(MSVC_PACKAGES) wine wine64 dpkg-dev xz-utils
	scripts/deps.sh msvc-x86_64 $(MSVC_PREFIX)
	@# (CMake does not know that programs depend on the start-up library:
	@# start afresh when it is newer than a build tree.)
	@for dir in $(BUILD)/windows-msvc $(BUILD)/windows-msvc-noclang; do \
	  if [ $(MSVC_PREFIX)/lib/galloc_msvc_crt.lib -nt $$dir/CMakeCache.txt ]; then \
	    rm -rf $$dir; fi; done
	$(call cmake_build,$(BUILD)/windows-msvc,$(msvc) -DGALLOC_MSVC_NO_CLANG=OFF)
	$(call cmake_build,$(BUILD)/windows-msvc-noclang,$(msvc) -DGALLOC_MSVC_NO_CLANG=ON)

windows-msvc: windows-msvc-build
	scripts/wine-run.sh --init
	$(call run_ctest,$(BUILD)/windows-msvc,windows-msvc-wine)
	$(call run_ctest,$(BUILD)/windows-msvc-noclang,windows-msvc-wine-noclang)

# ---------------------------------------------------------------------------
EXAMPLES := $(BUILD)/linux/examples
# The benchmark with its extra allocator columns.  jemalloc's module uses
# initial-exec TLS, which a dlopen'ed library may only have if glibc keeps
# some static TLS spare: the tunable asks for it.
BENCH_COLUMNS = GLIBC_TUNABLES=glibc.rtld.optional_static_tls=65536 \
  $(BUILD)/linux/bench/galloc_bench $$(cat $(BUILD)/linux/bench/galloc_bench_columns.txt)
PLUGIN   := $(EXAMPLES)/libexample_tour_plugin.so

# Prerequisites that must run in order (packages before configuring) are
# made one after the other, even under make -j.
demo: deps-linux
	@$(MAKE) --no-print-directory build
	@echo
	@echo "== 1. A plugin that allocates through galloc, in a host that chose nothing:"
	@echo "      the System allocator (examples/tour_plugin.c, examples/tour_host.c)"
	@$(EXAMPLES)/example_tour_system $(PLUGIN)
	@echo
	@echo "== 2. The same host with one line, GALLOC_GLOBAL_ALLOCATOR(counter):"
	@echo "      every allocation the plugin makes reaches the host's counter"
	@$(EXAMPLES)/example_tour_counting $(PLUGIN)
	@echo
	@echo "== 3. The same host linked with galloc::mimalloc_global, no line at all:"
	@echo "      mimalloc is the global allocator, in the plugin too"
	@if [ -x $(EXAMPLES)/example_tour_mimalloc ]; then \
	  $(EXAMPLES)/example_tour_mimalloc $(PLUGIN); \
	else echo "  (not built: mimalloc was not found)"; fi
	@echo
	@echo "== 4. SQLite, zlib and libuv, each through its own hook, all in one counting"
	@echo "      allocator (examples/libraries.c)"
	@if [ -x $(EXAMPLES)/example_libraries ]; then $(EXAMPLES)/example_libraries; \
	else echo "  (not built: SQLite, zlib or libuv was not found)"; fi
	@echo
	@echo "== 5. C++: GALLOC_GLOBAL_ALLOCATOR(tracer) + galloc::new_delete: std::vector,"
	@echo "      std::string, std::map, make_shared, new reach the tracer (examples/cxx.cpp)"
	@if [ -x $(EXAMPLES)/example_cxx ]; then $(EXAMPLES)/example_cxx; \
	else echo "  (not built: no C++ compiler was found)"; fi
	@echo
	@echo "== 6. Rust: the same counting host, and the tour's plugin written in Rust, whose"
	@echo "      one line is #[global_allocator] static GLOBAL: galloc::Global"
	@echo "      (examples/rust/tour_plugin.rs): its Vec, String, HashMap and Box, with"
	@echo "      Rust's layouts, reach the host's counter"
	@scripts/ensure-packages.sh $(RUST_PACKAGES)
	@$(MAKE) --no-print-directory demo-rust-build
	@$(BUILD)/rust/examples/example_tour_counting \
	  $(BUILD)/rust/examples/libexample_tour_rust_plugin.so
	@echo
	@echo "== 7. What it costs: bench/galloc_bench --quick, galloc vs the platform"
	@$(BENCH_COLUMNS) --quick 2>/dev/null

# make demo's Rust step: the tour host and the Rust plugin, in the Rust
# build tree (make check-rust's).
demo-rust-build:
	$(call cmake_build,$(BUILD)/rust,$(RUST_LINUX),example_tour_counting example_tour_rust_plugin)

# The full benchmark (a few minutes): every bar, Linux and Wine.  The
# figures in README.md come from here.
bench: deps
	$(MAKE) --no-print-directory build windows-build-x86_64
	@echo "== Linux ($$(uname -m)), $(BUILD)/linux/bench/galloc_bench --full =="
	$(BENCH_COLUMNS) --full
	scripts/wine-run.sh --init
	@echo "== Windows x86_64 under Wine: galloc_bench.exe --full =="
	scripts/wine-run.sh --path $(CURDIR)/$(BUILD)/deps/x86_64/bin \
	  $(BUILD)/windows-x86_64/bin/galloc_bench.exe --full

# P10 and P10b, the Rust rows (bench/rust), which need the Rust build tree
# (GALLOC_RUST, Debian's rustc and cargo); make bench's build has no Rust.
bench-rust:
	@scripts/ensure-packages.sh $(RUST_PACKAGES) cmake libuv1-dev pkg-config
	$(call cmake_build,$(BUILD)/rust,$(RUST_LINUX),galloc_bench)
	@echo "== Linux ($$(uname -m)), $(BUILD)/rust/bench/galloc_bench --full --only P10 =="
	$(BUILD)/rust/bench/galloc_bench --full --only P10

# The guide (README.md and docs/*.md) and the API reference from the header
# comments, with Doxygen; any warning is an error (docs/Doxyfile).  Its
# closing line is make test's docs leg.
DOC_PAGES = $(words README.md $(wildcard docs/*.md))
docs:
	@scripts/ensure-packages.sh doxygen
	@mkdir -p $(SUMMARY)
	doxygen docs/Doxyfile
	@echo "docs: $(DOC_PAGES) pages and the API reference, no Doxygen warning:" \
	  "$(BUILD)/docs/html/index.html" | tee $(SUMMARY)/docs.log

bench-instructions: deps-linux
	$(MAKE) --no-print-directory build
	bench/instructions.sh $(BUILD)/linux/bench/galloc_bench

# make test's legs, in order, each as TARGET=LOGS: the make target, and the
# summary logs it writes (build/summary/LOG.log).
TEST_LEGS := check=linux-gcc docs=docs check-preload=linux-preload check-valgrind=linux-valgrind \
             check-asan=linux-asan-ubsan check-tsan=linux-tsan check-musl=linux-musl \
             fuzz-short=linux-fuzz \
             install-check=installed-find-package,installed-pkg-config,subproject-fetchcontent \
             windows-x86_64=windows-x86_64-wine windows-i686=windows-i686-wine \
             windows-msvc=windows-msvc-wine,windows-msvc-wine-noclang \
             check-rust=rust check-rust-windows=rust-windows

# Each leg is timed (build/summary/TARGET.time); a failing leg ends the run
# with the summary of the legs so far.
test: deps
	@rm -rf $(SUMMARY) && mkdir -p $(SUMMARY)
	@for leg in $(TEST_LEGS); do \
	  target=$${leg%%=*}; start=$$(date +%s); \
	  $(MAKE) --no-print-directory $$target; status=$$?; \
	  echo $$(( $$(date +%s) - start )) > $(SUMMARY)/$$target.time; \
	  if [ $$status -ne 0 ]; then \
	    $(MAKE) --no-print-directory summary; \
	    echo "make test: leg $$target failed"; exit 1; \
	  fi; \
	done
	@$(MAKE) --no-print-directory summary

# One line per log: the leg's time (once per leg) and the closing line of
# its run.
summary:
	@echo
	@echo "galloc test summary                    time  result"
	@total=0; for leg in $(TEST_LEGS); do \
	  target=$${leg%%=*}; time=$$(cat $(SUMMARY)/$$target.time 2>/dev/null || echo -); \
	  case $$time in [0-9]*) total=$$((total + time)); time="$$time s";; esac; \
	  for log in $$(echo $${leg#*=} | tr , ' '); do \
	    [ -f $(SUMMARY)/$$log.log ] || continue; \
	    printf '  %-26s %10s  %s\n' "$$log" "$$time" \
	      "$$(grep -E 'tests passed|passed, [0-9]+ failed|compiled only|^(fuzz|docs): ' $(SUMMARY)/$$log.log | tail -n1)"; \
	    time=""; \
	  done; \
	done; \
	printf '  %-26s %8s s\n' "all legs" "$$total"

clean:
	rm -rf $(BUILD)
