//! Output: write files atomically (temporary file in the same folder, then rename), so an
//! interrupted run never leaves half a file behind.

use std::io::Write;
use std::path::{Path, PathBuf};

/// Writes `bytes` to `path` atomically, creating parent folders; the data is on disk on return.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_atomic_with(path, bytes, true)
}

/// Whether [`sync_filesystem`] makes files durable (Linux `syncfs`). Where it does not, a batch
/// syncs each file as it writes it.
pub const CAN_SYNC_FILESYSTEM: bool = cfg!(target_os = "linux");

/// Like [`write_atomic`] (a temporary file renamed into place, so an interrupted process never
/// leaves half a file under the real name), but with `sync` false it does not wait for the data to
/// reach the disk: a batch writes many files and makes them durable together with one
/// [`sync_filesystem`] (an `fdatasync` per small file costs more than cleaning it).
pub fn write_atomic_with(path: &Path, bytes: &[u8], sync: bool) -> std::io::Result<()> {
    let parent = folder_of(path);
    // The folder usually exists (a batch writes many files into few folders): it is made only
    // when the temporary file cannot be, which saves two system calls per file.
    let mut tmp = match temp_in(parent) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            std::fs::create_dir_all(parent)?;
            temp_in(parent)?
        }
        other => other?,
    };
    tmp.write_all(bytes)?;
    if sync {
        tmp.as_file().sync_data().ok();
    }
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// The folder a file at `path` goes in (`.` for a bare file name).
pub fn folder_of(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// A new temporary file (`.chaff-*.tmp`) in `dir`, to be renamed into place. It is created with
/// the mode of any new file (read and write for all, less the process's umask: `-rw-r--r--`
/// under the usual 022), not the owner-only mode of a private temporary file, since it becomes
/// an output that other users and jobs read.
fn temp_in(dir: &Path) -> std::io::Result<tempfile::NamedTempFile> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(".chaff-").suffix(".tmp");
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    builder.tempfile_in(dir)
}

/// Flushes every file written so far on the file system that holds `dir` to disk: one `syncfs`
/// call on Linux; elsewhere nothing (see [`CAN_SYNC_FILESYSTEM`]).
pub fn sync_filesystem(dir: &Path) -> std::io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        let folder = std::fs::File::open(dir)?;
        rustix::fs::syncfs(&folder)?;
    }
    #[cfg(not(target_os = "linux"))]
    let _ = dir;
    Ok(())
}

/// A file written through a temporary file in the same folder, which replaces the target only on
/// [`AtomicFile::commit`]; dropped uncommitted, it leaves nothing behind.
#[derive(Debug)]
pub struct AtomicFile {
    tmp: tempfile::NamedTempFile,
    path: PathBuf,
}

impl AtomicFile {
    /// Starts writing `path`, creating its parent folders.
    pub fn create(path: &Path) -> std::io::Result<Self> {
        let parent = folder_of(path);
        std::fs::create_dir_all(parent)?;
        let tmp = temp_in(parent)?;
        Ok(AtomicFile {
            tmp,
            path: path.to_path_buf(),
        })
    }

    /// Moves the finished file into place.
    pub fn commit(self) -> std::io::Result<()> {
        self.tmp.persist(&self.path).map_err(|e| e.error)?;
        Ok(())
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.tmp.write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.tmp.flush()
    }
}

/// The cleaned file's path for an input at `rel`: same relative path, extension `.txt` (a `.gz`
/// suffix is dropped first: `a.html.gz` becomes `a.txt`).
/// When `keep_extension` is set (another input would map to the same name), `.txt` is appended.
pub fn output_rel_path(rel: &Path, keep_extension: bool) -> PathBuf {
    if keep_extension {
        let mut s = rel.as_os_str().to_os_string();
        s.push(".txt");
        PathBuf::from(s)
    } else if crate::input::is_gzip_name(rel) {
        rel.with_extension("").with_extension("txt")
    } else {
        rel.with_extension("txt")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_whole_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a/b/c.txt");
        write_atomic(&p, b"first").unwrap();
        write_atomic(&p, b"second").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"second");
        let leftovers: Vec<_> = std::fs::read_dir(p.parent().unwrap()).unwrap().collect();
        assert_eq!(leftovers.len(), 1);
    }

    #[test]
    fn atomic_file_appears_only_on_commit() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("sub/out.jsonl");
        let mut f = AtomicFile::create(&p).unwrap();
        f.write_all(b"{}\n").unwrap();
        assert!(!p.exists());
        f.commit().unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"{}\n");
        let mut g = AtomicFile::create(&p).unwrap();
        g.write_all(b"half").unwrap();
        drop(g);
        assert_eq!(std::fs::read(&p).unwrap(), b"{}\n");
        assert_eq!(std::fs::read_dir(p.parent().unwrap()).unwrap().count(), 1);
    }

    /// Outputs get the mode any new file gets here (the umask applied to read-write for all),
    /// not a private temporary file's owner-only mode.
    #[cfg(unix)]
    #[test]
    fn outputs_have_the_mode_of_a_new_file() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        let plain = dir.path().join("plain.txt");
        std::fs::write(&plain, b"x").unwrap();
        let written = dir.path().join("written.txt");
        write_atomic_with(&written, b"x", false).unwrap();
        let committed = dir.path().join("committed.jsonl");
        let mut f = AtomicFile::create(&committed).unwrap();
        f.write_all(b"{}\n").unwrap();
        f.commit().unwrap();
        assert_eq!(mode(&written), mode(&plain));
        assert_eq!(mode(&committed), mode(&plain));
    }

    #[test]
    fn output_names() {
        assert_eq!(
            output_rel_path(Path::new("x/page.html"), false),
            PathBuf::from("x/page.txt")
        );
        assert_eq!(
            output_rel_path(Path::new("x/page.html"), true),
            PathBuf::from("x/page.html.txt")
        );
        assert_eq!(
            output_rel_path(Path::new("noext"), false),
            PathBuf::from("noext.txt")
        );
        assert_eq!(
            output_rel_path(Path::new("x/page.html.gz"), false),
            PathBuf::from("x/page.txt")
        );
        assert_eq!(
            output_rel_path(Path::new("x/page.html.gz"), true),
            PathBuf::from("x/page.html.gz.txt")
        );
    }
}
