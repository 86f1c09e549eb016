//! A program whose main is in Rust and whose galloc override is a Rust
//! allocator: from_global_alloc + galloc_global_allocator!.  Rust's own
//! global allocator is galloc::Global, so every Vec, Box, String and
//! HashMap goes Rust -> galloc's front end -> the override -> a checker
//! written here, which keeps every live block with its layout and counts
//! each release or resize whose layout is not the block's.
#![deny(warnings, unsafe_op_in_unsafe_fn)]

use core::alloc::{GlobalAlloc, Layout};
use core::cell::UnsafeCell;
use core::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use galloc::galloc_sys;
use std::collections::HashMap;

const SLOTS: usize = 1 << 14;

/// Live blocks in an open-addressing table (ptr 0: empty, 1: removed),
/// under a spin lock: it must not allocate.
struct Checker {
    lock: AtomicBool,
    table: UnsafeCell<[(usize, Layout); SLOTS]>,
    live: AtomicUsize,
    allocs: AtomicUsize,
    zeroed: AtomicUsize,
    reallocs: AtomicUsize,
    deallocs: AtomicUsize,
    mismatches: AtomicUsize,
    unknown: AtomicUsize,
}

// SAFETY: the table is only touched under the lock.
unsafe impl Sync for Checker {}

const EMPTY: (usize, Layout) = (0, Layout::new::<u8>());

impl Checker {
    const fn new() -> Self {
        Checker {
            lock: AtomicBool::new(false),
            table: UnsafeCell::new([EMPTY; SLOTS]),
            live: AtomicUsize::new(0),
            allocs: AtomicUsize::new(0),
            zeroed: AtomicUsize::new(0),
            reallocs: AtomicUsize::new(0),
            deallocs: AtomicUsize::new(0),
            mismatches: AtomicUsize::new(0),
            unknown: AtomicUsize::new(0),
        }
    }

    fn with_table<R>(&self, f: impl FnOnce(&mut [(usize, Layout); SLOTS]) -> R) -> R {
        while self.lock.swap(true, Ordering::Acquire) {
            std::hint::spin_loop();
        }
        // SAFETY: the lock is held.
        let r = f(unsafe { &mut *self.table.get() });
        self.lock.store(false, Ordering::Release);
        r
    }

    fn insert(&self, ptr: *mut u8, layout: Layout) {
        let key = ptr as usize;
        self.with_table(|t| {
            let mut i = (key >> 4) % SLOTS;
            while t[i].0 > 1 {
                i = (i + 1) % SLOTS;
            }
            t[i] = (key, layout);
        });
        self.live.fetch_add(1, Ordering::Relaxed);
    }

    /// Removes ptr; its recorded layout, counting a mismatch with `given`.
    fn remove(&self, ptr: *mut u8, given: Layout) -> Layout {
        let key = ptr as usize;
        let found = self.with_table(|t| {
            let mut i = (key >> 4) % SLOTS;
            while t[i].0 != 0 {
                if t[i].0 == key {
                    let layout = t[i].1;
                    t[i].0 = 1;
                    return Some(layout);
                }
                i = (i + 1) % SLOTS;
            }
            None
        });
        match found {
            Some(layout) => {
                self.live.fetch_sub(1, Ordering::Relaxed);
                if layout != given {
                    self.mismatches.fetch_add(1, Ordering::Relaxed);
                }
                layout
            }
            None => {
                self.unknown.fetch_add(1, Ordering::Relaxed);
                given
            }
        }
    }
}

