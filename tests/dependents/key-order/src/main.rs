//! Parses and prints `{"zeta":1,"alpha":2}`. With serde_json's default features
//! an object is a sorted map, so this prints `{"alpha":2,"zeta":1}`; if a
//! dependency switched on `preserve_order` (feature unification applies it to
//! every crate of the build), it would print the keys as given.

fn main() {
    // Use the SDK, so it is linked as a real dependency would be.
    println!("lasso-ai {}", lasso_ai::VERSION);
    let value: serde_json::Value = serde_json::from_str(r#"{"zeta":1,"alpha":2}"#).unwrap();
    let printed = value.to_string();
    println!("{printed}");
    if printed != r#"{"alpha":2,"zeta":1}"# {
        eprintln!("depending on lasso-ai changed how this program's JSON maps are ordered");
        std::process::exit(1);
    }
}
