#!/bin/sh
# deps.sh TARGET PREFIX - builds CMocka and libuv (and, but in MSVC mode,
# zlib, SQLite and Lua) for TARGET from Debian's own source packages and
# installs them into PREFIX.  TARGET is x86_64 or i686
# (Windows, cross-built with mingw-w64's GCC), msvc-x86_64 (Windows in MSVC
# mode: clang-cl and lld-link over mingw-w64's headers and import
# libraries, see cmake/toolchain-x86_64-pc-windows-msvc.cmake) or musl
# (Linux with musl libc, built with musl-tools' musl-gcc).  A package
# already installed there (same Debian version) is reused, so only the
# first run pays.
#
# For msvc-x86_64, PREFIX/lib first gets what MSVC's own installation would
# provide: mingw-w64's import libraries under MSVC's names (kernel32.lib for
# libkernel32.a; lld-link looks for those names only), and the start-up
# library cmake/msvc-crt (galloc_msvc_crt.lib), rebuilt when its sources
# change.
#
# The sources come from `apt-get source`, which needs a deb-src entry.  Rather
# than editing the machine's apt sources, this script gives apt a private
# configuration under build/apt: a sources.list with the machine's own Debian
# mirror and release as deb-src, and its own lists and cache directories.
set -eu

target=$1
prefix=$2
top=$(cd "$(dirname "$0")/.." && pwd)
work=$top/build/deps
apt_dir=$top/build/apt
jobs=$(nproc 2>/dev/null || echo 2)

# Each target's toolchain file, the name its builds are known by, and the
# options its libraries are built with.
case $target in
    x86_64|i686)
        toolchain=$top/cmake/toolchain-$target-w64-mingw32.cmake
        triple=$target-w64-mingw32
        # -static-libgcc: the DLLs must not need libgcc_s_*.dll at run time.
        target_options="-DCMAKE_SHARED_LINKER_FLAGS=-static-libgcc
                        -DCMAKE_EXE_LINKER_FLAGS=-static-libgcc"
        ;;
    msvc-x86_64)
        toolchain=$top/cmake/toolchain-x86_64-pc-windows-msvc.cmake
        triple=x86_64-pc-windows-msvc
        target_options="-DGALLOC_MSVC_PREFIX=$prefix"
        ;;
    musl)
        toolchain=$top/cmake/toolchain-x86_64-linux-musl.cmake
        triple=x86_64-linux-musl
        target_options=""
        ;;
    *)
        echo "deps.sh: unknown target '$target' (x86_64, i686, msvc-x86_64 or musl)" >&2
        exit 2
        ;;
esac

