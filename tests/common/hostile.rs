//! A hostile input folder: every kind of junk a scraped folder holds, built reproducibly.
//!
//! Used by `tests/hostile.rs` and by `examples/hostile_folder.rs` (which `scripts/hostile.sh`
//! runs to measure wall time and peak memory on the release binary), so both check the same
//! folder. Nothing here is random: the "random" bytes come from a fixed linear congruential
//! generator.
#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};

/// What was built, for the checks.
#[derive(Debug, Default)]
pub struct Manifest {
    /// Relative paths of the regular files written (each must get exactly one report record).
    pub regular: Vec<PathBuf>,
    /// Relative paths of symbolic links (skipped without `--follow`).
    pub links: Vec<PathBuf>,
    /// Relative paths of named pipes (skipped with a reason).
    pub pipes: Vec<PathBuf>,
    /// The file made unreadable with `chmod 000`, when this process cannot read it anyway
    /// (not root); `None` when running as root, where the mode does not stop reads.
    pub unreadable: Option<PathBuf>,
    /// Total bytes of the regular files.
    pub bytes: u64,
}

/// How big to make the folder. `full()` is the issue's list; the numbers are what it names.
#[derive(Debug, Clone, Copy)]
pub struct Sizes {
    /// Bytes of the single-line file.
    pub long_line_bytes: usize,
    /// Nesting depth of the `<div>` tower.
    pub nested_divs: usize,
    /// Unclosed `<p>` elements.
    pub unclosed_p: usize,
    /// Attributes on one tag.
    pub attributes: usize,
    /// Tokens on the million-token line.
    pub tokens: usize,
    /// Tiny files.
    pub tiny_files: usize,
}

impl Sizes {
    /// The sizes the issue names.
    pub fn full() -> Self {
        Sizes {
            long_line_bytes: 30 * 1024 * 1024,
            nested_divs: 200_000,
            unclosed_p: 100_000,
            attributes: 50_000,
            tokens: 1_000_000,
            tiny_files: 3_000,
        }
    }

    /// Smaller files for debug builds (ten times slower): the shapes are the same, the long line
    /// and the token line shorter. Nesting, attributes and file counts stay as the issue says.
    pub fn quick() -> Self {
        Sizes {
            long_line_bytes: 3 * 1024 * 1024,
            tokens: 100_000,
            ..Self::full()
        }
    }
}

struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u8 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) as u8
    }

    fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next()).collect()
    }
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(bytes).expect("gzip in memory");
    gz.finish().expect("gzip in memory")
}

fn utf16(text: &str, big_endian: bool, bom: bool) -> Vec<u8> {
    let mut out = Vec::new();
    let units = if bom {
        std::iter::once(0xFEFFu16)
            .chain(text.encode_utf16())
            .collect::<Vec<_>>()
    } else {
        text.encode_utf16().collect()
    };
    for u in units {
        if big_endian {
            out.extend_from_slice(&u.to_be_bytes());
        } else {
            out.extend_from_slice(&u.to_le_bytes());
        }
    }
    out
}

const PROSE: &str = "The regional council approved the budget on Tuesday after a long debate, and officials said the new money would pay for road repairs, two schools and a clinic in the north of the province.";

fn article(title: &str, paragraphs: usize) -> String {
    let body: String = (0..paragraphs)
        .map(|i| format!("<p>{PROSE} Paragraph {i}.</p>\n"))
        .collect();
    format!("<!doctype html><html><head><title>{title}</title></head><body><article><h1>{title}</h1>{body}</article></body></html>")
}

struct Builder<'a> {
    root: &'a Path,
    manifest: Manifest,
}

impl Builder<'_> {
    fn file(&mut self, rel: impl AsRef<Path>, bytes: &[u8]) {
        let rel = rel.as_ref();
        let path = self.root.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create folder");
        }
        std::fs::write(&path, bytes).expect("write hostile file");
        self.manifest.regular.push(rel.to_path_buf());
        self.manifest.bytes += bytes.len() as u64;
    }

    #[cfg(unix)]
    fn link(&mut self, rel: &str, target: &str) {
        std::os::unix::fs::symlink(target, self.root.join(rel)).expect("symlink");
        self.manifest.links.push(PathBuf::from(rel));
    }
}

