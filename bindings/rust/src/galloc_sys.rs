//! The raw C API of `include/galloc.h`, as it is: the types, the error
//! codes, and the functions, `unsafe` to call.  The safe layer is the rest
//! of the crate; read `galloc.h` for each function's contract.
//!
//! `size_t` is `usize` (Rust guarantees that `usize` is the size of a
//! pointer, which `size_t` is on every platform galloc supports) and `int`
//! is `i32`.
#![allow(non_camel_case_types)]
// The functions are galloc.h's, documented there.
#![allow(missing_docs)]

use core::ffi::c_void;

/// C's `char`, for the allocator's name.  (`core::ffi::c_char` came after
/// Rust 1.63; its signedness does not matter to a pointer.)
pub type c_char = u8;

/// C's `int` on every platform galloc supports.
pub type c_int = i32;

/// `galloc_layout`: the size and alignment of a block, field for field the
/// same as Rust's `Layout` (see [`crate::layout_to_raw`]).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct galloc_layout {
    /// Bytes; 0 is allowed and allocates nothing.
    pub size: usize,
    /// A power of two.
    pub align: usize,
}

/// `galloc_allocator::alloc` (and `alloc_zeroed`).
pub type galloc_alloc_fn =
    unsafe extern "C" fn(this: *const galloc_allocator, layout: galloc_layout) -> *mut c_void;
/// `galloc_allocator::dealloc`.
pub type galloc_dealloc_fn =
    unsafe extern "C" fn(this: *const galloc_allocator, ptr: *mut c_void, layout: galloc_layout);
/// `galloc_allocator::realloc`.
pub type galloc_realloc_fn = unsafe extern "C" fn(
    this: *const galloc_allocator,
    ptr: *mut c_void,
    layout: galloc_layout,
    new_size: usize,
) -> *mut c_void;

/// `galloc_allocator`: a table of functions and a name, embedded as the
/// first member of a larger struct by stateful allocators.  Every field is
/// an `Option` because it is read from C; `alloc` and `dealloc` are
/// required there.
#[repr(C)]
#[derive(Debug)]
pub struct galloc_allocator {
    /// Required.
    pub alloc: Option<galloc_alloc_fn>,
    /// Required.
    pub dealloc: Option<galloc_dealloc_fn>,
    /// Optional: galloc's front end uses alloc + memset without it.
    pub alloc_zeroed: Option<galloc_alloc_fn>,
    /// Optional: galloc's front end uses alloc + copy + dealloc without it.
    pub realloc: Option<galloc_realloc_fn>,
    /// A NUL-terminated name for messages, or null.
    pub name: *const c_char,
}

// SAFETY: galloc.h requires every allocator to be thread-safe, and the
// table itself is never written once built (galloc only reads it).
unsafe impl Sync for galloc_allocator {}

/// Success.
pub const GALLOC_OK: c_int = 0;
/// The alignment is 0 or not a power of two.
pub const GALLOC_EALIGN: c_int = 1;
/// The size, rounded up to the alignment, exceeds `PTRDIFF_MAX`.
pub const GALLOC_ESIZE: c_int = 2;
/// Computing an array's size overflowed `size_t`.
pub const GALLOC_EOVERFLOW: c_int = 3;
/// A required output pointer was null.
pub const GALLOC_ENULL: c_int = 4;

extern "C" {
    /// The System allocator.
    pub static galloc_system: galloc_allocator;

    pub fn galloc_strerror(code: c_int) -> *const c_char;
    pub fn galloc_layout_validate(layout: galloc_layout) -> c_int;
    pub fn galloc_layout_from_size_align(size: usize, align: usize, out: *mut galloc_layout)
        -> c_int;
    pub fn galloc_layout_array(elem: galloc_layout, n: usize, out: *mut galloc_layout) -> c_int;
    pub fn galloc_layout_extend(
        base: galloc_layout,
        next: galloc_layout,
        out: *mut galloc_layout,
        offset: *mut usize,
    ) -> c_int;
    pub fn galloc_layout_pad_to_align(layout: galloc_layout) -> galloc_layout;

    pub fn galloc_global() -> *const galloc_allocator;

    pub fn galloc_alloc(layout: galloc_layout) -> *mut c_void;
    pub fn galloc_alloc_zeroed(layout: galloc_layout) -> *mut c_void;
    pub fn galloc_dealloc(ptr: *mut c_void, layout: galloc_layout);
    pub fn galloc_realloc(ptr: *mut c_void, layout: galloc_layout, new_size: usize)
        -> *mut c_void;

    pub fn galloc_allocator_alloc(
        allocator: *const galloc_allocator,
        layout: galloc_layout,
    ) -> *mut c_void;
    pub fn galloc_allocator_alloc_zeroed(
        allocator: *const galloc_allocator,
        layout: galloc_layout,
    ) -> *mut c_void;
    pub fn galloc_allocator_dealloc(
        allocator: *const galloc_allocator,
        ptr: *mut c_void,
        layout: galloc_layout,
    );
    pub fn galloc_allocator_realloc(
        allocator: *const galloc_allocator,
        ptr: *mut c_void,
        layout: galloc_layout,
        new_size: usize,
    ) -> *mut c_void;

    pub fn galloc_handle_alloc_error(layout: galloc_layout) -> !;
}
