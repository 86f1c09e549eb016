//! galloc for Rust: the C program's global allocator for the Rust code in
//! it, and the other way round.
//!
//! A Rust library (a `staticlib` or `cdylib` in a C or C++ program, or an
//! `rlib` of a Rust one) sends every `Vec`, `Box`, `String` and `HashMap`
//! to galloc's global allocator, the one the executable chose with
//! `GALLOC_GLOBAL_ALLOCATOR`, with one line:
//!
//! ```
//! #[global_allocator]
//! static GLOBAL: galloc::Global = galloc::Global;
//! # fn main() { assert_eq!(vec![1u8, 2, 3].len(), 3); }
//! ```
//!
//! - [`Global`]: `GlobalAlloc` over `galloc_alloc`, `galloc_dealloc`,
//!   `galloc_alloc_zeroed` and `galloc_realloc`: the program's global
//!   allocator, override included.
//! - [`System`]: `GlobalAlloc` over `galloc_system`, the platform heap.
//! - [`Allocator`]: `GlobalAlloc` over any `&galloc_allocator`.
//! - [`from_global_alloc`]: the reverse direction, a `galloc_allocator`
//!   built from any Rust `GlobalAlloc` static, which
//!   [`galloc_global_allocator!`] makes the galloc override of a program
//!   whose `main` is in Rust.
//! - [`galloc_sys`]: the raw C API.
//!
//! Layouts pass through unchanged: Rust's `Layout` and `galloc_layout` are
//! the same two numbers with the same validity rule (the alignment a power
//! of two, the size rounded up to it at most `isize::MAX` = `PTRDIFF_MAX`).
//! Rust before 1.64 allowed sizes up to `usize::MAX`: galloc refuses those
//! layouts, so allocating one is a null pointer, which is what the
//! `GlobalAlloc` contract asks of an allocation that cannot be made.
#![no_std]
// (Warnings are errors in galloc's own builds, by -D warnings: a newer compiler's
// new lint must not break a user's build.)
#![deny(missing_docs, unsafe_op_in_unsafe_fn)]

#[cfg(feature = "std")]
extern crate std;

pub mod galloc_sys;

/// docs/rust.md, whose code blocks are this crate's doc-tests: what a
/// reader copies from it compiles and runs.
#[cfg(doctest)]
#[doc = include_str!("../../../docs/rust.md")]
pub struct DocsRustMd;

use core::alloc::{GlobalAlloc, Layout};
use core::ffi::c_void;
use core::fmt;

use galloc_sys::{c_char, galloc_allocator, galloc_layout};

/// Rust's `Layout` as galloc's: the same size and alignment.
#[inline]
pub const fn layout_to_raw(layout: Layout) -> galloc_layout {
    galloc_layout { size: layout.size(), align: layout.align() }
}

/// galloc's layout as Rust's, if galloc finds it valid
/// (`galloc_layout_validate`); a valid galloc layout is a valid Rust one.
pub fn layout_from_raw(raw: galloc_layout) -> Result<Layout, Error> {
    // SAFETY: the function reads only its argument.
    let code = unsafe { galloc_sys::galloc_layout_validate(raw) };
    if code != galloc_sys::GALLOC_OK {
        return Err(Error(code));
    }
    // SAFETY: galloc's rule is Rust's: a power-of-two alignment, and the
    // size rounded up to it at most PTRDIFF_MAX = isize::MAX.
    Ok(unsafe { Layout::from_size_align_unchecked(raw.size, raw.align) })
}

/// A galloc error code (`GALLOC_EALIGN`, `GALLOC_ESIZE`, ...), displayed
/// with `galloc_strerror`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Error(pub galloc_sys::c_int);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // SAFETY: galloc_strerror returns a static NUL-terminated ASCII
        // string for every code.
        let text = unsafe { c_string_bytes(galloc_sys::galloc_strerror(self.0)) };
        f.write_str(core::str::from_utf8(text).unwrap_or("galloc error"))
    }
}

#[cfg(feature = "std")]
impl std::error::Error for Error {}

