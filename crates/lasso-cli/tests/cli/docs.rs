//! The README's command-line section: its first example is what `./just demo`
//! runs, with files that exist, and its exit-code table is the one `lasso` uses.

use std::path::Path;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .parent()
        .unwrap()
}

fn section() -> String {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let start = readme
        .find("## Command line")
        .expect("README has a Command line section");
    let rest = &readme[start + 3..];
    rest[..rest.find("\n## ").unwrap_or(rest.len())].to_owned()
}

#[test]
fn the_first_example_is_the_one_command_extraction_the_demo_runs() {
    let section = section();
    let block = section.split("```sh\n").nth(1).expect("a sh block");
    let first = block.lines().next().unwrap();
    assert!(first.starts_with("lasso extract "), "{first}");
    let demo = std::fs::read_to_string(repo().join("scripts/demo.sh")).unwrap();
    assert!(
        demo.lines().any(|l| l.trim() == first),
        "scripts/demo.sh does not run `{first}`"
    );
    for file in ["bottles.txt", "schema.json"] {
        assert!(first.contains(file));
        assert!(
            repo().join("crates/lasso-cli/examples").join(file).exists(),
            "{file}"
        );
    }
}

#[test]
fn the_exit_code_table_is_the_one_lasso_uses() {
    let section = section();
    let documented: Vec<u8> = section
        .lines()
        .filter_map(|l| l.strip_prefix("| "))
        .filter_map(|l| l.split(" |").next()?.trim().parse().ok())
        .collect();
    let used: Vec<u8> = lasso_cli::exit::TABLE.iter().map(|(code, _)| *code).collect();
    assert_eq!(documented, used);
}
