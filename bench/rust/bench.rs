//! P10: the loops galloc_bench times, in a module whose Rust global
//! allocator is galloc::Global (with System as galloc's global: the
//! benchmark has no override) or, without the feature galloc-global, Rust's
//! default, std::alloc::System.  Each returns the number of operations it
//! made, the unit of the benchmark's ns figures.
#![deny(warnings, unsafe_op_in_unsafe_fn)]

use std::sync::atomic::{AtomicUsize, Ordering};

#[cfg(feature = "galloc-global")]
#[global_allocator]
static GLOBAL: galloc::Global = galloc::Global;

/// Where every block's address goes, so the optimiser cannot drop an
/// allocation (core::hint::black_box came after Rust 1.63).
static SINK: AtomicUsize = AtomicUsize::new(0);

/// A Vec<u64> grown to 64 elements by push, one at a time, then dropped:
/// one alloc, four reallocs and one dealloc per vector.  Returns the number
/// of vectors.
#[no_mangle]
pub extern "C" fn bench_rust_vec_push(vectors: usize) -> usize {
    for i in 0..vectors {
        let mut v: Vec<u64> = Vec::new();
        for j in 0..64 {
            v.push((i ^ j) as u64);
        }
        SINK.fetch_xor(v.as_ptr() as usize ^ v[63] as usize, Ordering::Relaxed);
    }
    vectors
}

/// A ring of 64 boxes of varied sizes (8 to 512 bytes), each replaced in
/// turn: one Box allocated and one freed per operation.  Returns the number
/// of boxes made.
#[no_mangle]
pub extern "C" fn bench_rust_box_churn(boxes: usize) -> usize {
    let mut ring: Vec<Option<Box<[u64]>>> = (0..64).map(|_| None).collect();
    for i in 0..boxes {
        let len = 1 + (i * 7) % 64;
        let b: Box<[u64]> = vec![i as u64; len].into_boxed_slice();
        SINK.fetch_xor(b.as_ptr() as usize, Ordering::Relaxed);
        ring[i % 64] = Some(b);
    }
    boxes
}
