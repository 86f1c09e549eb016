//! A plugin written in Rust, as a third party would ship it: one line makes
//! galloc's global allocator its own, and it knows nothing about who hosts
//! it.  Loaded by examples/tour_host.c, like the C plugin of the tour.
#![deny(warnings)]

use std::collections::HashMap;
use std::ffi::CString;
use std::os::raw::{c_char, c_int};

extern "C" {
    // The C runtime's own stdout, which the host prints to: its lines and
    // the plugin's stay in order.  (Rust's println! would also keep a
    // buffer of its own allocated for the rest of the program.)
    fn puts(line: *const c_char) -> c_int;
}

// The one line: every Vec, String, Box and HashMap of this library goes to
// the program's galloc global allocator.
#[global_allocator]
static GLOBAL: galloc::Global = galloc::Global;

/// A cache line of its own: Rust asks for 64-byte alignment.
#[repr(align(64))]
struct Scratch([u8; 256]);

/// Builds a table of words, counts their letters, and drops it all.
#[no_mangle]
pub extern "C" fn tour_plugin_run() -> i32 {
    let mut words: Vec<String> = Vec::new();
    for word in ["layout", "alignment", "global", "allocator", "plugin", "rust"] {
        words.push(word.to_string());
    }
    let mut letters: HashMap<char, usize> = HashMap::new();
    for c in words.iter().flat_map(|w| w.chars()) {
        *letters.entry(c).or_insert(0) += 1;
    }
    let scratch = Box::new(Scratch([0; 256]));
    let line = format!(
        "  plugin (Rust): a Vec of {} Strings, a HashMap of {} letters, a Box<Scratch> \
         aligned to {}; galloc's global here is \"{}\"",
        words.len(),
        letters.len(),
        std::mem::align_of_val(&*scratch),
        String::from_utf8_lossy(galloc::Allocator::global().name().unwrap_or(b"?"))
    );
    match CString::new(line) {
        // SAFETY: a NUL-terminated string.
        Ok(line) => unsafe { puts(line.as_ptr()) >= 0 },
        Err(_) => false,
    };
    0
}
