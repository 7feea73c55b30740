//! Builds the hostile input folder of `tests/hostile.rs` (issue 9) in an empty or new folder, and
//! prints what it holds: `regular=N links=N pipes=N unreadable=yes|no(root) bytes=N`.
//!
//!     cargo run --release --example hostile_folder -- /tmp/hostile
//!
//! `scripts/hostile.sh` runs it, then the release binary on the folder under /usr/bin/time.

#[path = "../tests/common/hostile.rs"]
mod hostile;

fn main() {
    let Some(dir) = std::env::args_os().nth(1).map(std::path::PathBuf::from) else {
        eprintln!("usage: hostile_folder DIR");
        std::process::exit(2);
    };
    std::fs::create_dir_all(&dir).expect("create the folder");
    if std::fs::read_dir(&dir)
        .expect("list the folder")
        .next()
        .is_some()
    {
        eprintln!("hostile_folder: {} is not empty", dir.display());
        std::process::exit(2);
    }
    let m = hostile::build(&dir, hostile::Sizes::full());
    println!(
        "regular={} links={} pipes={} unreadable={} bytes={}",
        m.regular.len(),
        m.links.len(),
        m.pipes.len(),
        if m.unreadable.is_some() {
            "yes"
        } else {
            "no(root)"
        },
        m.bytes
    );
}
