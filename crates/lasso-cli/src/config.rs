//! Where the key and base URL come from: flags, then the environment
//! (`LASSO_API_KEY`, `LASSO_BASE_URL`), then the config file's profile.
//!
//! The config file is `$LASSO_CONFIG`, else `<config dir>/lasso/config.toml`
//! (`~/.config/lasso/config.toml` on Linux), one table per profile:
//!
//! ```toml
//! [default]
//! api_key = "lasso_…"
//! base_url = "https://hub.banditshq.com/api/v1"
//!
//! [staging]
//! api_key = "lasso_…"
//! ```
//!
//! `lasso auth login` writes it with owner-only permissions (0600); a file
//! holding a key that others can read is used with a warning. The key is never
//! printed: only `lasso_…` and its last four characters.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use lasso_ai::__bindings::ErrorExt;
use serde::{Deserialize, Serialize};

use crate::output::Out;

/// Environment variable naming the config file.
pub const ENV_CONFIG: &str = "LASSO_CONFIG";
/// Environment variable naming the profile.
pub const ENV_PROFILE: &str = "LASSO_PROFILE";

/// One profile of the config file.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub struct Profile {
    /// The API key.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub api_key: Option<String>,
    /// The base URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base_url: Option<String>,
}

/// The flags that configure the client.
#[derive(Debug, Default, Clone)]
pub struct Flags {
    pub api_key: Option<String>,
    pub api_key_file: Option<PathBuf>,
    pub base_url: Option<String>,
    pub profile: Option<String>,
    pub timeout: Option<f64>,
    pub max_retries: Option<u32>,
}

/// The resolved settings, and where the key came from (for `auth status`).
pub struct Settings {
    pub api_key: Option<String>,
    pub key_source: String,
    pub base_url: Option<String>,
    pub timeout: Option<f64>,
    pub max_retries: Option<u32>,
    pub via: Option<String>,
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("api_key", &self.api_key.as_ref().map(|_| "<set>"))
            .field("key_source", &self.key_source)
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}

/// The config file's path.
pub fn config_path() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os(ENV_CONFIG).filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p));
    }
    dirs::config_dir().map(|d| d.join("lasso").join("config.toml"))
}

/// The profile name in use.
pub fn profile_name(flags: &Flags) -> String {
    flags
        .profile
        .clone()
        .or_else(|| std::env::var(ENV_PROFILE).ok().filter(|p| !p.is_empty()))
        .unwrap_or_else(|| "default".to_owned())
}

/// Reads the config file (`None` when there is none).
pub fn read_file(path: &Path) -> Result<Option<BTreeMap<String, Profile>>, String> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("cannot read the config file {}: {e}", path.display())),
    };
    toml::from_str(&text)
        .map(Some)
        .map_err(|e| format!("the config file {} is not valid: {}", path.display(), e.message()))
}

/// Whether group or others may read the file, with its mode.
#[cfg(unix)]
fn readable_by_others(path: &Path) -> Option<u32> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path).ok()?.permissions().mode() & 0o777;
    (mode & 0o044 != 0).then_some(mode)
}

#[cfg(not(unix))]
fn readable_by_others(_: &Path) -> Option<u32> {
    None
}

/// Warns when a file holding a key can be read by other users.
fn warn_if_exposed(out: &Out, path: &Path, what: &str) {
    if let Some(mode) = readable_by_others(path) {
        out.warn(&format!(
            "{what} {} is readable by other users (mode {mode:o}); run `chmod 600 {}`",
            path.display(),
            path.display()
        ));
    }
}

