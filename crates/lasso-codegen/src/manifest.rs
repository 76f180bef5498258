//! `tests/manifest.json`: what the spec describes, in numbers, for the tests of every
//! language to read instead of restating them: how many operations, distinct HTTP
//! endpoints, models, enumerations, error codes and error classes there are, every
//! operation id in table order, the proxy variables a test clears, and a hash of the spec's source (`crates/lasso-spec/src`)
//! that says which spec the committed generated files come from.

use std::fmt::Write;
use std::path::Path;

use lasso_spec::environment::PROXY_VARIABLES;
use lasso_spec::errors::{error_classes, ERRORS};
use lasso_spec::{endpoints, ENUMS, MODELS, OPERATIONS};

use crate::json::{note, string};

pub fn render() -> Result<String, String> {
    let hash = source_hash(&crate::format::root().join("crates/lasso-spec/src"))?;
    let mut out = format!("{{\n{}", note(""));
    writeln!(out, "  \"spec_hash\": \"fnv1a64:{hash:016x}\",").unwrap();
    let counts = [
        ("operations", OPERATIONS.len()),
        ("endpoints", endpoints().len()),
        ("models", MODELS.len()),
        ("enums", ENUMS.len()),
        ("error_codes", ERRORS.len()),
        // The subclasses and the base class itself.
        ("error_classes", error_classes().len() + 1),
    ];
    for (name, count) in counts {
        writeln!(out, "  \"{name}\": {count},").unwrap();
    }
    let ids: Vec<&str> = OPERATIONS.iter().map(|op| op.id).collect();
    list(&mut out, "operation_ids", &ids, ",");
    list(&mut out, "proxy_variables", &PROXY_VARIABLES, "");
    out.push_str("}\n");
    Ok(out)
}

/// `"name": [...]` with one string a line, then `end`.
fn list(out: &mut String, name: &str, items: &[&str], end: &str) {
    writeln!(out, "  \"{name}\": [").unwrap();
    for (i, item) in items.iter().enumerate() {
        let comma = if i + 1 < items.len() { "," } else { "" };
        writeln!(out, "    {}{comma}", string(item)).unwrap();
    }
    writeln!(out, "  ]{end}").unwrap();
}

/// FNV-1a (64 bits) over every file below `dir`, in path order: each file's path
/// (relative, `/`-separated), a NUL, its text with `\r\n` read as `\n`, a NUL.
pub fn source_hash(dir: &Path) -> Result<u64, String> {
    let mut files = Vec::new();
    collect(dir, dir, &mut files)?;
    files.sort();
    let mut hash = Fnv1a::new();
    for (name, path) in files {
        let text =
            std::fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        hash.write(name.as_bytes());
        hash.write(&[0]);
        hash.write(text.replace("\r\n", "\n").as_bytes());
        hash.write(&[0]);
    }
    Ok(hash.0)
}

fn collect(root: &Path, dir: &Path, out: &mut Vec<(String, std::path::PathBuf)>) -> Result<(), String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_dir() {
            collect(root, &path, out)?;
        } else {
            let name = path.strip_prefix(root).expect("below the root");
            let name: Vec<String> = name.iter().map(|p| p.to_string_lossy().into_owned()).collect();
            out.push((name.join("/"), path));
        }
    }
    Ok(())
}

/// The 64-bit FNV-1a hash.
struct Fnv1a(u64);

impl Fnv1a {
    fn new() -> Self {
        Fnv1a(0xcbf2_9ce4_8422_2325)
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Fnv1a;

    #[test]
    fn fnv1a_matches_the_published_test_vectors() {
        let hash = |s: &str| {
            let mut h = Fnv1a::new();
            h.write(s.as_bytes());
            h.0
        };
        assert_eq!(hash(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(hash("a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(hash("foobar"), 0x8594_4171_f739_67e8);
    }
}