/// The bytes of a NUL-terminated C string, without the NUL.
///
/// # Safety
/// `text` is a valid NUL-terminated string that lives for `'a`.
unsafe fn c_string_bytes<'a>(text: *const c_char) -> &'a [u8] {
    let mut len = 0;
    // SAFETY: the caller promises a NUL within the string.
    while unsafe { *text.add(len) } != 0 {
        len += 1;
    }
    // SAFETY: the len bytes before the NUL are the string's.
    unsafe { core::slice::from_raw_parts(text, len) }
}

/// The program's global allocator: galloc's front end (`galloc_alloc`,
/// `galloc_dealloc`, `galloc_alloc_zeroed`, `galloc_realloc`), which sends
/// every call to the executable's `GALLOC_GLOBAL_ALLOCATOR`, or to the
/// System allocator without one.  Blocks are interchangeable with C's:
/// a block allocated here can be released by C with `galloc_dealloc` and
/// the same layout, and the other way round.
///
/// Not for the allocator that *is* the galloc override (see
/// [`from_global_alloc`]): that would call itself.
#[derive(Clone, Copy, Debug, Default)]
pub struct Global;

// SAFETY (for the four functions): GlobalAlloc's callers promise a layout
// of non-zero size (for alloc, alloc_zeroed), a block this allocator
// returned with that layout (for dealloc, realloc), and a new_size that
// is non-zero and valid with the old alignment (for realloc).  galloc's
// front end asks no more than that, and gives what GlobalAlloc promises:
// a block aligned to layout.align() of at least layout.size() bytes, or
// null, with the old block left alone when realloc fails.
unsafe impl GlobalAlloc for Global {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: see above.
        unsafe { galloc_sys::galloc_alloc(layout_to_raw(layout)) as *mut u8 }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: ptr was allocated by galloc_alloc* with this layout.
        unsafe { galloc_sys::galloc_dealloc(ptr as *mut c_void, layout_to_raw(layout)) }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: see above.
        unsafe { galloc_sys::galloc_alloc_zeroed(layout_to_raw(layout)) as *mut u8 }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: ptr is a block of this allocator with this layout.
        unsafe {
            galloc_sys::galloc_realloc(ptr as *mut c_void, layout_to_raw(layout), new_size)
                as *mut u8
        }
    }
}

/// An explicit galloc allocator, as a Rust `GlobalAlloc`: any
/// `&galloc_allocator` - `galloc_system`, `galloc_global()`, a C allocator
/// object, one built with [`from_global_alloc`] - through galloc's front
/// end for allocator objects (`galloc_allocator_alloc` and the rest), so
/// the allocator sees only valid, non-zero layouts.
#[derive(Clone, Copy, Debug)]
pub struct Allocator<'a> {
    raw: &'a galloc_allocator,
}

impl<'a> Allocator<'a> {
    /// Wraps a galloc allocator.  It must keep galloc.h's allocator
    /// contract (a thread-safe table with `alloc` and `dealloc`); every
    /// allocator written against galloc.h does.
    pub const fn new(raw: &'a galloc_allocator) -> Self {
        Allocator { raw }
    }

    /// The galloc allocator itself.
    pub const fn as_raw(&self) -> &'a galloc_allocator {
        self.raw
    }

    /// Its name, without the NUL (`None` if it has none).
    pub fn name(&self) -> Option<&'a [u8]> {
        if self.raw.name.is_null() {
            return None;
        }
        // SAFETY: galloc.h: a non-null name is a NUL-terminated string as
        // long-lived as the allocator.
        Some(unsafe { c_string_bytes(self.raw.name) })
    }
}

impl Allocator<'static> {
    /// The program's global allocator, `galloc_global()`: the executable's
    /// override, or the System allocator.
    pub fn global() -> Self {
        // SAFETY: galloc_global() never returns null, and the allocator it
        // returns lives as long as the program.
        Allocator { raw: unsafe { &*galloc_sys::galloc_global() } }
    }

    /// The System allocator, `galloc_system`.
    pub fn system() -> Self {
        // SAFETY: galloc_system is an immutable static of the C library.
        Allocator { raw: unsafe { &galloc_sys::galloc_system } }
    }
}

