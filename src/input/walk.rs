//! Walking the input paths into a sorted list of entries, each with a plan: read it, or skip it and why.

use super::sniff::{kind_from_extension, ExtensionVerdict};
use super::DocKind;
use std::path::{Path, PathBuf};

/// How to walk the inputs.
#[derive(Debug, Clone, Default)]
pub struct WalkOptions {
    /// Follow symbolic links (loops are detected and reported).
    pub follow_links: bool,
}

/// What will happen to one listed entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputPlan {
    /// Read it; the kind is known from the extension, or `None` to sniff the bytes.
    Read(Option<DocKind>),
    /// Not a document chaff reads (the reason says why); reported, not an error.
    Skip(String),
    /// Could not even be listed (unreadable folder, symlink loop); reported as an error.
    Error(String),
}

/// One entry found under the inputs.
#[derive(Debug, Clone)]
pub struct InputEntry {
    /// The path to open.
    pub path: PathBuf,
    /// The path relative to its input root; outputs mirror it.
    pub rel: PathBuf,
    /// `rel` as text for the report ([`report_name`]: bytes that are not UTF-8 escaped as `\xNN`).
    pub name: String,
    /// Read, skip or error.
    pub plan: InputPlan,
    /// The file's size when it was listed (0 when not a readable file): a scheduling hint only.
    pub size: u64,
}

/// Errors that stop a run before it starts (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    /// An input path does not exist or cannot be inspected.
    #[error("cannot read input '{path}': {source}")]
    Missing {
        /// The path as given.
        path: String,
        /// The underlying error.
        source: std::io::Error,
    },
}

/// Lists every entry under `roots`, sorted by relative path; never follows links unless asked.
pub fn list_inputs(roots: &[PathBuf], opts: &WalkOptions) -> Result<Vec<InputEntry>, InputError> {
    let mut entries = Vec::new();
    let prefix_roots = roots.len() > 1;
    for root in roots {
        let meta = std::fs::symlink_metadata(root).map_err(|source| InputError::Missing {
            path: root.display().to_string(),
            source,
        })?;
        let root_is_dir = if meta.file_type().is_symlink() {
            // A link given explicitly on the command line is always followed.
            std::fs::metadata(root).map(|m| m.is_dir()).unwrap_or(false)
        } else {
            meta.is_dir()
        };
        if !root_is_dir {
            let rel = PathBuf::from(root.file_name().unwrap_or(root.as_os_str()));
            entries.push(entry_for_file(root.clone(), rel, true));
            continue;
        }
        let base = if prefix_roots {
            PathBuf::from(root.file_name().unwrap_or(root.as_os_str()))
        } else {
            PathBuf::new()
        };
        let walker = walkdir::WalkDir::new(root)
            .follow_links(opts.follow_links)
            .follow_root_links(true)
            .sort_by_file_name();
        for item in walker {
            match item {
                Ok(ent) => {
                    if ent.depth() == 0 || ent.file_type().is_dir() {
                        continue;
                    }
                    let rel = base.join(ent.path().strip_prefix(root).unwrap_or(ent.path()));
                    let path = ent.path().to_path_buf();
                    if ent.path_is_symlink() && !opts.follow_links {
                        entries.push(make_entry(
                            path,
                            rel,
                            InputPlan::Skip("symbolic link not followed (use --follow)".into()),
                        ));
                        continue;
                    }
                    entries.push(entry_for_file(path, rel, false));
                }
                Err(err) => {
                    let path = err
                        .path()
                        .map(Path::to_path_buf)
                        .unwrap_or_else(|| root.clone());
                    let rel = base.join(path.strip_prefix(root).unwrap_or(&path));
                    let msg = if err.loop_ancestor().is_some() {
                        "symbolic link loop".to_string()
                    } else {
                        match err.io_error() {
                            Some(io) if is_link_loop(io) => {
                                "symbolic link loop (links that point at each other)".to_string()
                            }
                            Some(io) => format!("cannot list: {io}"),
                            None => format!("cannot list: {err}"),
                        }
                    };
                    entries.push(make_entry(path, rel, InputPlan::Error(msg)));
                }
            }
        }
    }
    entries.sort_by(|a, b| a.rel.cmp(&b.rel));
    Ok(entries)
}

/// A path as text for reports: UTF-8 as it is; each byte that is not part of valid UTF-8 written
/// as `\xNN`, so two names that differ only in such bytes stay distinct (a lossy conversion
/// would turn both into U+FFFD).
pub fn report_name(rel: &Path) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let bytes = rel.as_os_str().as_bytes();
        if let Ok(s) = std::str::from_utf8(bytes) {
            return s.to_string();
        }
        let mut out = String::with_capacity(bytes.len() + 8);
        for chunk in bytes.utf8_chunks() {
            out.push_str(chunk.valid());
            for b in chunk.invalid() {
                out.push_str(&format!("\\x{b:02X}"));
            }
        }
        out
    }
    #[cfg(not(unix))]
    {
        rel.to_string_lossy().into_owned()
    }
}

fn make_entry(path: PathBuf, rel: PathBuf, plan: InputPlan) -> InputEntry {
    let name = report_name(&rel);
    InputEntry {
        path,
        rel,
        name,
        plan,
        size: 0,
    }
}

/// Plans a non-directory entry: its file type first, then its extension.
fn entry_for_file(path: PathBuf, rel: PathBuf, explicit: bool) -> InputEntry {
    let meta = std::fs::metadata(&path);
    let size = meta
        .as_ref()
        .map_or(0, |m| if m.is_file() { m.len() } else { 0 });
    let plan = match meta {
        Err(e) if is_link_loop(&e) => {
            InputPlan::Error("symbolic link loop (links that point at each other)".into())
        }
        Err(e) => InputPlan::Error(format!("cannot inspect: {e}")),
        Ok(meta) if meta.is_dir() => InputPlan::Skip("directory".into()),
        Ok(meta) if !meta.is_file() => InputPlan::Skip(special_file_reason(&meta)),
        Ok(_) => match kind_from_extension(rel.file_name().unwrap_or(rel.as_os_str())) {
            ExtensionVerdict::Known(kind) => InputPlan::Read(Some(kind)),
            ExtensionVerdict::Sniff => InputPlan::Read(None),
            // A file named explicitly is read whatever its extension.
            ExtensionVerdict::Unsupported(_) if explicit => InputPlan::Read(None),
            ExtensionVerdict::Unsupported(ext) => {
                InputPlan::Skip(format!("unsupported extension .{ext}"))
            }
        },
    };
    InputEntry {
        size,
        ..make_entry(path, rel, plan)
    }
}

/// True for "too many levels of symbolic links" (ELOOP).
fn is_link_loop(e: &std::io::Error) -> bool {
    // ELOOP is 40 on Linux, 62 on macOS and the BSDs.
    let eloop = if cfg!(target_os = "linux") { 40 } else { 62 };
    cfg!(unix) && e.raw_os_error() == Some(eloop)
}

#[cfg(unix)]
fn special_file_reason(meta: &std::fs::Metadata) -> String {
    use std::os::unix::fs::FileTypeExt;
    let ft = meta.file_type();
    if ft.is_fifo() {
        "named pipe, not read".into()
    } else if ft.is_socket() {
        "socket, not read".into()
    } else if ft.is_block_device() || ft.is_char_device() {
        "device, not read".into()
    } else {
        "not a regular file".into()
    }
}

#[cfg(not(unix))]
fn special_file_reason(_meta: &std::fs::Metadata) -> String {
    "not a regular file".into()
}