# The machine's Debian mirror and release, read from its apt configuration.
mirror() {
    uri=$(grep -hs '^URIs:' /etc/apt/sources.list.d/*.sources |
          awk '{print $2}' | grep -m1 '/debian/*$' || true)
    [ -n "$uri" ] || uri=$(grep -hs '^deb ' /etc/apt/sources.list |
          awk '{print $2}' | grep -m1 '/debian/*$' || true)
    echo "${uri:-http://deb.debian.org/debian}"
}
codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")

APT="apt-get -q -o Dir::Etc::SourceList=$apt_dir/sources.list \
     -o Dir::Etc::SourceParts=/dev/null -o Dir::State::Lists=$apt_dir/lists \
     -o Dir::Cache=$apt_dir/cache -o APT::Sandbox::User=root"

apt_ready=no
prepare_apt() {
    [ "$apt_ready" = yes ] && return
    mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial"
    echo "deb-src $(mirror) $codename main" > "$apt_dir/sources.list"
    echo "galloc: fetching the source package index ($(cat "$apt_dir/sources.list"))"
    $APT update >/dev/null
    apt_ready=yes
}

# build_dep NAME SOURCE CMAKE_OPTIONS...: SOURCE is a Debian source
# package, or a directory of this tree (then its version is a checksum of
# its files, so an edit rebuilds it).  A Debian package that has no CMake
# build of its own (SQLite, Lua) is built by this tree's cmake/deps/NAME,
# given the unpacked source as GALLOC_DEP_SOURCE; an edit of that recipe
# rebuilds it too.
build_dep() {
    name=$1 srcpkg=$2
    shift 2
    mkdir -p "$work/src" "$prefix"
    stamp=$prefix/.$name-installed
    recipe=$top/cmake/deps/$name
    if [ -d "$srcpkg" ]; then
        srcdir=$srcpkg
        version="$name-$(cat "$srcdir"/* "$toolchain" | cksum | cut -d' ' -f1)"
        suffix=""
    else
        srcdir=""
        version=""
        [ -d "$recipe" ] && suffix="+recipe-$(cat "$recipe"/* | cksum | cut -d' ' -f1)" || suffix=""
    fi
    if [ -f "$stamp" ] && { [ -z "$version" ] || [ "$(cat "$stamp")" = "$version" ]; } &&
       case "$(cat "$stamp")" in *"${suffix:-}") true ;; *) false ;; esac; then
        echo "galloc: $name for $target: reusing $(cat "$stamp") in $prefix"
        return
    fi
    if [ -z "$srcdir" ]; then
        prepare_apt
        srcdir=$(find "$work/src" -maxdepth 1 -type d -name "$srcpkg-[0-9]*" | head -n1)
        if [ -z "$srcdir" ]; then
            echo "galloc: apt-get source $srcpkg"
            (cd "$work/src" && $APT source "$srcpkg" >/dev/null)
            srcdir=$(find "$work/src" -maxdepth 1 -type d -name "$srcpkg-[0-9]*" | head -n1)
        fi
        version=$(basename "$srcdir")$suffix
        if [ -n "$suffix" ]; then
            set -- "-DGALLOC_DEP_SOURCE=$srcdir" "$@"
            srcdir=$recipe
        fi
    fi
    echo "galloc: building $version for $triple"
    # (What was linked with an older start-up library is rebuilt too.)
    [ "$name" = msvc-crt ] && rm -f "$prefix"/.*-installed
    bdir=$work/build-$name-$target
    rm -rf "$bdir"
    # shellcheck disable=SC2086 # the target's options are separate words
    cmake -S "$srcdir" -B "$bdir" -DCMAKE_TOOLCHAIN_FILE="$toolchain" \
          -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX="$prefix" \
          $target_options "$@" \
          > "$bdir.log" 2>&1 &&
    cmake --build "$bdir" -j"$jobs" >> "$bdir.log" 2>&1 &&
    cmake --install "$bdir" >> "$bdir.log" 2>&1 || {
        echo "galloc: building $version failed; the log:" >&2
        tail -n 40 "$bdir.log" >&2
        exit 1
    }
    echo "$version" > "$stamp"
}

if [ "$target" = msvc-x86_64 ]; then
    mkdir -p "$prefix/lib"
    for lib in /usr/x86_64-w64-mingw32/lib/lib*.a; do
        name=$(basename "$lib" .a)
        ln -sf "$lib" "$prefix/lib/${name#lib}.lib"
    done
    build_dep msvc-crt "$top/cmake/msvc-crt" -DGALLOC_MSVC_CRT_BOOTSTRAP=ON
fi
build_dep cmocka cmocka -DWITH_EXAMPLES=OFF -DUNIT_TESTING=OFF
build_dep libuv libuv1 -DLIBUV_BUILD_TESTS=OFF -DLIBUV_BUILD_BENCH=OFF
# The libraries of the adapters that are proven on Windows and musl too
# (galloc/zlib.h, galloc/sqlite3.h, galloc/lua.h); not for MSVC mode.
if [ "$target" != msvc-x86_64 ]; then
    build_dep zlib zlib
    build_dep sqlite3 sqlite3
    build_dep lua lua5.4
fi
