//! `uniffi-bindgen` pinned to the workspace's uniffi: writes the Kotlin
//! scaffolding of `liblasso_uniffi.so` (`generate --library … --language kotlin`).
fn main() {
    uniffi::uniffi_bindgen_main()
}
