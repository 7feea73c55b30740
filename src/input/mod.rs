//! Input: find the documents to clean and read their bytes.
//!
//! [`list_inputs`] walks files and folders (recursively, in a deterministic order) and says for each
//! entry whether it will be read and as what, or why it is skipped. [`read_document`] reads one
//! entry's bytes, bounded by the size limit (gzip-compressed `.gz` files are decompressed). Nothing
//! here ever writes to an input. For pipeline mode, [`jsonl`] reads JSON Lines records and [`warc`]
//! with [`http`] reads WARC files.

pub mod http;
pub mod jsonl;
pub mod shard;
mod sniff;
mod walk;
pub mod warc;

pub use shard::Shard;
pub use sniff::{kind_from_extension, sniff_kind, ExtensionVerdict};
pub use walk::{list_inputs, report_name, InputEntry, InputError, InputPlan, WalkOptions};

use std::io::Read;
use std::path::Path;

/// What a document is: an HTML page or already-flattened text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DocKind {
    /// An HTML (or XHTML) page.
    Html,
    /// Plain text, usually every visible line of a page.
    Text,
}

impl DocKind {
    /// The name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            DocKind::Html => "html",
            DocKind::Text => "text",
        }
    }
}

/// The bytes of one document as read, with what is known of it before decoding.
#[derive(Debug, Clone)]
pub struct RawDoc {
    /// The document's name in reports (relative path, `-` for stdin, or a record id).
    pub name: String,
    /// Raw bytes, possibly truncated to the size limit.
    pub bytes: Vec<u8>,
    /// The kind, when the extension or the caller decided it; `None` means sniff the bytes.
    pub kind: Option<DocKind>,
    /// True when the input was longer than the size limit and was cut.
    pub truncated: bool,
    /// Set when the caller already decoded the text (a JSON string, an HTTP body decoded with its
    /// header's charset): `bytes` are then that text in UTF-8, and the decode stage takes them as
    /// they are instead of looking for a charset.
    pub decoded: Option<crate::decode::CallerCharset>,
}

impl RawDoc {
    /// A document from bytes already in memory (stdin, a JSONL field, a WARC record).
    pub fn from_bytes(name: impl Into<String>, bytes: Vec<u8>, kind: Option<DocKind>) -> Self {
        RawDoc {
            name: name.into(),
            bytes,
            kind,
            truncated: false,
            decoded: None,
        }
    }

    /// A document whose text the caller already decoded from `charset` (see [`RawDoc::decoded`]).
    pub fn from_text(
        name: impl Into<String>,
        text: String,
        kind: Option<DocKind>,
        charset: crate::decode::CallerCharset,
    ) -> Self {
        RawDoc {
            decoded: Some(charset),
            ..RawDoc::from_bytes(name, text.into_bytes(), kind)
        }
    }

    /// The document kind, sniffing the bytes when the caller did not decide it.
    pub fn resolved_kind(&self) -> DocKind {
        self.kind.unwrap_or_else(|| sniff_kind(&self.bytes))
    }
}

/// Reads at most `limit` bytes from `reader`, reporting whether more was available.
pub fn read_bounded(reader: impl Read, limit: usize) -> std::io::Result<(Vec<u8>, bool)> {
    read_bounded_sized(reader, limit, 0)
}

/// Like [`read_bounded`], with room for `expected` bytes (a file's size) made up front, so that
/// reading a file of known size does not grow the buffer step by step.
fn read_bounded_sized(
    reader: impl Read,
    limit: usize,
    expected: u64,
) -> std::io::Result<(Vec<u8>, bool)> {
    // One byte more than the file holds lets read_to_end see the end without growing the buffer.
    let room = usize::try_from(expected).unwrap_or(usize::MAX).min(limit);
    let mut bytes = buffer_for(room.saturating_add(1));
    let mut limited = reader.take(limit as u64 + 1);
    limited.read_to_end(&mut bytes)?;
    Ok(cut_at_limit(bytes, limit))
}

/// `bytes`, read up to one byte past `limit`, cut to the limit, and whether they had to be.
fn cut_at_limit(mut bytes: Vec<u8>, limit: usize) -> (Vec<u8>, bool) {
    let truncated = bytes.len() > limit;
    if truncated {
        bytes.truncate(limit);
    }
    (bytes, truncated)
}

