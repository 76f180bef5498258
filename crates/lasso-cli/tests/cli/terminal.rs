//! On a real terminal (a tmux pseudo-terminal): progress bars while the
//! extraction runs, the final screen checked against a capture kept in
//! `screens/` (`LASSO_UPDATE_SCREENS=1` rewrites it), coloured pretty JSON,
//! and none of it in piped output.

use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use lasso_mock::MockConfig;

use crate::common::*;

/// A tmux server of its own, stopped when dropped.
struct Tmux {
    socket: String,
}

impl Tmux {
    fn new() -> Tmux {
        static N: AtomicU32 = AtomicU32::new(0);
        let found = Command::new("tmux").arg("-V").output();
        assert!(
            found.is_ok_and(|o| o.status.success()),
            "tmux is needed for the terminal tests (`./just setup` installs it)"
        );
        Tmux {
            socket: format!(
                "lasso-cli-{}-{}",
                std::process::id(),
                N.fetch_add(1, Ordering::SeqCst)
            ),
        }
    }

    fn tmux(&self, args: &[&str]) -> String {
        let out = Command::new("tmux")
            .args(["-L", &self.socket, "-f", "/dev/null"])
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "tmux {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Runs `shell` (a `sh -c` command line) in a 100×24 terminal in `dir`.
    fn start(&self, dir: &Path, env: &[(&str, String)], shell: &str) {
        let mut args: Vec<String> = ["new-session", "-d", "-s", "t", "-x", "100", "-y", "24", "-c"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        args.push(dir.display().to_string());
        for (k, v) in env {
            args.push("-e".into());
            args.push(format!("{k}={v}"));
        }
        args.push(format!("{shell}; echo EXIT=$?; sleep 120"));
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        self.tmux(&refs);
    }

    /// The screen as text (`escapes`: with colour codes).
    fn screen(&self, escapes: bool) -> String {
        let mut args = vec!["capture-pane", "-p", "-t", "t"];
        if escapes {
            args.push("-e");
        }
        self.tmux(&args)
    }

    /// Captures the screen every 20 ms until `EXIT=` shows; returns every capture.
    fn until_exit(&self) -> Vec<String> {
        let deadline = Instant::now() + Duration::from_secs(60);
        let mut screens = Vec::new();
        loop {
            let screen = self.screen(false);
            let done = screen.contains("EXIT=");
            screens.push(screen);
            if done {
                return screens;
            }
            assert!(
                Instant::now() < deadline,
                "the command did not finish:\n{}",
                screens.last().unwrap()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["-L", &self.socket, "kill-server"])
            .output();
    }
}

fn shell_command(args: &str) -> String {
    format!("{} {args}", program().join(" "))
}

fn env_for(mock: &Mock) -> Vec<(&'static str, String)> {
    vec![
        ("LASSO_API_KEY", KEY.to_owned()),
        ("LASSO_BASE_URL", mock.url()),
        ("LASSO_CONFIG", "/nonexistent/lasso-config.toml".to_owned()),
        ("LASSO_PROFILE", String::new()),
        ("NO_COLOR", String::new()),
    ]
}

/// Ids the emulator hands out (`tbl_0123…`) as `<id>`, so the capture is stable.
fn normalize(screen: &str) -> String {
    let mut out = String::new();
    let mut rest = screen;
    while let Some(at) = ["schema_", "file_", "tbl_"]
        .iter()
        .filter_map(|p| rest.find(p).map(|i| (i, p.len())))
        .min()
    {
        let (i, len) = at;
        let hex = rest[i + len..]
            .chars()
            .take_while(char::is_ascii_hexdigit)
            .count();
        out.push_str(&rest[..i + len]);
        if hex == 16 {
            out.push_str("<id>");
        }
        rest = &rest[i + len + hex..];
    }
    out.push_str(rest);
    out.lines()
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join("\n")
        .trim_end()
        .to_owned()
        + "\n"
}

#[test]
fn extract_draws_progress_bars_on_a_terminal_and_ends_on_a_known_screen() {
    // Extraction takes ~1.2 s here: long enough to see its bar move.
    let mock = Mock::with(MockConfig {
        initial_balance: 1e9,
        ..MockConfig::default()
    });
    let dir = Scratch::new("tty");
    // A file of a fixed size, so the capture is the same every time.
    let line = "Trail bottle 750 ml, EUR 24.90; Summit flask 1 l, EUR 34.50; City cup 350 ml, EUR 14.00. "
        .repeat(40);
    dir.write("bottles.txt", &format!("{line}\n").repeat(20));
    dir.write("schema.json", SCHEMA);
    let tmux = Tmux::new();
    tmux.start(
        &dir.0,
        &env_for(&mock),
        &shell_command(
            "extract bottles.txt --schema schema.json --export bottles.csv --interval 0.1 > result.json",
        ),
    );
    let screens = tmux.until_exit();
    let last = normalize(screens.last().unwrap());

    // While it ran: the extraction's bar with its percentage and status.
    let bar = screens
        .iter()
        .flat_map(|s| s.lines())
        .find(|l| l.starts_with("extraction") && l.contains("%"));
    let bar = bar.unwrap_or_else(|| {
        panic!(
            "no extraction bar in any of {} captures; last:\n{last}",
            screens.len()
        )
    });
    assert!(bar.contains("[") && bar.contains("]"), "{bar}");

    // The final screen, as kept in screens/extract.txt.
    let expected_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cli/screens/extract.txt");
    if std::env::var_os("LASSO_UPDATE_SCREENS").is_some() {
        std::fs::write(&expected_path, &last).unwrap();
    }
    let expected = std::fs::read_to_string(&expected_path).unwrap();
    assert_eq!(
        last, expected,
        "the final screen changed (LASSO_UPDATE_SCREENS=1 rewrites it)"
    );

    // stdout went to a file: JSON only, no bar, no colour.
    let result = std::fs::read_to_string(dir.path("result.json")).unwrap();
    assert!(!result.contains('\x1b') && !result.contains('\r'), "{result:?}");
    let summary: serde_json::Value = serde_json::from_str(&result).unwrap();
    assert_eq!(summary["table"]["status"], "completed");
    assert!(dir.path("bottles.csv").exists());
}

#[test]
fn json_is_pretty_and_coloured_on_a_terminal_unless_no_color() {
    let mock = Mock::start();
    let dir = Scratch::new("tty-json");
    let tmux = Tmux::new();
    tmux.start(&dir.0, &env_for(&mock), &shell_command("tables get tbl_sample"));
    tmux.until_exit();
    let coloured = tmux.screen(true);
    assert!(coloured.contains("\x1b["), "no colour on a terminal:\n{coloured}");
    let plain = tmux.screen(false);
    assert!(plain.starts_with("{\n  \"id\": \"tbl_sample\""), "{plain}");
    drop(tmux);

    let tmux = Tmux::new();
    let mut env = env_for(&mock);
    env.retain(|(k, _)| *k != "NO_COLOR");
    env.push(("NO_COLOR", "1".to_owned()));
    tmux.start(&dir.0, &env, &shell_command("tables get tbl_sample"));
    tmux.until_exit();
    let screen = tmux.screen(true);
    assert!(
        !screen.contains("\x1b[3") && !screen.contains("\x1b[1"),
        "colour despite NO_COLOR:\n{screen}"
    );
}

#[test]
fn quiet_draws_no_bar_even_on_a_terminal() {
    let mock = Mock::start();
    let dir = Scratch::new("tty-quiet");
    dir.write("bottles.txt", SOURCE);
    dir.write("schema.json", SCHEMA);
    let tmux = Tmux::new();
    tmux.start(
        &dir.0,
        &env_for(&mock),
        &shell_command(
            "--quiet extract bottles.txt --schema schema.json --wait --interval 0.05 > result.json",
        ),
    );
    let screens = tmux.until_exit();
    for screen in &screens {
        assert!(!screen.contains('['), "a bar was drawn with --quiet:\n{screen}");
    }
    assert_eq!(screens.last().unwrap().trim(), "EXIT=0");
}