// SAFETY: as for Global: the galloc_allocator_* front end asks what
// GlobalAlloc's callers promise, and keeps what GlobalAlloc promises.
unsafe impl GlobalAlloc for Allocator<'_> {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: see above.
        unsafe { galloc_sys::galloc_allocator_alloc(self.raw, layout_to_raw(layout)) as *mut u8 }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: ptr is a block of this allocator with this layout.
        unsafe {
            galloc_sys::galloc_allocator_dealloc(self.raw, ptr as *mut c_void, layout_to_raw(layout))
        }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: see above.
        unsafe {
            galloc_sys::galloc_allocator_alloc_zeroed(self.raw, layout_to_raw(layout)) as *mut u8
        }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: ptr is a block of this allocator with this layout.
        unsafe {
            galloc_sys::galloc_allocator_realloc(
                self.raw,
                ptr as *mut c_void,
                layout_to_raw(layout),
                new_size,
            ) as *mut u8
        }
    }
}

/// galloc's System allocator (`galloc_system`): `malloc`/`posix_memalign`
/// on Unix, the process heap on Windows, whatever the program's global
/// allocator is.  [`Allocator::system`] as a unit struct, for
/// `#[global_allocator]`.
#[derive(Clone, Copy, Debug, Default)]
pub struct System;

// SAFETY: System is Allocator::system(); see Allocator's implementation.
unsafe impl GlobalAlloc for System {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's promises are passed on unchanged.
        unsafe { Allocator::system().alloc(layout) }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller's promises are passed on unchanged.
        unsafe { Allocator::system().dealloc(ptr, layout) }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's promises are passed on unchanged.
        unsafe { Allocator::system().alloc_zeroed(layout) }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller's promises are passed on unchanged.
        unsafe { Allocator::system().realloc(ptr, layout, new_size) }
    }
}

/// A `galloc_allocator` made of a Rust `GlobalAlloc`: its table first
/// (`repr(C)`, so galloc's `self` pointer is this struct), then the Rust
/// allocator it calls.  Built by [`from_global_alloc`].
#[repr(C)]
#[derive(Debug)]
pub struct FromGlobalAlloc<A: 'static> {
    raw: galloc_allocator,
    inner: &'static A,
}

/// Makes a galloc allocator of a Rust allocator: galloc's calls become
/// `inner`'s, with the same layouts.  For a `static`, to be galloc's
/// global allocator ([`galloc_global_allocator!`]) or to be used by C
/// code through [`FromGlobalAlloc::as_raw`]:
///
/// ```
/// use std::alloc::System;
/// static OVERRIDE: galloc::FromGlobalAlloc<System> =
///     galloc::from_global_alloc(&System).named(b"rust system\0");
/// let raw = galloc::Allocator::new(OVERRIDE.as_raw());
/// assert_eq!(raw.name(), Some(&b"rust system"[..]));
/// ```
///
/// galloc's front end hands its allocators only what `GlobalAlloc` asks
/// for (a valid layout of non-zero size, a live block with its layout),
/// so any `GlobalAlloc` is a correct galloc allocator.  `inner` must not
/// allocate through galloc's global allocator itself when it is that
/// allocator (as [`Global`] does): it would call itself.
pub const fn from_global_alloc<A: GlobalAlloc>(inner: &'static A) -> FromGlobalAlloc<A> {
    FromGlobalAlloc {
        raw: galloc_allocator {
            alloc: Some(from_global_alloc_alloc::<A>),
            dealloc: Some(from_global_alloc_dealloc::<A>),
            alloc_zeroed: Some(from_global_alloc_alloc_zeroed::<A>),
            realloc: Some(from_global_alloc_realloc::<A>),
            name: core::ptr::null(),
        },
        inner,
    }
}

impl<A: GlobalAlloc> FromGlobalAlloc<A> {
    /// The same allocator with a name for galloc's messages: a
    /// NUL-terminated byte string such as `b"counting\0"` (checked when
    /// the static is compiled).
    pub const fn named(self, name: &'static [u8]) -> Self {
        assert!(!name.is_empty() && name[name.len() - 1] == 0, "the name must end with a NUL");
        FromGlobalAlloc { raw: galloc_allocator { name: name.as_ptr(), ..self.raw }, inner: self.inner }
    }

    /// The galloc allocator, for C (`galloc_allocator_alloc(...)`), for
    /// [`Allocator::new`], or for the override slot.
    pub const fn as_raw(&self) -> &galloc_allocator {
        &self.raw
    }
}

