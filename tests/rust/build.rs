//! What docs/rust.md tells a Rust program that is galloc's override:
//! export the override symbol, so that libraries which embed galloc
//! statically and are loaded at run time find it.
use std::env;
use std::fs;
use std::path::Path;

fn main() {
    let os = env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let target_env = env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if os == "windows" && target_env == "gnu" {
        // PE: galloc reads the executable's export table; GNU ld takes a
        // module-definition file among its inputs.
        let def = Path::new(&env::var("OUT_DIR").unwrap()).join("galloc_override.def");
        fs::write(&def, "EXPORTS\n    galloc_global_allocator DATA\n").unwrap();
        println!("cargo:rustc-link-arg-bins={}", def.display());
    } else if os != "windows" && os != "macos" && os != "ios" {
        // ELF: the executable's dynamic symbol table.
        println!("cargo:rustc-link-arg-bins=-Wl,--export-dynamic-symbol=galloc_global_allocator");
    }
}