/// Resolves the settings: flags, then environment, then the config file.
pub fn resolve(flags: &Flags, out: &Out, via: Option<String>) -> Result<Settings, String> {
    let profile = profile_name(flags);
    let path = config_path();
    let file = match &path {
        Some(p) => read_file(p)?,
        None => None,
    };
    let from_file = file.as_ref().and_then(|f| f.get(&profile)).cloned();
    if flags.profile.is_some() && from_file.is_none() {
        return Err(format!(
            "no profile [{profile}] in {}",
            path.as_deref()
                .map_or("the config file".into(), |p| p.display().to_string())
        ));
    }
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());

    let (api_key, key_source) = if let Some(key) = &flags.api_key {
        (Some(key.clone()), "--api-key".to_owned())
    } else if let Some(file) = &flags.api_key_file {
        (Some(read_key_file(file, out)?), key_file_source(file))
    } else if let Some(key) = env(lasso_ai::ENV_API_KEY) {
        (
            Some(key),
            format!("environment variable {}", lasso_ai::ENV_API_KEY),
        )
    } else if let Some(key) = from_file.as_ref().and_then(|p| p.api_key.clone()) {
        let path = path.as_deref().expect("a profile was read from a file");
        warn_if_exposed(out, path, "the config file");
        (Some(key), format!("{} [{profile}]", path.display()))
    } else {
        (None, "none".to_owned())
    };
    let base_url = flags
        .base_url
        .clone()
        .or_else(|| env(lasso_ai::ENV_BASE_URL))
        .or_else(|| from_file.and_then(|p| p.base_url));
    Ok(Settings {
        api_key,
        key_source,
        base_url,
        timeout: flags.timeout,
        max_retries: flags.max_retries,
        via,
    })
}

fn key_file_source(path: &Path) -> String {
    if path == Path::new("-") {
        "standard input".to_owned()
    } else {
        format!("file {}", path.display())
    }
}

/// The key in a file (`-`: standard input), trimmed; warns when others can read the file.
fn read_key_file(path: &Path, out: &Out) -> Result<String, String> {
    let mut text = String::new();
    if path == Path::new("-") {
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| format!("cannot read the key from standard input: {e}"))?;
    } else {
        warn_if_exposed(out, path, "the key file");
        text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read the key file {}: {e}", path.display()))?;
    }
    Ok(text.trim().to_owned())
}

impl Settings {
    /// A client from these settings; nothing is sent.
    pub fn client(&self) -> Result<lasso_ai::Client, lasso_ai::Error> {
        let mut b = lasso_ai::Client::builder();
        match &self.api_key {
            Some(key) => b = b.api_key(key.clone()),
            None => {
                return Err(lasso_ai::Error::invalid_api_key_error(
                    "missing",
                    format!(
                        "no API key: set {} (or pass --api-key-file PATH, or run `lasso auth login`)",
                        lasso_ai::ENV_API_KEY
                    ),
                ))
            }
        }
        if let Some(url) = &self.base_url {
            b = b.base_url(url.clone());
        }
        if let Some(t) = self.timeout {
            b = b.timeout(lasso_ai::__bindings::duration_from_secs("--timeout", t)?);
        }
        if let Some(r) = self.max_retries {
            b = b.max_retries(r);
        }
        let product = match &self.via {
            Some(via) => format!("lasso-cli/{} ({via})", crate::VERSION),
            None => format!("lasso-cli/{}", crate::VERSION),
        };
        b.front_door(product).build()
    }
}

/// Writes `key` (and `base_url`) into the profile of the config file, which
/// is created (or rewritten) with owner-only permissions.
pub fn store(path: &Path, profile: &str, key: Option<&str>, base_url: Option<&str>) -> Result<(), String> {
    let mut file = read_file(path)?.unwrap_or_default();
    let entry = file.entry(profile.to_owned()).or_default();
    entry.api_key = key.map(str::to_owned);
    if let Some(url) = base_url {
        entry.base_url = Some(url.to_owned());
    }
    if entry.api_key.is_none() && entry.base_url.is_none() {
        file.remove(profile);
    }
    let text = toml::to_string(&file).map_err(|e| format!("cannot write the config: {e}"))?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    let tmp = path.with_extension("toml.tmp");
    let _ = std::fs::remove_file(&tmp);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let write = || -> std::io::Result<()> {
        use std::io::Write;
        let mut f = options.open(&tmp)?;
        f.write_all(text.as_bytes())?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    };
    write().map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        format!("cannot write the config file {}: {e}", path.display())
    })
}