/// Builds the hostile folder in `root` (which must exist and be empty).
pub fn build(root: &Path, sizes: Sizes) -> Manifest {
    let mut b = Builder {
        root,
        manifest: Manifest::default(),
    };
    let mut rng = Lcg(0x5eed);

    // Empty and tiny.
    b.file("empty.txt", b"");
    b.file("empty.html", b"");
    b.file("empty-noext", b"");
    b.file("one-byte.txt", b"x");
    b.file("one-byte.html", b"<");
    b.file("one-nul.txt", b"\0");
    b.file("lone-bom.txt", b"\xEF\xBB\xBF");
    b.file("lone-utf16-bom.html", b"\xFF\xFE");

    // Binary data under document names.
    b.file("binary.html", &rng.bytes(64 * 1024));
    b.file("binary-noext", &rng.bytes(4096));
    b.file("png.html", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10");
    b.file("nul-only.txt", &vec![0u8; 100_000]);
    let mut ascii_nul = PROSE.as_bytes().repeat(50);
    for i in (0..ascii_nul.len()).step_by(97) {
        ascii_nul[i] = 0;
    }
    b.file("nul-sprinkled.txt", &ascii_nul);

    // Compression: gzip under a text name, a .gz that is not gzip, a cut gzip, a gzip bomb.
    let page = article("Gzip in disguise", 5);
    b.file("gzip-named.txt", &gzip(page.as_bytes()));
    b.file("not-gzip.txt.gz", page.as_bytes());
    let gz = gzip(page.as_bytes());
    b.file("cut.html.gz", &gz[..gz.len() / 2]);
    // Bombs as many small gzip members (read as one stream), cheap to build: 200 MB of words
    // under a text name, 100 MB of NUL bytes under an HTML name.
    b.file(
        "bomb.txt.gz",
        &gzip(&b"spam ".repeat(64 * 1024)).repeat(640),
    );
    b.file(
        "nul-bomb.html.gz",
        &gzip(&vec![0u8; 1024 * 1024]).repeat(100),
    );

    // One 30 MB line of words, and a million-token line.
    let mut line = Vec::with_capacity(sizes.long_line_bytes);
    let words = [
        "council ", "budget ", "road ", "school ", "clinic, ", "north. ",
    ];
    let mut i = 0;
    while line.len() < sizes.long_line_bytes {
        line.extend_from_slice(words[i % words.len()].as_bytes());
        i += 1;
    }
    b.file("long-line.txt", &line);
    drop(line);
    let tokens: String = (0..sizes.tokens)
        .map(|i| format!("w{} ", i % 997))
        .collect();
    b.file("million-tokens.txt", tokens.as_bytes());
    b.file(
        "million-tokens.html",
        format!("<html><body><p>{tokens}</p></body></html>").as_bytes(),
    );
    b.file("million-lines.txt", &b"\n".repeat(1_000_000));
    b.file("million-angles.html", &b"<".repeat(1_000_000));

    // Pathological HTML trees.
    let mut nested = String::from("<html><body>");
    for i in 0..sizes.nested_divs {
        if i % 1000 == 0 {
            nested.push_str("<div>deep text ");
        } else {
            nested.push_str("<div>");
        }
    }
    nested.push_str(PROSE);
    b.file("nested-divs.html", nested.as_bytes());
    drop(nested);
    let nested_inline = "<b>".repeat(sizes.nested_divs / 2) + PROSE;
    b.file("nested-inline.html", nested_inline.as_bytes());
    let tables = "<table><tr><td>".repeat(sizes.nested_divs / 20) + PROSE;
    b.file("nested-tables.html", tables.as_bytes());
    let unclosed: String = (0..sizes.unclosed_p)
        .map(|i| format!("<p>{i} {}", &PROSE[..60]))
        .collect();
    b.file(
        "unclosed-p.html",
        format!("<html><body>{unclosed}").as_bytes(),
    );
    let attrs: String = (0..sizes.attributes)
        .map(|i| format!(" data-a{i}=\"v{i}\""))
        .collect();
    b.file(
        "many-attributes.html",
        format!("<html><body><div{attrs}><p>{PROSE}</p></div></body></html>").as_bytes(),
    );
    let dup_attrs = " class=\"x\"".repeat(sizes.attributes);
    b.file(
        "duplicate-attributes.html",
        format!("<html><body><p{dup_attrs}>{PROSE}</p></body></html>").as_bytes(),
    );
    b.file(
        "unclosed-script.html",
        format!("<html><body><p>{PROSE}</p><script>var x = '").as_bytes(),
    );
    b.file(
        "unclosed-comment.html",
        format!("<html><body><p>{PROSE}</p><!-- {}", "-".repeat(100_000)).as_bytes(),
    );
    b.file(
        "plaintext.html",
        format!("<html><body><plaintext>{PROSE}</p></body></html>").as_bytes(),
    );

    // UTF-16 with and without a byte-order mark.
    let page = article("Sixteen bits", 3);
    b.file("utf16le-bom.html", &utf16(&page, false, true));
    b.file("utf16be-bom.html", &utf16(&page, true, true));
    b.file("utf16le-nobom.html", &utf16(&page, false, false));
    b.file("utf16be-nobom.txt", &utf16(PROSE, true, false));
    b.file("utf16-odd-length.txt", &utf16(PROSE, false, true)[..101]);

    // Invalid UTF-8 and control bytes.
    let mut bad = PROSE.as_bytes().to_vec();
    bad.extend_from_slice(b" \xC3\x28 \xA0\xA1 \xE2\x28\xA1 \xF0\x90\x28\xBC \xF8\xA1\xA1\xA1\xA1 \xED\xA0\x80 \xC0\xAF ");
    bad.extend_from_slice(PROSE.as_bytes());
    b.file("invalid-utf8.txt", &bad);
    b.file("invalid-utf8.html", &[b"<p>".as_slice(), &bad].concat());
    let controls: Vec<u8> = (0u8..32).cycle().take(5000).collect();
    b.file(
        "controls.txt",
        &[PROSE.as_bytes(), &controls, PROSE.as_bytes()].concat(),
    );
    b.file("cr-only.txt", PROSE.replace(", ", "\r").as_bytes());

    // Charset declarations that lie or make no sense.
    for (name, meta) in [
        ("meta-bogus.html", "<meta charset=\"x-no-such-charset\">"),
        ("meta-utf16.html", "<meta charset=\"utf-16\">"),
        ("meta-replacement.html", "<meta charset=\"iso-2022-kr\">"),
        (
            "meta-empty.html",
            "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=;;;\">",
        ),
        (
            "meta-huge.html",
            &format!("<meta charset=\"{}\">", "x".repeat(100_000)),
        ),
        (
            "meta-many.html",
            &"<meta charset=\"koi8-r\">".repeat(10_000),
        ),
        (
            "xml-decl.xhtml",
            "<?xml version=\"1.0\" encoding=\"ebcdic-cp-us\"?>",
        ),
    ] {
        let mut bytes = meta.as_bytes().to_vec();
        bytes.extend_from_slice(article("Lying label", 3).as_bytes());
        bytes.extend_from_slice("caf\u{e9} na\u{ef}ve \u{2014} \u{201c}quoted\u{201d}".as_bytes());
        bytes.extend_from_slice(b" caf\xE9 ");
        b.file(name, &bytes);
    }

    // Entity bombs.
    let nested_amp = format!("<p>{}lt;</p>", "&amp;".repeat(100_000));
    b.file("entity-nested.html", nested_amp.as_bytes());
    b.file(
        "entity-nested.txt",
        format!("{PROSE}\n{}amp;\n{PROSE}\n", "&amp;".repeat(100_000)).as_bytes(),
    );
    b.file(
        "entity-flood.html",
        format!(
            "<p>{}</p>",
            "&nbsp;&#x10FFFF;&#0;&#xD800;&#99999999999;&bogus;".repeat(50_000)
        )
        .as_bytes(),
    );
    let laughs = {
        let mut dtd =
            String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n<!ENTITY lol \"lol\">\n");
        for i in 1..10 {
            let prev = if i == 1 {
                "lol".to_string()
            } else {
                format!("lol{}", i - 1)
            };
            dtd.push_str(&format!(
                "<!ENTITY lol{i} \"{}\">\n",
                format!("&{prev};").repeat(10)
            ));
        }
        dtd.push_str("]>\n<html><body><p>&lol9;</p></body></html>\n");
        dtd
    };
    b.file("billion-laughs.xhtml", laughs.as_bytes());
    b.file("billion-laughs.txt", laughs.as_bytes());

    // Right-to-left and CJK pages.
    let arabic = "أعلن المجلس الإقليمي يوم الثلاثاء عن الموافقة على الميزانية الجديدة بعد نقاش طويل، وقال المسؤولون إن الأموال ستخصص لإصلاح الطرق وبناء مدرستين وعيادة في شمال المقاطعة.";
    let hebrew = "המועצה האזורית אישרה ביום שלישי את התקציב לאחר דיון ארוך, ופקידים אמרו שהכסף ישמש לתיקון כבישים, שני בתי ספר ומרפאה בצפון המחוז.";
    let chinese = "地区议会周二在长时间辩论后批准了预算，官员表示，这笔新资金将用于修路、两所学校和该省北部的一家诊所。";
    let japanese = "地域評議会は火曜日、長い議論の末に予算を承認し、当局者は新たな資金が道路の補修、二つの学校、そして州北部の診療所に充てられると述べた。";
    for (name, dir, text) in [
        ("rtl-arabic.html", "rtl", arabic),
        ("rtl-hebrew.html", "rtl", hebrew),
        ("cjk-chinese.html", "ltr", chinese),
        ("cjk-japanese.html", "ltr", japanese),
    ] {
        let body = format!("<p dir=\"{dir}\">{text}</p>").repeat(6);
        b.file(
            name,
            format!("<html dir=\"{dir}\"><head><meta charset=\"utf-8\"></head><body><article><h1>{}</h1>{body}</article></body></html>", &text[..text.char_indices().nth(20).map_or(text.len(), |(i, _)| i)]).as_bytes(),
        );
    }
    b.file(
        "rtl-arabic.txt",
        format!("{arabic}\n\n").repeat(6).as_bytes(),
    );
    b.file(
        "cjk-chinese.txt",
        format!("{chinese}\n\n").repeat(6).as_bytes(),
    );
    b.file(
        "bidi-controls.txt",
        format!("\u{202E}{PROSE}\u{202C}\u{2066}{hebrew}\u{2069}\n").as_bytes(),
    );
    // GB18030 and Shift_JIS without a declaration.
    let zh = format!("{chinese}\n").repeat(5);
    b.file("cjk-gb18030.txt", &encoding_rs::GB18030.encode(&zh).0);
    let ja = format!("{japanese}\n").repeat(5);
    b.file("cjk-shift-jis.txt", &encoding_rs::SHIFT_JIS.encode(&ja).0);

    // Names: not UTF-8, with a newline, with odd characters; a folder named like a page.
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let page = article("Odd name", 3);
        for raw in [
            &b"latin1-caf\xE9.html"[..],
            b"latin1-caf\xE8.html",
            b"bad-\xFF\xFE.txt",
        ] {
            b.file(std::ffi::OsStr::from_bytes(raw), page.as_bytes());
        }
    }
    b.file(
        "new\nline.html",
        article("Newline in the name", 3).as_bytes(),
    );
    b.file(" leading space.txt", PROSE.as_bytes());
    b.file("-dash.txt", PROSE.as_bytes());
    b.file("quote\"back\\slash.txt", PROSE.as_bytes());
    b.file("x.html/inner.txt", PROSE.as_bytes());
    b.file(
        "x.html/index.html",
        article("Inside a folder named x.html", 3).as_bytes(),
    );
    // Two inputs mapping to the same output name.
    b.file("clash.html", article("Clash one", 3).as_bytes());
    b.file("clash.txt", PROSE.as_bytes());
    b.file("clash.html.gz", &gzip(article("Clash two", 3).as_bytes()));
    // Deep folders.
    let deep: PathBuf = (0..60).map(|i| format!("d{i}")).collect();
    b.file(deep.join("deep.txt"), PROSE.as_bytes());

    // Thousands of tiny files.
    for i in 0..sizes.tiny_files {
        let bytes = match i % 4 {
            0 => format!("{i}"),
            1 => format!("<p>{i}</p>"),
            2 => format!("Home\nNews\n\nHeadline {i}\n\n{PROSE}\n"),
            _ => String::new(),
        };
        let ext = if i % 2 == 0 { "txt" } else { "html" };
        b.file(
            format!("tiny/{:03}/{i:05}.{ext}", i / 500),
            bytes.as_bytes(),
        );
    }

    // Links, pipes, unreadable files.
    #[cfg(unix)]
    {
        b.link("loop-a.html", "loop-b.html");
        b.link("loop-b.html", "loop-a.html");
        b.link("self-loop.txt", "self-loop.txt");
        b.link("dangling.html", "/nonexistent/chaff/target.html");
        b.link("to-dev-null.txt", "/dev/null");
        b.link("good-link.html", "cjk-chinese.html");
        std::fs::create_dir_all(root.join("linkdir")).expect("folder");
        b.link("linkdir/up", "..");
        for (i, name) in ["pipe.html", "pipe-noext"].iter().enumerate() {
            let path = root.join(name);
            let made = std::process::Command::new("mkfifo")
                .arg(&path)
                .status()
                .map(|s| s.success())
                .unwrap_or(false);
            if made {
                b.manifest.pipes.push(PathBuf::from(name));
            } else if i == 0 {
                eprintln!("hostile: mkfifo failed; no named pipes in the folder");
            }
        }
        use std::os::unix::fs::PermissionsExt;
        let secret = PathBuf::from("unreadable.html");
        b.file(&secret, article("Secret", 2).as_bytes());
        let path = root.join(&secret);
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).expect("chmod");
        // As root (or with CAP_DAC_OVERRIDE) mode 000 does not stop reads: say so, do not pretend.
        if std::fs::File::open(&path).is_err() {
            b.manifest.unreadable = Some(secret);
        }
    }
    b.manifest.regular.sort();
    b.manifest
}

/// The path as chaff names it in the report (the library's own naming).
#[allow(unused_imports)] // used by tests/hostile.rs, not by examples/hostile_folder.rs
pub use chaff::input::report_name;
