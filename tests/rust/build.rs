//! What docs/rust.md tells a Rust program that is galloc's override: on
//! ELF, export the override symbol, so that libraries which embed galloc
//! statically and are loaded at run time find it.
fn main() {
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    if os != "windows" && os != "macos" && os != "ios" {
        println!("cargo:rustc-link-arg-bins=-Wl,--export-dynamic-symbol=galloc_global_allocator");
    }
}