/// The Rust allocator behind galloc's `self`.
///
/// # Safety
/// `this` is the table of a live `FromGlobalAlloc<A>`: galloc passes back
/// the pointer it was given, which is the struct's first field.
unsafe fn inner_of<'a, A: GlobalAlloc + 'static>(this: *const galloc_allocator) -> &'a A {
    // SAFETY: repr(C) puts the table at the start of FromGlobalAlloc<A>.
    unsafe { (*(this as *const FromGlobalAlloc<A>)).inner }
}

/// galloc's layout, valid by galloc's allocator contract, as Rust's.
///
/// # Safety
/// `raw` is valid by galloc's rule (its front end checked it).
unsafe fn rust_layout(raw: galloc_layout) -> Layout {
    // SAFETY: galloc's validity rule is Rust's.
    unsafe { Layout::from_size_align_unchecked(raw.size, raw.align) }
}

// The four functions of the table.  galloc's contract for them (galloc.h):
// the layout is valid with a non-zero size, the block is one this
// allocator returned for that layout, new_size is non-zero and valid with
// the alignment - exactly the promises GlobalAlloc's methods need.
unsafe extern "C" fn from_global_alloc_alloc<A: GlobalAlloc + 'static>(
    this: *const galloc_allocator,
    layout: galloc_layout,
) -> *mut c_void {
    // SAFETY: galloc's contract above.
    unsafe { inner_of::<A>(this).alloc(rust_layout(layout)) as *mut c_void }
}

unsafe extern "C" fn from_global_alloc_dealloc<A: GlobalAlloc + 'static>(
    this: *const galloc_allocator,
    ptr: *mut c_void,
    layout: galloc_layout,
) {
    // SAFETY: galloc's contract above.
    unsafe { inner_of::<A>(this).dealloc(ptr as *mut u8, rust_layout(layout)) }
}

unsafe extern "C" fn from_global_alloc_alloc_zeroed<A: GlobalAlloc + 'static>(
    this: *const galloc_allocator,
    layout: galloc_layout,
) -> *mut c_void {
    // SAFETY: galloc's contract above.
    unsafe { inner_of::<A>(this).alloc_zeroed(rust_layout(layout)) as *mut c_void }
}

unsafe extern "C" fn from_global_alloc_realloc<A: GlobalAlloc + 'static>(
    this: *const galloc_allocator,
    ptr: *mut c_void,
    layout: galloc_layout,
    new_size: usize,
) -> *mut c_void {
    // SAFETY: galloc's contract above.
    unsafe {
        inner_of::<A>(this).realloc(ptr as *mut u8, rust_layout(layout), new_size) as *mut c_void
    }
}

/// Makes a [`FromGlobalAlloc`] static the galloc global allocator of the
/// program: the Rust counterpart of C's `GALLOC_GLOBAL_ALLOCATOR(x)`.  It
/// defines the symbol `galloc_global_allocator` that galloc looks for in
/// the executable, so it belongs in the crate of the executable, a `bin`
/// (galloc looks for the symbol in the executable only, so in a `cdylib`
/// it would be ignored, as C's is).
///
/// ```
/// use std::alloc::System;
/// static OVERRIDE: galloc::FromGlobalAlloc<System> =
///     galloc::from_global_alloc(&System).named(b"rust system\0");
/// galloc::galloc_global_allocator!(OVERRIDE);
/// # fn main() {}
/// ```
///
/// The executable must also export the symbol, which rustc does not do by
/// itself: on ELF platforms for libraries that embed galloc statically and
/// are loaded at run time (link with
/// `-Wl,--export-dynamic-symbol=galloc_global_allocator`), and on Windows
/// for galloc to find it at all (galloc reads the executable's export
/// table; with the GNU toolchain a module-definition file does it).  The
/// program's build script says so; see docs/rust.md for its lines.
#[macro_export]
macro_rules! galloc_global_allocator {
    ($allocator:path) => {
        #[no_mangle]
        #[used]
        #[allow(non_upper_case_globals)]
        pub static galloc_global_allocator: &'static $crate::galloc_sys::galloc_allocator =
            $allocator.as_raw();
    };
}