// SAFETY: forwards to std's System with the block's recorded layout.
unsafe impl GlobalAlloc for Checker {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        self.allocs.fetch_add(1, Ordering::Relaxed);
        // SAFETY: the caller's layout, passed on.
        let p = unsafe { std::alloc::System.alloc(layout) };
        if !p.is_null() {
            self.insert(p, layout);
        }
        p
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        self.zeroed.fetch_add(1, Ordering::Relaxed);
        // SAFETY: the caller's layout, passed on.
        let p = unsafe { std::alloc::System.alloc_zeroed(layout) };
        if !p.is_null() {
            self.insert(p, layout);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        self.deallocs.fetch_add(1, Ordering::Relaxed);
        let real = self.remove(ptr, layout);
        // SAFETY: a block of System with its real layout.
        unsafe { std::alloc::System.dealloc(ptr, real) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        self.reallocs.fetch_add(1, Ordering::Relaxed);
        let real = self.remove(ptr, layout);
        // SAFETY: a block of System with its real layout.
        let q = unsafe { std::alloc::System.realloc(ptr, real, new_size) };
        if q.is_null() {
            self.insert(ptr, real);
        } else {
            self.insert(q, Layout::from_size_align(new_size, real.align()).unwrap());
        }
        q
    }
}

static CHECKER: Checker = Checker::new();
static OVERRIDE: galloc::FromGlobalAlloc<Checker> =
    galloc::from_global_alloc(&CHECKER).named(b"rust checker\0");
galloc::galloc_global_allocator!(OVERRIDE);

#[global_allocator]
static GLOBAL: galloc::Global = galloc::Global;

#[repr(align(4096))]
struct Page(#[allow(dead_code)] [u8; 100]);

fn counts() -> [usize; 4] {
    [
        CHECKER.allocs.load(Ordering::Relaxed),
        CHECKER.zeroed.load(Ordering::Relaxed),
        CHECKER.reallocs.load(Ordering::Relaxed),
        CHECKER.deallocs.load(Ordering::Relaxed),
    ]
}

fn the_override_is_galloc_s_global_allocator() {
    let global = galloc::Allocator::global();
    assert_eq!(global.name(), Some(&b"rust checker"[..]));
    assert!(std::ptr::eq(global.as_raw(), OVERRIDE.as_raw()));
}

fn rust_collections_reach_the_override_with_their_layouts() {
    let live = CHECKER.live.load(Ordering::Relaxed);
    let before = counts();
    {
        let mut v: Vec<u64> = Vec::new();
        let mut s = String::new();
        let mut m = HashMap::new();
        for i in 0..5000u64 {
            v.push(i);
            s.push('x');
            m.insert(i, i.to_string());
        }
        let zeros = vec![0u8; 1 << 20];
        let page = Box::new(Page([3; 100]));
        assert_eq!(&*page as *const Page as usize % 4096, 0, "Box<Page> misaligned");
        assert_eq!(v[4999] + s.len() as u64 + m.len() as u64, 4999 + 10_000);
        assert!(zeros.iter().all(|&b| b == 0));
        assert!(CHECKER.live.load(Ordering::Relaxed) > live + 5000);
    }
    let after = counts();
    assert!(after[0] - before[0] > 5000, "allocs {:?} -> {:?}", before, after);
    assert!(after[1] > before[1], "vec![0; n] did not use alloc_zeroed");
    assert!(after[2] - before[2] > 10, "no growth by realloc: {:?} -> {:?}", before, after);
    assert_eq!(CHECKER.live.load(Ordering::Relaxed), live, "blocks left live");
}

fn blocks_cross_between_rust_and_the_c_front_end() {
    let live = CHECKER.live.load(Ordering::Relaxed);
    let layout = Layout::from_size_align(24, 8).unwrap();
    // SAFETY: each block is released once, with its layout.
    unsafe {
        let from_rust = galloc::Global.alloc(layout);
        assert!(!from_rust.is_null());
        assert_eq!(CHECKER.live.load(Ordering::Relaxed), live + 1);
        galloc_sys::galloc_dealloc(from_rust.cast(), galloc::layout_to_raw(layout));
        let from_c = galloc_sys::galloc_alloc(galloc::layout_to_raw(layout)) as *mut u8;
        assert!(!from_c.is_null());
        galloc::Global.dealloc(from_c, layout);
    }
    assert_eq!(CHECKER.live.load(Ordering::Relaxed), live);
}

fn over_aligned_blocks_keep_their_alignment_through_the_table() {
    let raw = galloc::Allocator::new(OVERRIDE.as_raw());
    for shift in 5..=16 {
        let layout = Layout::from_size_align(3 << shift, 1 << shift).unwrap();
        // SAFETY: a valid layout; released with it.
        unsafe {
            let p = raw.alloc(layout);
            assert!(!p.is_null());
            assert_eq!(p as usize % layout.align(), 0, "{:?}", layout);
            let q = raw.realloc(p, layout, 5 << shift);
            assert!(!q.is_null());
            assert_eq!(q as usize % layout.align(), 0, "realloc {:?}", layout);
            raw.dealloc(q, Layout::from_size_align(5 << shift, 1 << shift).unwrap());
        }
    }
}

fn system_is_galloc_system_not_the_override() {
    let before = counts();
    let layout = Layout::from_size_align(100, 64).unwrap();
    // SAFETY: a valid layout; the block is released with it.
    unsafe {
        let p = galloc::System.alloc(layout);
        assert!(!p.is_null());
        galloc::System.dealloc(p, layout);
    }
    assert_eq!(counts(), before, "galloc::System reached the override");
    assert_eq!(galloc::Allocator::system().name(), Some(&b"system"[..]));
}

fn main() {
    let tests: [(&str, fn()); 5] = [
        ("the_override_is_galloc_s_global_allocator", the_override_is_galloc_s_global_allocator),
        (
            "rust_collections_reach_the_override_with_their_layouts",
            rust_collections_reach_the_override_with_their_layouts,
        ),
        ("blocks_cross_between_rust_and_the_c_front_end", blocks_cross_between_rust_and_the_c_front_end),
        (
            "over_aligned_blocks_keep_their_alignment_through_the_table",
            over_aligned_blocks_keep_their_alignment_through_the_table,
        ),
        ("system_is_galloc_system_not_the_override", system_is_galloc_system_not_the_override),
    ];
    for (name, test) in tests.iter() {
        test();
        println!("ok: {}", name);
    }
    assert_eq!(CHECKER.mismatches.load(Ordering::Relaxed), 0, "layout mismatches");
    assert_eq!(CHECKER.unknown.load(Ordering::Relaxed), 0, "unknown pointers");
    println!("override: {} passed, 0 failed", tests.len());
}
