//! A program whose main is in Rust and whose galloc override is a Rust
//! allocator (from_global_alloc + galloc_global_allocator!, and the export
//! of build.rs): plugins it loads at run time (dlopen, LoadLibrary) that
//! embed galloc statically - the C plugin of the linking matrix and the
//! Rust cdylib of this package - reach it, and blocks cross between them
//! and the program.
//!
//! usage: rust_main_override PLUGIN_PATH...
#![deny(warnings, unsafe_op_in_unsafe_fn)]

use core::alloc::{GlobalAlloc, Layout};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Counts every call, and forwards to Rust's own System allocator.
struct Counting {
    allocs: AtomicUsize,
    zeroed: AtomicUsize,
    reallocs: AtomicUsize,
    deallocs: AtomicUsize,
}

// SAFETY: forwards every call, unchanged, to std::alloc::System.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        self.allocs.fetch_add(1, Ordering::Relaxed);
        // SAFETY: the caller's promises, passed on.
        unsafe { std::alloc::System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        self.zeroed.fetch_add(1, Ordering::Relaxed);
        // SAFETY: the caller's promises, passed on.
        unsafe { std::alloc::System.alloc_zeroed(layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        self.reallocs.fetch_add(1, Ordering::Relaxed);
        // SAFETY: the caller's promises, passed on.
        unsafe { std::alloc::System.realloc(ptr, layout, new_size) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        self.deallocs.fetch_add(1, Ordering::Relaxed);
        // SAFETY: the caller's promises, passed on.
        unsafe { std::alloc::System.dealloc(ptr, layout) }
    }
}

static COUNTING: Counting = Counting {
    allocs: AtomicUsize::new(0),
    zeroed: AtomicUsize::new(0),
    reallocs: AtomicUsize::new(0),
    deallocs: AtomicUsize::new(0),
};
static OVERRIDE: galloc::FromGlobalAlloc<Counting> =
    galloc::from_global_alloc(&COUNTING).named(b"rust main counter\0");
galloc::galloc_global_allocator!(OVERRIDE);

#[global_allocator]
static GLOBAL: galloc::Global = galloc::Global;

fn counts() -> [usize; 4] {
    [
        COUNTING.allocs.load(Ordering::Relaxed),
        COUNTING.zeroed.load(Ordering::Relaxed),
        COUNTING.reallocs.load(Ordering::Relaxed),
        COUNTING.deallocs.load(Ordering::Relaxed),
    ]
}

mod plugin {
    use std::ffi::{c_void, CString};
    use std::os::raw::{c_char, c_int};

    #[cfg(unix)]
    mod os {
        use std::ffi::{c_void, CStr};
        use std::os::raw::{c_char, c_int};

        #[link(name = "dl")]
        extern "C" {
            fn dlopen(path: *const c_char, flags: c_int) -> *mut c_void;
            fn dlsym(handle: *mut c_void, name: *const c_char) -> *mut c_void;
            fn dlerror() -> *const c_char;
        }
        const RTLD_NOW: c_int = 2;

        /// # Safety
        /// `path` is a C string; the library's initialisers are trusted.
        pub unsafe fn open(path: *const c_char) -> *mut c_void {
            // SAFETY: the caller's promise.
            unsafe { dlopen(path, RTLD_NOW) }
        }
        /// # Safety
        /// A live handle and a C string.
        pub unsafe fn symbol(handle: *mut c_void, name: *const c_char) -> *mut c_void {
            // SAFETY: the caller's promise.
            unsafe { dlsym(handle, name) }
        }
        pub fn error() -> String {
            // SAFETY: dlerror's message is a C string until the next dl call.
            unsafe { CStr::from_ptr(dlerror()).to_string_lossy().into_owned() }
        }
    }

    #[cfg(windows)]
    mod os {
        use std::ffi::c_void;
        use std::os::raw::c_char;

        #[link(name = "kernel32")]
        extern "system" {
            fn LoadLibraryA(path: *const c_char) -> *mut c_void;
            fn GetProcAddress(module: *mut c_void, name: *const c_char) -> *mut c_void;
            fn GetLastError() -> u32;
        }

        /// # Safety
        /// `path` is a C string; the library's DllMain is trusted.
        pub unsafe fn open(path: *const c_char) -> *mut c_void {
            // SAFETY: the caller's promise.
            unsafe { LoadLibraryA(path) }
        }
        /// # Safety
        /// A live module and a C string.
        pub unsafe fn symbol(handle: *mut c_void, name: *const c_char) -> *mut c_void {
            // SAFETY: the caller's promise.
            unsafe { GetProcAddress(handle, name) }
        }
        pub fn error() -> String {
            // SAFETY: no arguments.
            format!("Windows error {}", unsafe { GetLastError() })
        }
    }

    /// tests/modules/plugin.h's functions.
    pub struct Plugin {
        pub alloc: unsafe extern "C" fn(usize, usize) -> *mut u8,
        pub alloc_zeroed: unsafe extern "C" fn(usize, usize) -> *mut u8,
        pub realloc: unsafe extern "C" fn(*mut u8, usize, usize, usize) -> *mut u8,
        pub dealloc: unsafe extern "C" fn(*mut u8, usize, usize),
        pub global_name: unsafe extern "C" fn() -> *const c_char,
        pub global_is_system: unsafe extern "C" fn() -> c_int,
    }

    /// Opens the plugin (never closed) and finds its functions.
    pub fn load(path: &str) -> Result<Plugin, String> {
        let path = CString::new(path).map_err(|e| e.to_string())?;
        // SAFETY: a C string; loading runs the plugin's initialisers,
        // which the test trusts.
        let handle = unsafe { os::open(path.as_ptr()) };
        if handle.is_null() {
            return Err(os::error());
        }
        let find = |name: &str| -> Result<*mut c_void, String> {
            let name = CString::new(name).map_err(|e| e.to_string())?;
            // SAFETY: a live handle and a C string.
            let symbol = unsafe { os::symbol(handle, name.as_ptr()) };
            if symbol.is_null() {
                Err(os::error())
            } else {
                Ok(symbol)
            }
        };
        // SAFETY: plugin.h declares each symbol with these signatures.
        unsafe {
            Ok(Plugin {
                alloc: std::mem::transmute(find("plugin_alloc")?),
                alloc_zeroed: std::mem::transmute(find("plugin_alloc_zeroed")?),
                realloc: std::mem::transmute(find("plugin_realloc")?),
                dealloc: std::mem::transmute(find("plugin_dealloc")?),
                global_name: std::mem::transmute(find("plugin_global_name")?),
                global_is_system: std::mem::transmute(find("plugin_global_is_system")?),
            })
        }
    }
}

fn check(path: &str) {
    let p = plugin::load(path).unwrap_or_else(|e| panic!("{}: {}", path, e));
    // SAFETY: plugin.h's contract: blocks are released with their layouts.
    unsafe {
        let name = std::ffi::CStr::from_ptr((p.global_name)());
        assert_eq!(name.to_bytes(), b"rust main counter", "{}", path);
        assert_eq!((p.global_is_system)(), 0, "{}", path);

        let before = counts();
        let small = (p.alloc)(40, 8);
        assert!(!small.is_null());
        small.write_bytes(0x3C, 40);
        let grown = (p.realloc)(small, 40, 8, 4000);
        assert!(!grown.is_null());
        assert_eq!(*grown.add(39), 0x3C);
        let zeroed = (p.alloc_zeroed)(3000, 256);
        assert!(!zeroed.is_null());
        assert_eq!(zeroed as usize % 256, 0);
        // The plugin's blocks released by this program, one of them
        // through Rust's own global allocator, and the other way round.
        galloc::Global.dealloc(grown, Layout::from_size_align(4000, 8).unwrap());
        (p.dealloc)(zeroed, 3000, 256);
        let mine = galloc::Global.alloc(Layout::from_size_align(100, 64).unwrap());
        assert!(!mine.is_null());
        (p.dealloc)(mine, 100, 64);
        let after = counts();
        assert_eq!(
            [after[0] - before[0], after[1] - before[1], after[2] - before[2], after[3] - before[3]],
            [2, 1, 1, 3],
            "{}: allocs, zeroed, reallocs, deallocs",
            path
        );
    }
    println!("ok: {} reaches the Rust program's override", path);
}

fn main() {
    let paths: Vec<String> = std::env::args().skip(1).collect();
    assert!(!paths.is_empty(), "usage: rust_main_override PLUGIN_PATH...");
    assert!(std::ptr::eq(galloc::Allocator::global().as_raw(), OVERRIDE.as_raw()));
    for path in &paths {
        check(path);
    }
    println!("rust_main_override: {} passed, 0 failed", paths.len());
}