/// Buffers larger than this are not kept for the next document ([`recycle_buffer`]).
const MAX_SPARE_BYTES: usize = 16 << 20;

thread_local! {
    /// The memory of the last document this thread finished with, for the next one to read
    /// into: memory the process has already touched, where a fresh allocation of a large
    /// buffer would have the kernel fault in and zero every page of it again (a fifth of the
    /// page faults of a run over the aeb pages).
    static SPARE: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// An empty buffer with room for at least `room` bytes: this thread's spare one when it is
/// large enough, a new one otherwise.
fn buffer_for(room: usize) -> Vec<u8> {
    let spare = SPARE.with(|s| std::mem::take(&mut *s.borrow_mut()));
    if spare.capacity() >= room {
        return spare;
    }
    Vec::with_capacity(room)
}

/// Gives a finished document's bytes (or the text they became) back to this thread, for the
/// next file it reads. The larger of it and the buffer already kept stays, up to
/// [`MAX_SPARE_BYTES`].
pub fn recycle_buffer(mut bytes: Vec<u8>) {
    if bytes.capacity() > MAX_SPARE_BYTES {
        return;
    }
    bytes.clear();
    SPARE.with(|s| {
        let mut kept = s.borrow_mut();
        if bytes.capacity() > kept.capacity() {
            *kept = bytes;
        }
    });
}

/// [`read_bounded_sized`] for a file: on Linux straight into the buffer's spare room, which
/// makes one `read` call for the whole of a regular file (and one more to see its end), where
/// `Read::read_to_end` through a size limit starts at 8 KiB and doubles (seven calls for a
/// 600 KB page).
#[cfg(target_os = "linux")]
fn read_file_bounded(
    file: std::fs::File,
    limit: usize,
    expected: u64,
) -> std::io::Result<(Vec<u8>, bool)> {
    // One byte past the limit tells a longer input from one exactly at it.
    let most = limit.saturating_add(1);
    let room = usize::try_from(expected).unwrap_or(usize::MAX);
    let mut bytes = buffer_for(room.saturating_add(1).min(most));
    loop {
        if bytes.len() == bytes.capacity() {
            if bytes.len() >= most {
                break;
            }
            // The file grew since it was measured (or its size was unknown): double the room.
            bytes.reserve_exact(bytes.len().max(8192).min(most - bytes.len()));
        }
        match rustix::io::read(&file, rustix::buffer::spare_capacity(&mut bytes)) {
            Ok(0) => break,
            Ok(_) => {}
            Err(rustix::io::Errno::INTR) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(cut_at_limit(bytes, limit))
}

#[cfg(not(target_os = "linux"))]
fn read_file_bounded(
    file: std::fs::File,
    limit: usize,
    expected: u64,
) -> std::io::Result<(Vec<u8>, bool)> {
    read_bounded_sized(file, limit, expected)
}

/// True when the file name ends in `.gz` (any case).
pub fn is_gzip_name(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("gz"))
}

/// Reads one file into a [`RawDoc`] named `name`, bounded by `limit` bytes; a `.gz` file is
/// decompressed (the limit applies to the decompressed bytes). Pipes and devices are read too
/// (for a file named on the command line); folder runs use [`read_regular_document`].
pub fn read_document(
    path: &Path,
    name: &str,
    kind: Option<DocKind>,
    limit: usize,
) -> std::io::Result<RawDoc> {
    let file = std::fs::File::open(path)?;
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    read_from(file, size, path, name, kind, limit)
}

/// Like [`read_document`], but only for a regular file: the file is opened without blocking and
/// checked through the open handle, so an entry listed as a file that became a named pipe or a
/// device before it was read is an error, never a read that waits forever.
pub fn read_regular_document(
    path: &Path,
    name: &str,
    kind: Option<DocKind>,
    limit: usize,
) -> std::io::Result<RawDoc> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // O_NONBLOCK: opening a named pipe does not wait for a writer (no effect on files).
        options.custom_flags(0o4000);
    }
    let file = options.open(path)?;
    let metadata = file.metadata()?;
    if !metadata.is_file() {
        return Err(std::io::Error::other(
            "not a regular file (it changed after it was listed)",
        ));
    }
    read_from(file, metadata.len(), path, name, kind, limit)
}

