#!/bin/sh
# mutate.sh [TEXT...] - plants bugs, one at a time, and checks that the
# suite catches every one (make mutate).
#
# The bugs are listed in tests/mutations.txt.  Each is one or more edits,
# each replacing an exact piece of a source file (present exactly once; @@
# stands for a line break) with a broken one, and says where it must be
# caught: `linux` (the gcc build's whole CTest suite), `valgrind` (that
# build's Valgrind leg), `musl` (the musl-gcc build's suite, as make
# check-musl runs it), `rust` (the Rust tests, as make check-rust runs
# them: Debian's rustc and cargo), `rust-windows` (the same for x86_64
# Windows under Wine, as make check-rust-windows), `windows` (the x86_64 mingw-w64 build's
# suite under Wine) or `windows-i686` (the i686 build's, under the 32-bit Wine:
# for bugs only Win32 can show, such as its 8-byte heap alignment; without
# wine32:i386 such a bug is not run, and the run fails saying so).  The
# work is done in a scratch copy of the tree,
# build/mutate/tree (the working tree as it is, uncommitted changes
# included), with build trees of its own that are rebuilt incrementally
# after each bug and again after its files are put back.  First the
# unchanged suite must pass, or every bug would look caught.  A bug whose
# text is not found, or that does not build, is an error of the list, not a
# catch.  With TEXTs, only the bugs whose names contain one of them are
# planted.
#
# Ends with one line, e.g. "mutate: 27/27 planted bugs caught (linux 22/22,
# valgrind 1/1, musl 2/2, windows 1/1, windows-i686 1/1)", and fails unless
# every bug was caught.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
list=$top/tests/mutations.txt
work=$top/build/mutate
tree=$work/tree
jobs=$(nproc 2>/dev/null || echo 2)
log=$work/mutate.log

# The scratch tree: every file git knows of, as it is in the working tree;
# and a pristine copy, which puts each planted file back.
pristine=$work/pristine
rm -rf "$tree" "$pristine"
mkdir -p "$tree" "$pristine"
(cd "$top" && git ls-files -z | tar --null -T - -cf -) | tar -xf - -C "$pristine"
cp -R "$pristine/." "$tree"
: > "$log"

configured=""
rust_tools="-DGALLOC_RUST=ON -DGALLOC_CARGO=/usr/bin/cargo -DGALLOC_RUSTC=/usr/bin/rustc
    -DGALLOC_RUSTDOC=/usr/bin/rustdoc"
# build WHERE: configures (once) and builds the scratch tree for WHERE
# (the Valgrind runs use the gcc build; the Rust ones build only the Rust
# tests, which are all they run).
build() {
    [ "$1" = valgrind ] && set -- linux
    dir=$work/$1
    target=""
    case "$1" in rust|rust-windows) target="--target galloc_rust_tests" ;; esac
    case " $configured " in
        *" $1 "*) ;;
        *)
            rust=""
            [ "$1" = rust-windows ] && rust=$rust_tools
            if [ "$1" = windows ] || [ "$1" = windows-i686 ] || [ "$1" = rust-windows ]; then
                arch=x86_64
                [ "$1" = windows-i686 ] && arch=i686
                deps=$top/build/deps/$arch
                "$top/scripts/deps.sh" "$arch" "$deps" >> "$log" 2>&1
                cmake -S "$tree" -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
                    -DGALLOC_BUILD_TESTS=ON \
                    "-DCMAKE_TOOLCHAIN_FILE=$tree/cmake/toolchain-$arch-w64-mingw32.cmake" \
                    "-DGALLOC_MINGW_PREFIX=$deps" \
                    "-DCMAKE_CROSSCOMPILING_EMULATOR=$top/scripts/wine-run.sh;--path;$deps/bin" \
                    $rust >> "$log" 2>&1
                "$top/scripts/wine-run.sh" --init
            elif [ "$1" = rust ]; then
                "$top/scripts/ensure-packages.sh" rustc cargo >> "$log" 2>&1
                cmake -S "$tree" -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
                    -DCMAKE_C_COMPILER=gcc $rust_tools >> "$log" 2>&1
            elif [ "$1" = musl ]; then
                deps=$top/build/deps/musl
                "$top/scripts/deps.sh" musl "$deps" >> "$log" 2>&1
                cmake -S "$tree" -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
                    "-DCMAKE_TOOLCHAIN_FILE=$tree/cmake/toolchain-x86_64-linux-musl.cmake" \
                    "-DCMAKE_PREFIX_PATH=$deps" >> "$log" 2>&1
            else
                cmake -S "$tree" -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
                    -DCMAKE_C_COMPILER=gcc >> "$log" 2>&1
            fi
            configured="$configured $1"
            ;;
    esac
    cmake --build "$dir" -j"$jobs" $target >> "$log" 2>&1
}

# suite WHERE: the whole suite of that build (for valgrind: the gcc
# build's Valgrind leg, as make check-valgrind runs it); its status.  A bug
# may make a test hang: each test gets a few times what the slowest takes
# unchanged (gcc: seconds; Valgrind: under a minute; Wine: under 20 s).
suite() {
    case "$1" in
        valgrind)
            (cd "$work/linux" && GALLOC_VALGRIND=1 GALLOC_STRESS_OPS=2500 \
                ctest -j"$jobs" --timeout 300 --no-tests=error -L '^valgrind$') >> "$log" 2>&1 ;;
        windows|windows-i686)
            (cd "$work/$1" && ctest -j"$jobs" --timeout 90 --no-tests=error) >> "$log" 2>&1 ;;
        rust|rust-windows)
            (cd "$work/$1" && ctest -j"$jobs" --timeout 120 --no-tests=error -L rust) \
                >> "$log" 2>&1 ;;
        musl)
            (cd "$work/musl" && ctest -j"$jobs" --timeout 60 --no-tests=error) >> "$log" 2>&1 ;;
        *)
            (cd "$work/linux" && ctest -j"$jobs" --timeout 60 --no-tests=error) >> "$log" 2>&1 ;;
    esac
}

