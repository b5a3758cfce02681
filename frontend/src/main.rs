//! The WASM entry point: mount the app. Everything else lives in the `app` crate.

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
