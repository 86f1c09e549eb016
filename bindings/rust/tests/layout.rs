//! Rust's `Layout` and `galloc_layout` agree: the same layouts are valid,
//! and array, extend and pad_to_align compute the same numbers - on the
//! edge cases of tests/test_layout.c.  Rust before 1.64 allowed sizes up
//! to usize::MAX (rounded up to the alignment), galloc only up to
//! PTRDIFF_MAX: there Rust's layout is one galloc refuses, and allocating
//! it through galloc is a null pointer, never a wrong block.
#![deny(warnings, unsafe_op_in_unsafe_fn)]

use core::alloc::{GlobalAlloc, Layout};
use galloc::galloc_sys::{self, galloc_layout, GALLOC_EALIGN, GALLOC_ESIZE, GALLOC_OK};

const PMAX: usize = isize::MAX as usize;
const TOP_ALIGN: usize = PMAX + 1;

/// Whether this Rust caps layout sizes at isize::MAX (1.64 and later).
fn rust_caps_at_isize() -> bool {
    Layout::from_size_align(PMAX + 1, 1).is_err()
}

/// The size rounded up to align, if it fits usize.
fn padded(size: usize, align: usize) -> Option<usize> {
    size.checked_add(align - 1).map(|s| s & !(align - 1))
}

/// Whether a layout Rust accepted is one only Rust before 1.64 accepts.
fn beyond_isize(layout: Layout) -> bool {
    padded(layout.size(), layout.align()).map_or(true, |p| p > PMAX)
}

fn sizes() -> Vec<usize> {
    let mut sizes = vec![0, 1, 2, 3, 7, 8, 9, 15, 16, 17, 4095, 4096, 4097];
    for base in [PMAX, TOP_ALIGN, usize::MAX] {
        for delta in 0..17usize {
            sizes.push(base.wrapping_sub(delta));
        }
    }
    sizes.extend([PMAX - 4094, PMAX - 4095, PMAX - 4096, TOP_ALIGN + 1]);
    sizes
}

fn aligns() -> Vec<usize> {
    let mut aligns = vec![0, 3, 5, 6, 12, 48, 1000, usize::MAX, usize::MAX - 1, TOP_ALIGN + 1];
    for shift in 0..usize::BITS {
        aligns.push(1 << shift);
    }
    aligns
}

fn galloc_from_size_align(size: usize, align: usize) -> Result<galloc_layout, i32> {
    let mut out = galloc_layout { size: 0, align: 0 };
    // SAFETY: out is a valid place for the result.
    match unsafe { galloc_sys::galloc_layout_from_size_align(size, align, &mut out) } {
        GALLOC_OK => Ok(out),
        code => Err(code),
    }
}

/// Checks one (size, align): both accept with the same layout, or both
/// refuse with the reason galloc gives - or, on a Rust that allows sizes
/// past isize::MAX, Rust accepts what galloc refuses for its size, and
/// galloc then allocates nothing.
fn check_from_size_align(size: usize, align: usize) {
    let rust = Layout::from_size_align(size, align);
    let c = galloc_from_size_align(size, align);
    match (rust, c) {
        (Ok(r), Ok(g)) => {
            assert_eq!(galloc::layout_to_raw(r), g, "size {:#x} align {:#x}", size, align);
            assert_eq!(galloc::layout_from_raw(g), Ok(r));
        }
        (Err(_), Err(code)) => {
            let expected = if !align.is_power_of_two() { GALLOC_EALIGN } else { GALLOC_ESIZE };
            assert_eq!(code, expected, "size {:#x} align {:#x}", size, align);
        }
        (Ok(r), Err(code)) => {
            assert!(!rust_caps_at_isize(), "galloc refuses {:?} ({})", r, code);
            assert_eq!(code, GALLOC_ESIZE);
            assert!(padded(size, align).map_or(true, |p| p > PMAX));
            assert_eq!(galloc::layout_from_raw(galloc::layout_to_raw(r)), Err(galloc::Error(code)));
            // SAFETY: a valid Rust layout of non-zero size; null expected.
            let p = unsafe { galloc::Global.alloc(r) };
            assert!(p.is_null(), "galloc allocated {:?}", r);
        }
        (Err(_), Ok(g)) => panic!("galloc accepts {:?}, Rust does not", g),
    }
}

#[test]
fn from_size_align_agrees_on_every_edge_case() {
    for align in aligns() {
        for size in sizes() {
            check_from_size_align(size, align);
        }
    }
}

#[test]
fn the_largest_sizes_are_the_same() {
    // PTRDIFF_MAX only with align 1; PTRDIFF_MAX + 1 - align otherwise.
    for shift in 0..usize::BITS - 1 {
        let align = 1usize << shift;
        let largest = TOP_ALIGN - align;
        assert!(Layout::from_size_align(largest, align).is_ok());
        assert!(galloc_from_size_align(largest, align).is_ok());
        if rust_caps_at_isize() {
            assert!(Layout::from_size_align(largest + 1, align).is_err());
        }
        assert_eq!(galloc_from_size_align(largest + 1, align), Err(GALLOC_ESIZE));
    }
    // The top bit as alignment: only size 0.
    assert!(Layout::from_size_align(0, TOP_ALIGN).is_ok());
    assert!(galloc_from_size_align(0, TOP_ALIGN).is_ok());
    assert_eq!(galloc_from_size_align(1, TOP_ALIGN), Err(GALLOC_ESIZE));
}

