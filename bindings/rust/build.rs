//! Finds the C library galloc and links it; nothing else.
//!
//! - `GALLOC_LIB_DIR=DIR`: the directory holding the library (a build tree
//!   or an installed `lib/`);
//! - otherwise `pkg-config` (the program, or `$PKG_CONFIG`): the package
//!   `galloc-static`, or `galloc` with `GALLOC_SHARED=1`.
//!
//! Static by default, the shared library with `GALLOC_SHARED=1`.
use std::env;
use std::path::Path;
use std::process::Command;

fn main() {
    for var in ["GALLOC_LIB_DIR", "GALLOC_SHARED", "PKG_CONFIG", "PKG_CONFIG_PATH"] {
        println!("cargo:rerun-if-env-changed={}", var);
    }
    println!("cargo:rerun-if-changed=build.rs");
    let shared = env::var("GALLOC_SHARED").map(|v| v == "1").unwrap_or(false);
    let target_os = env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let target_env = env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();

    if let Ok(dir) = env::var("GALLOC_LIB_DIR") {
        println!("cargo:rustc-link-search=native={}", dir);
        if shared {
            println!("cargo:rustc-link-lib=dylib=galloc");
        } else {
            // MSVC names the static library galloc_static.lib (its import
            // library is galloc.lib); every other toolchain libgalloc.a.
            let (name, file) = if target_env == "msvc" {
                ("galloc_static", "galloc_static.lib")
            } else {
                ("galloc", "libgalloc.a")
            };
            println!("cargo:rustc-link-lib=static={}", name);
            // Cargo links again only when told what changed: a rebuilt
            // archive must reach the Rust library built over it.
            println!("cargo:rerun-if-changed={}", Path::new(&dir).join(file).display());
        }
        // What galloc's pkg-config file adds to executables on ELF (see
        // below); for this crate's own test programs.
        if target_os != "windows" && target_os != "macos" && target_os != "ios" {
            println!("cargo:rustc-link-arg=-Wl,--export-dynamic-symbol=galloc_global_allocator");
        }
        return;
    }

    let package = if shared { "galloc" } else { "galloc-static" };
    let pkg_config = env::var("PKG_CONFIG").unwrap_or_else(|_| "pkg-config".to_string());
    let output = Command::new(&pkg_config).args(["--libs", package]).output();
    let libs = match output {
        Ok(out) if out.status.success() => String::from_utf8_lossy(&out.stdout).into_owned(),
        Ok(out) => fail(&format!(
            "`{} --libs {}` failed: {}",
            pkg_config,
            package,
            String::from_utf8_lossy(&out.stderr).trim()
        )),
        Err(err) => fail(&format!("cannot run `{}`: {}", pkg_config, err)),
    };
    for flag in libs.split_whitespace() {
        if let Some(dir) = flag.strip_prefix("-L") {
            println!("cargo:rustc-link-search=native={}", dir);
        } else if let Some(name) = flag.strip_prefix("-l") {
            let kind = if shared { "dylib" } else { "static" };
            println!("cargo:rustc-link-lib={}={}", kind, name);
        } else if flag.ends_with(".a") || flag.ends_with(".lib") {
            // galloc-static.pc names the archive itself.
            let path = Path::new(flag);
            let dir = path.parent().map(|d| d.display().to_string()).unwrap_or_default();
            let file = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
            let name = if flag.ends_with(".a") { file.trim_start_matches("lib") } else { file };
            println!("cargo:rustc-link-search=native={}", dir);
            println!("cargo:rustc-link-lib=static={}", name);
            println!("cargo:rerun-if-changed={}", flag);
        } else if flag.starts_with("-Wl,") {
            // --export-dynamic-symbol=galloc_global_allocator, for
            // executables: cargo passes it to this package's own programs
            // only; an application adds it itself (docs/rust.md).
            println!("cargo:rustc-link-arg={}", flag);
        }
    }
}

fn fail(why: &str) -> ! {
    panic!(
        "galloc: {}.\nInstall galloc where pkg-config finds it (PKG_CONFIG_PATH), \
         or set GALLOC_LIB_DIR to the directory holding libgalloc.a (or the shared \
         library, with GALLOC_SHARED=1).",
        why
    )
}