# plant FILE: replaces $from by $to in the scratch tree's FILE; false unless
# $from is there exactly once.
plant() {
    FROM=$from TO=$to perl -0777 -i -ne '
        my ($f, $t) = ($ENV{FROM}, $ENV{TO});
        s/@@/\n/g for $f, $t; # the list writes a line break as @@
        my $n = () = /\Q$f\E/g;
        if ($n != 1) { print; exit 3 }
        s/\Q$f\E/$t/; print' "$tree/$1"
}

export GALLOC_WINEPREFIX="$top/build/wine"

# The bugs, parsed into files under $parsed: N.name, N.where, N.why, and
# for each edit K of bug N (a `from` starts one) N.K.file, N.K.from, N.K.to.
parsed=$work/parsed
rm -rf "$parsed"
mkdir -p "$parsed"
n=0 k=0 file=""
while IFS= read -r line || [ -n "$line" ]; do
    case "$line" in
        "@ "*) n=$((n + 1)); k=0; printf '%s' "${line#@ }" > "$parsed/$n.name" ;;
        "where "*) printf '%s' "${line#where }" > "$parsed/$n.where" ;;
        "file "*) file=${line#file } ;;
        "from "*) k=$((k + 1)); printf '%s' "$file" > "$parsed/$n.$k.file"
                  printf '%s' "${line#from }" > "$parsed/$n.$k.from" ;;
        "to "*) printf '%s' "${line#to }" > "$parsed/$n.$k.to" ;;
        "why "*) printf '%s' "${line#why }" > "$parsed/$n.why" ;;
    esac
done < "$list"

wanted() {
    [ $# -eq 0 ] && return 0
    for w in "$@"; do
        case "$name" in *"$w"*) return 0 ;; esac
    done
    return 1
}

planted=0 caught=0 errors=0 not_run=0
linux_planted=0 linux_caught=0 valgrind_planted=0 valgrind_caught=0
musl_planted=0 musl_caught=0 rust_planted=0 rust_caught=0 rust_windows_planted=0 rust_windows_caught=0 windows_planted=0 windows_caught=0
windows_i686_planted=0 windows_i686_caught=0
baseline=""
i=0
while [ $i -lt $n ]; do
    i=$((i + 1))
    name=$(cat "$parsed/$i.name")
    wanted "$@" || continue
    where=$(cat "$parsed/$i.where")
    # (The counters' names: no hyphen in a shell variable.)
    counter=$(echo "$where" | tr - _)
    if [ "$where" = windows-i686 ] && ! "$top/scripts/wine-run.sh" --has-32bit; then
        printf '%-60s NOT RUN: no 32-bit Wine here (wine32:i386)\n' "$name ($where)"
        not_run=$((not_run + 1))
        continue
    fi
    case " $baseline " in
        *" $where "*) ;;
        *)
            echo "== the unchanged suite ($where)"
            if ! build "$where" || ! suite "$where"; then
                echo "mutate: the unchanged $where suite does not pass; see $log" >&2
                exit 1
            fi
            baseline="$baseline $where"
            ;;
    esac
    printf '%-60s ' "$name ($where)"
    echo "== $name" >> "$log"
    # Every edit of the bug, each text found exactly once.
    applied=yes files=""
    k=0
    while [ -e "$parsed/$i.$((k + 1)).from" ]; do
        k=$((k + 1))
        file=$(cat "$parsed/$i.$k.file")
        from=$(cat "$parsed/$i.$k.from")
        to=$(cat "$parsed/$i.$k.to")
        files="$files $file"
        plant "$file" || { applied=no; break; }
    done
    if [ $k -eq 0 ] || [ $applied = no ]; then
        echo "ERROR: an edit's text is not in its file exactly once"
        errors=$((errors + 1))
    else
        planted=$((planted + 1))
        eval "${counter}_planted=\$((${counter}_planted + 1))"
        if ! build "$where"; then
            echo "ERROR: does not build"
            errors=$((errors + 1))
        elif suite "$where"; then
            echo "NOT CAUGHT: $(cat "$parsed/$i.why" 2>/dev/null || true)"
        else
            echo "caught"
            caught=$((caught + 1))
            eval "${counter}_caught=\$((${counter}_caught + 1))"
        fi
    fi
    for file in $files; do
        cp "$pristine/$file" "$tree/$file"
    done
done

# Leave the scratch builds as the tree is (the next run starts from there).
for where in $baseline; do
    build "$where" || true
done

line="mutate: $caught/$planted planted bugs caught (linux $linux_caught/$linux_planted, valgrind $valgrind_caught/$valgrind_planted, musl $musl_caught/$musl_planted, rust $rust_caught/$rust_planted, rust-windows $rust_windows_caught/$rust_windows_planted, windows $windows_caught/$windows_planted, windows-i686 $windows_i686_caught/$windows_i686_planted)"
[ $errors -gt 0 ] && line="$line, $errors broken entries in tests/mutations.txt"
[ $not_run -gt 0 ] && line="$line, $not_run not run (no 32-bit Wine)"
echo "$line"
[ $caught -eq $planted ] && [ $errors -eq 0 ] && [ $not_run -eq 0 ]