fn galloc_array(elem: galloc_layout, n: usize) -> Result<galloc_layout, i32> {
    let mut out = galloc_layout { size: 0, align: 0 };
    // SAFETY: out is a valid place for the result.
    match unsafe { galloc_sys::galloc_layout_array(elem, n, &mut out) } {
        GALLOC_OK => Ok(out),
        code => Err(code),
    }
}

/// Layout::array::<T>(n) and galloc_layout_array(layout of T, n).
fn check_array<T>(n: usize) {
    let elem = galloc::layout_to_raw(Layout::new::<T>());
    match (Layout::array::<T>(n), galloc_array(elem, n)) {
        (Ok(r), Ok(g)) => assert_eq!(galloc::layout_to_raw(r), g, "{:?} x {:#x}", elem, n),
        (Err(_), Err(_)) => {}
        (Ok(r), Err(code)) => {
            assert!(!rust_caps_at_isize(), "galloc refuses {:?} ({})", r, code);
            assert!(beyond_isize(r) && code == GALLOC_ESIZE, "{:?} ({})", r, code);
        }
        (Err(_), Ok(g)) => panic!("galloc accepts {:?} x {:#x} = {:?}", elem, n, g),
    }
}

#[repr(align(16))]
struct Align16(#[allow(dead_code)] [u8; 3]);
#[repr(align(4096))]
struct Align4096(#[allow(dead_code)] u8);

fn counts(elem_size: usize) -> Vec<usize> {
    let mut n = vec![0, 1, 2, 3, 1000, usize::MAX, usize::MAX - 1, PMAX, PMAX + 1];
    for limit in [PMAX, usize::MAX] {
        let q = limit / elem_size;
        n.extend([q - 1, q, q.wrapping_add(1)]);
    }
    n
}

#[test]
fn array_agrees() {
    for n in counts(1) {
        check_array::<u8>(n);
        check_array::<()>(n);
    }
    for n in counts(3) {
        check_array::<[u8; 3]>(n);
    }
    for n in counts(8) {
        check_array::<u64>(n);
    }
    for n in counts(16) {
        check_array::<Align16>(n);
    }
    for n in counts(4096) {
        check_array::<Align4096>(n);
    }
}

fn galloc_extend(base: galloc_layout, next: galloc_layout) -> Result<(galloc_layout, usize), i32> {
    let mut out = galloc_layout { size: 0, align: 0 };
    let mut offset = 0;
    // SAFETY: out and offset are valid places for the results.
    match unsafe { galloc_sys::galloc_layout_extend(base, next, &mut out, &mut offset) } {
        GALLOC_OK => Ok((out, offset)),
        code => Err(code),
    }
}

#[test]
fn extend_and_pad_to_align_agree() {
    let mut layouts = Vec::new();
    for align in [1, 2, 8, 16, 4096, TOP_ALIGN] {
        for size in [0, 1, 3, 8, 17, 4096, PMAX / 2, PMAX - 4095, PMAX - 15, PMAX] {
            if let Ok(l) = Layout::from_size_align(size, align) {
                if padded(size, align).map_or(false, |p| p <= PMAX) {
                    layouts.push(l);
                }
            }
        }
    }
    for base in &layouts {
        let raw = galloc::layout_to_raw(*base);
        // SAFETY: the function reads only its argument.
        let padded_raw = unsafe { galloc_sys::galloc_layout_pad_to_align(raw) };
        assert_eq!(galloc::layout_to_raw(base.pad_to_align()), padded_raw, "pad {:?}", base);
        for next in &layouts {
            let g = galloc_extend(raw, galloc::layout_to_raw(*next));
            match (base.extend(*next), g) {
                (Ok((r, ro)), Ok((g, go))) => {
                    assert_eq!((galloc::layout_to_raw(r), ro), (g, go), "{:?} + {:?}", base, next)
                }
                (Err(_), Err(_)) => {}
                (Ok((r, _)), Err(code)) => {
                    assert!(!rust_caps_at_isize(), "galloc refuses {:?} ({})", r, code);
                    assert!(beyond_isize(r) && code == GALLOC_ESIZE, "{:?} ({})", r, code);
                }
                (Err(_), Ok(g)) => panic!("galloc accepts {:?} + {:?} = {:?}", base, next, g),
            }
        }
    }
}

#[test]
fn errors_read_as_galloc_strerror_says() {
    assert_eq!(
        galloc::layout_from_raw(galloc_layout { size: 1, align: 3 }),
        Err(galloc::Error(GALLOC_EALIGN))
    );
    assert_eq!(galloc::Error(GALLOC_EALIGN).to_string(), "alignment is not a power of two");
    assert_eq!(galloc::Error(99).to_string(), "unknown galloc error");
}