/// Reads `file`, whose size on disk is `size` (a capacity hint only; 0 when unknown).
fn read_from(
    file: std::fs::File,
    size: u64,
    path: &Path,
    name: &str,
    kind: Option<DocKind>,
    limit: usize,
) -> std::io::Result<RawDoc> {
    let (bytes, truncated) = if is_gzip_name(path) {
        read_bounded(flate2::read::MultiGzDecoder::new(file), limit)?
    } else {
        read_file_bounded(file, limit, size)?
    };
    Ok(RawDoc {
        name: name.to_string(),
        bytes,
        kind,
        truncated,
        decoded: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A thread reads its next file into the memory of the document it finished with, when that
    /// is large enough, and gets the same bytes as into fresh memory, limit included; buffers
    /// over the cap are not kept.
    #[test]
    fn finished_buffers_are_read_into_again() {
        let dir = tempfile::tempdir().unwrap();
        let (big, small) = (dir.path().join("big.html"), dir.path().join("small.html"));
        std::fs::write(&big, "<p>big page</p>\n".repeat(4000)).unwrap();
        std::fs::write(&small, "<p>small page</p>").unwrap();
        let read = |path: &Path, limit: usize| {
            let size = std::fs::metadata(path).unwrap().len();
            read_file_bounded(std::fs::File::open(path).unwrap(), limit, size).unwrap()
        };
        let (first, _) = read(&big, 1 << 20);
        let at = first.as_ptr();
        recycle_buffer(first);
        let (second, truncated) = read(&small, 1 << 20);
        assert_eq!(
            (second.as_ptr(), &second[..], truncated),
            (at, &b"<p>small page</p>"[..], false)
        );
        recycle_buffer(second);
        let (cut, truncated) = read(&big, 10);
        assert_eq!(
            (cut.as_ptr(), &cut[..], truncated),
            (at, &b"<p>big pag"[..], true)
        );
        recycle_buffer(cut);
        // A smaller buffer does not replace the kept one; one over the cap is not kept at all.
        recycle_buffer(Vec::with_capacity(16));
        recycle_buffer(Vec::with_capacity(MAX_SPARE_BYTES + 1));
        let (again, _) = read(&small, 1 << 20);
        assert_eq!(again.as_ptr(), at);
    }

    /// A file is read whole, or cut at the limit and marked truncated, whatever size it was
    /// thought to have (it may have grown or shrunk since it was listed, or be unknown: 0).
    #[test]
    fn files_are_read_up_to_the_limit_whatever_their_expected_size() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("page.html");
        let body: Vec<u8> = (0..50_000u32)
            .map(|i| b"<p>chaff</p>\n"[i as usize % 13])
            .collect();
        std::fs::write(&path, &body).unwrap();
        for expected in [0, 1, 20_000, 50_000, 80_000] {
            for (limit, whole) in [
                (50_000, true),
                (100_000, true),
                (49_999, false),
                (10, false),
            ] {
                let file = std::fs::File::open(&path).unwrap();
                let (bytes, truncated) = read_file_bounded(file, limit, expected).unwrap();
                assert_eq!(truncated, !whole, "limit {limit}, expected {expected}");
                assert_eq!(
                    bytes,
                    body[..body.len().min(limit)],
                    "limit {limit}, expected {expected}"
                );
            }
        }
        let empty = dir.path().join("empty.html");
        std::fs::write(&empty, b"").unwrap();
        let (bytes, truncated) =
            read_file_bounded(std::fs::File::open(&empty).unwrap(), 100, 0).unwrap();
        assert!(bytes.is_empty() && !truncated);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_pipe_where_a_file_was_listed_is_an_error_not_a_wait() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("page.html");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .is_ok_and(|s| s.success());
        if !made {
            eprintln!("mkfifo failed: not checked");
            return;
        }
        let err = read_regular_document(&fifo, "page.html", None, 100).unwrap_err();
        assert!(err.to_string().contains("not a regular file"), "{err}");
        let file = dir.path().join("a.txt");
        std::fs::write(&file, "hello").unwrap();
        let doc = read_regular_document(&file, "a.txt", None, 3).unwrap();
        assert_eq!((doc.bytes, doc.truncated), (b"hel".to_vec(), true));
    }
}
