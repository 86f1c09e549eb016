//! A Rust library whose allocations all go through galloc's global
//! allocator, as a Rust library written for a galloc program does: one
//! line, `#[global_allocator] static GLOBAL: galloc::Global`.
//!
//! It exports tests/modules/plugin.h's functions - each a GlobalAlloc call
//! of galloc::Global - so that the linking matrix's hosts load it as they
//! load the C plugin, and `rust_grow_collections`, which grows a Vec, a
//! String, a Box and a HashMap with Rust's own layouts.
#![deny(warnings, unsafe_op_in_unsafe_fn)]

use core::alloc::{GlobalAlloc, Layout};
use galloc::galloc_sys;
use std::collections::HashMap;
use std::os::raw::{c_char, c_int};

#[global_allocator]
static GLOBAL: galloc::Global = galloc::Global;

/// The layout a host asks for; a host asking for an invalid one gets null.
fn layout(size: usize, align: usize) -> Option<Layout> {
    Layout::from_size_align(size, align).ok()
}

#[no_mangle]
pub extern "C" fn plugin_alloc(size: usize, align: usize) -> *mut u8 {
    // SAFETY: galloc::Global takes any valid layout, size 0 included.
    layout(size, align).map_or(core::ptr::null_mut(), |l| unsafe { GLOBAL.alloc(l) })
}

#[no_mangle]
pub extern "C" fn plugin_alloc_zeroed(size: usize, align: usize) -> *mut u8 {
    // SAFETY: as plugin_alloc.
    layout(size, align).map_or(core::ptr::null_mut(), |l| unsafe { GLOBAL.alloc_zeroed(l) })
}

/// # Safety
/// `ptr` is a block of galloc's global allocator with layout (size, align).
#[no_mangle]
pub unsafe extern "C" fn plugin_realloc(
    ptr: *mut u8,
    size: usize,
    align: usize,
    new_size: usize,
) -> *mut u8 {
    // SAFETY: the caller's promise.
    layout(size, align).map_or(core::ptr::null_mut(), |l| unsafe { GLOBAL.realloc(ptr, l, new_size) })
}

/// # Safety
/// `ptr` is a block of galloc's global allocator with layout (size, align).
#[no_mangle]
pub unsafe extern "C" fn plugin_dealloc(ptr: *mut u8, size: usize, align: usize) {
    if let Some(l) = layout(size, align) {
        // SAFETY: the caller's promise.
        unsafe { GLOBAL.dealloc(ptr, l) }
    }
}

#[no_mangle]
pub extern "C" fn plugin_global_name() -> *const c_char {
    // SAFETY: galloc_global() is never null and lives as long as the program.
    unsafe { (*galloc_sys::galloc_global()).name as *const c_char }
}

#[no_mangle]
pub extern "C" fn plugin_global_is_system() -> c_int {
    // SAFETY: reading two addresses.
    let system = unsafe { &galloc_sys::galloc_system as *const _ };
    // SAFETY: as plugin_global_name.
    (unsafe { galloc_sys::galloc_global() } == system) as c_int
}

#[repr(align(4096))]
struct Page([u64; 8]);

/// Grows a Vec<u64>, a String, a HashMap<u64, String> to n entries (and a
/// vec![0u8; n * 64] through alloc_zeroed, and a Box of a page-aligned
/// type), drops them all and returns a checksum of what they held.
#[no_mangle]
pub extern "C" fn rust_grow_collections(n: u64) -> u64 {
    let mut v: Vec<u64> = Vec::new();
    let mut s = String::new();
    let mut m: HashMap<u64, String> = HashMap::new();
    for i in 0..n {
        v.push(i);
        s.push(char::from(b'a' + (i % 26) as u8));
        m.insert(i, i.to_string());
    }
    let zeros = vec![0u8; n as usize * 64];
    let page = Box::new(Page([n; 8]));
    let aligned = (&*page as *const Page as usize % 4096 == 0) as u64;
    v.iter().sum::<u64>()
        + s.len() as u64
        + m.values().map(|t| t.len() as u64).sum::<u64>()
        + zeros.iter().map(|&b| b as u64).sum::<u64>()
        + page.0[7]
        + aligned
}
