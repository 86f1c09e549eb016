#!/bin/sh
# deps.sh TARGET PREFIX - builds CMocka and libuv for TARGET from Debian's own
# source packages and installs them into PREFIX.  TARGET is x86_64 or i686
# (Windows, cross-built with mingw-w64) or musl (Linux with musl libc, built
# with musl-tools' musl-gcc).  A package already installed there (same
# Debian version) is reused, so only the first run pays.
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
    musl)
        toolchain=$top/cmake/toolchain-x86_64-linux-musl.cmake
        triple=x86_64-linux-musl
        target_options=""
        ;;
    *)
        echo "deps.sh: unknown target '$target' (x86_64, i686 or musl)" >&2
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

# build_dep NAME SOURCE_PACKAGE CMAKE_OPTIONS... (and the target's own)
build_dep() {
    name=$1 srcpkg=$2
    shift 2
    mkdir -p "$work/src" "$prefix"
    stamp=$prefix/.$name-installed
    if [ -f "$stamp" ]; then
        echo "galloc: $name for $target: reusing $(cat "$stamp") in $prefix"
        return
    fi
    prepare_apt
    srcdir=$(find "$work/src" -maxdepth 1 -type d -name "$srcpkg-[0-9]*" | head -n1)
    if [ -z "$srcdir" ]; then
        echo "galloc: apt-get source $srcpkg"
        (cd "$work/src" && $APT source "$srcpkg" >/dev/null)
        srcdir=$(find "$work/src" -maxdepth 1 -type d -name "$srcpkg-[0-9]*" | head -n1)
    fi
    version=$(basename "$srcdir")
    echo "galloc: building $version for $triple"
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

build_dep cmocka cmocka -DWITH_EXAMPLES=OFF -DUNIT_TESTING=OFF
build_dep libuv libuv1 -DLIBUV_BUILD_TESTS=OFF -DLIBUV_BUILD_BENCH=OFF
