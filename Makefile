# galloc - the two commands of the quick start, and the faster targets behind
# them.  Everything builds out of tree under build/.
#
#   make demo     install what is missing, build, run the examples
#   make test     install what is missing, build everything, run the suite:
#                 Linux (gcc and clang) and the Windows cross build
#
# Inner loop:
#   make check    Linux build + CTest only (gcc), nothing installed
#   make windows  the mingw-w64 cross builds only
#   make clean    remove build/

JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
BUILD_TYPE ?= RelWithDebInfo
BUILD      := build
CMAKE_GEN  := -DCMAKE_BUILD_TYPE=$(BUILD_TYPE)
CTEST      := ctest --output-on-failure --no-tests=error -j$(JOBS)

# Debian packages each part needs (gcc, make and git are assumed).
LINUX_PACKAGES   := cmake libcmocka-dev pkg-config clang g++
WINDOWS_PACKAGES := gcc-mingw-w64-x86-64 gcc-mingw-w64-i686 g++-mingw-w64-x86-64 \
                    g++-mingw-w64-i686 dpkg-dev xz-utils \
                    wine wine64

.PHONY: all demo test check deps deps-linux deps-windows build build-clang \
        check-clang windows install-check clean

all: build

# ---------------------------------------------------------------------------
deps-linux:
	@scripts/ensure-packages.sh $(LINUX_PACKAGES)

deps-windows:
	@scripts/ensure-packages.sh $(WINDOWS_PACKAGES)

deps: deps-linux deps-windows

# ---------------------------------------------------------------------------
$(BUILD)/linux/CMakeCache.txt:
	cmake -S . -B $(BUILD)/linux $(CMAKE_GEN) -DCMAKE_C_COMPILER=gcc \
	      -DCMAKE_INSTALL_PREFIX=$(CURDIR)/$(BUILD)/linux/install

build: $(BUILD)/linux/CMakeCache.txt
	cmake --build $(BUILD)/linux -j$(JOBS)

check: build
	cd $(BUILD)/linux && $(CTEST)

$(BUILD)/clang/CMakeCache.txt:
	cmake -S . -B $(BUILD)/clang $(CMAKE_GEN) -DCMAKE_C_COMPILER=clang \
	      -DGALLOC_BUILD_EXAMPLES=ON

build-clang: $(BUILD)/clang/CMakeCache.txt
	cmake --build $(BUILD)/clang -j$(JOBS)

check-clang: build-clang
	cd $(BUILD)/clang && $(CTEST)

# The installed package, used by an out-of-tree project through
# find_package(galloc CONFIG).
install-check: build
	rm -rf $(BUILD)/linux/install $(BUILD)/consumer
	cmake --install $(BUILD)/linux
	cmake -S tests/consumer -B $(BUILD)/consumer $(CMAKE_GEN) \
	      -DCMAKE_PREFIX_PATH=$(CURDIR)/$(BUILD)/linux/install
	cmake --build $(BUILD)/consumer -j$(JOBS)
	cd $(BUILD)/consumer && $(CTEST)

# ---------------------------------------------------------------------------
# Windows: cross-built with mingw-w64 (warnings as errors), CMocka and libuv
# built for it from Debian's source packages (scripts/windows-deps.sh, reused
# once built), and the whole suite run under Wine through CTest.
WINDOWS_ARCHS := x86_64 i686

windows: $(addprefix windows-,$(WINDOWS_ARCHS))

# Build one architecture: deps, configure, build.
windows-build-%:
	scripts/windows-deps.sh $* $(CURDIR)/$(BUILD)/deps/$*
	cmake -S . -B $(BUILD)/windows-$* $(CMAKE_GEN) -DGALLOC_BUILD_TESTS=ON \
	      -DCMAKE_TOOLCHAIN_FILE=$(CURDIR)/cmake/toolchain-$*-w64-mingw32.cmake \
	      -DGALLOC_MINGW_PREFIX=$(CURDIR)/$(BUILD)/deps/$* \
	      "-DCMAKE_CROSSCOMPILING_EMULATOR=$(CURDIR)/scripts/wine-run.sh;--path;$(CURDIR)/$(BUILD)/deps/$*/bin"
	cmake --build $(BUILD)/windows-$* -j$(JOBS)

# Build and run one architecture under Wine.  The Wine prefix is created
# first so that parallel tests do not race to create it.
windows-%: windows-build-%
	scripts/wine-run.sh --init
	cd $(BUILD)/windows-$* && $(CTEST)

# ---------------------------------------------------------------------------
demo: deps-linux build
	@echo
	@echo "== examples/system.c: no override, the System allocator =="
	@$(BUILD)/linux/examples/example_system
	@echo
	@echo "== examples/override.c: GALLOC_GLOBAL_ALLOCATOR(tracer) =="
	@$(BUILD)/linux/examples/example_override

test: deps
	$(MAKE) check
	$(MAKE) check-clang
	$(MAKE) install-check
	$(MAKE) windows
	@echo
	@echo "galloc: make test passed (Linux gcc + clang, installed package, Windows cross builds)"

clean:
	rm -rf $(BUILD)
