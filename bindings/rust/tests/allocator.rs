//! Global, System and Allocator in a program without a galloc override
//! (galloc's global allocator is then System), Global being Rust's global
//! allocator too.
#![deny(warnings, unsafe_op_in_unsafe_fn)]

use core::alloc::{GlobalAlloc, Layout};
use galloc::galloc_sys;
use std::collections::HashMap;

#[global_allocator]
static GLOBAL: galloc::Global = galloc::Global;

/// alloc, alloc_zeroed and realloc (growing and shrinking) on `a` keep the
/// alignment and the data, for every alignment up to 64 KiB.
fn exercise(a: &dyn GlobalAlloc) {
    for shift in 0..=16 {
        let align = 1usize << shift;
        for size in [1, align / 2 + 1, align, 3 * align + 5, 100_000] {
            let layout = Layout::from_size_align(size, align).unwrap();
            // SAFETY: a valid layout of non-zero size, blocks used within
            // their sizes and released with their layouts.
            unsafe {
                let p = a.alloc(layout);
                assert!(!p.is_null());
                assert_eq!(p as usize % align, 0, "alloc {:?}", layout);
                p.write_bytes(0xA5, size);
                let z = a.alloc_zeroed(layout);
                assert!(!z.is_null());
                assert_eq!(z as usize % align, 0, "alloc_zeroed {:?}", layout);
                assert!(std::slice::from_raw_parts(z, size).iter().all(|&b| b == 0));
                a.dealloc(z, layout);

                let grown = a.realloc(p, layout, 2 * size + 7);
                assert!(!grown.is_null());
                assert_eq!(grown as usize % align, 0, "realloc {:?}", layout);
                assert!(std::slice::from_raw_parts(grown, size).iter().all(|&b| b == 0xA5));
                let grown_layout = Layout::from_size_align(2 * size + 7, align).unwrap();
                let shrunk = a.realloc(grown, grown_layout, size / 2 + 1);
                assert!(!shrunk.is_null());
                assert_eq!(shrunk as usize % align, 0);
                assert!(std::slice::from_raw_parts(shrunk, size / 2 + 1).iter().all(|&b| b == 0xA5));
                a.dealloc(shrunk, Layout::from_size_align(size / 2 + 1, align).unwrap());
            }
        }
    }
}

#[test]
fn global_keeps_alignment_and_data() {
    exercise(&galloc::Global);
}

#[test]
fn system_keeps_alignment_and_data() {
    exercise(&galloc::System);
}

#[test]
fn allocator_over_galloc_system_keeps_alignment_and_data() {
    exercise(&galloc::Allocator::system());
    exercise(&galloc::Allocator::global());
}

#[test]
fn without_an_override_the_global_allocator_is_system() {
    let global = galloc::Allocator::global();
    assert_eq!(global.name(), Some(&b"system"[..]));
    assert!(std::ptr::eq(global.as_raw(), galloc::Allocator::system().as_raw()));
}

#[test]
fn rust_collections_grow_through_global() {
    let mut v: Vec<u64> = Vec::new();
    let mut s = String::new();
    let mut m = HashMap::new();
    for i in 0..10_000u64 {
        v.push(i);
        s.push(char::from(b'a' + (i % 26) as u8));
        m.insert(i, i * 3);
    }
    assert_eq!(v.iter().sum::<u64>(), 10_000 * 9_999 / 2);
    assert_eq!(s.len(), 10_000);
    assert_eq!(m[&9_999], 29_997);
    let b = Box::new([7u8; 3000]);
    assert_eq!(b[2999], 7);
}

#[test]
fn blocks_cross_between_global_and_the_c_front_end() {
    let layout = Layout::from_size_align(40, 32).unwrap();
    // SAFETY: each block is released once, with its layout, by the other
    // side of the same allocator (galloc's global).
    unsafe {
        let from_rust = galloc::Global.alloc(layout);
        assert!(!from_rust.is_null());
        galloc_sys::galloc_dealloc(from_rust.cast(), galloc::layout_to_raw(layout));
        let from_c = galloc_sys::galloc_alloc(galloc::layout_to_raw(layout)) as *mut u8;
        assert!(!from_c.is_null());
        galloc::Global.dealloc(from_c, layout);
    }
}

#[test]
fn a_failed_allocation_is_null_and_the_old_block_stays() {
    let huge = Layout::from_size_align(isize::MAX as usize - 4095, 4096).unwrap();
    let small = Layout::from_size_align(64, 4096).unwrap();
    // SAFETY: valid layouts; the block is released with its layout.
    unsafe {
        assert!(galloc::Global.alloc(huge).is_null());
        assert!(galloc::System.alloc(huge).is_null());
        let p = galloc::Global.alloc(small);
        assert!(!p.is_null());
        p.write_bytes(0x5A, 64);
        assert!(galloc::Global.realloc(p, small, huge.size()).is_null());
        assert!(std::slice::from_raw_parts(p, 64).iter().all(|&b| b == 0x5A));
        galloc::Global.dealloc(p, small);
    }
}
