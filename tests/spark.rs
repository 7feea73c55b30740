//! The Spark example (examples/spark/chaff_spark.py): JSONL partitions piped through
//! `chaff clean --jsonl -` with `RDD.pipe` in `local[2]` give the same records as one process.
//!
//! Needs Java and a Python with pyspark: `CHAFF_SPARK_PYTHON`, else `target/spark-venv/bin/python`
//! (what `.ci/run` installs), else `python3`. Without them the test says so and passes, except
//! under CI (`CI` set), where it fails: CI must run it.

mod common;

use std::path::PathBuf;
use std::process::Command;

fn python() -> PathBuf {
    if let Some(p) = std::env::var_os("CHAFF_SPARK_PYTHON") {
        return PathBuf::from(p);
    }
    let venv = common::root().join("target/spark-venv/bin/python");
    if venv.exists() {
        return venv;
    }
    PathBuf::from("python3")
}

fn available(cmd: &mut Command) -> bool {
    cmd.output().map(|o| o.status.success()).unwrap_or(false)
}

#[test]
fn spark_pipe_equals_a_single_process() {
    let py = python();
    let has_pyspark = available(Command::new(&py).args(["-c", "import pyspark"]));
    let has_java = available(Command::new("java").arg("-version"));
    if !(has_pyspark && has_java) {
        let why = format!(
            "the Spark example needs Java ({has_java}) and pyspark in {} ({has_pyspark})",
            py.display()
        );
        assert!(
            std::env::var_os("CI").is_none(),
            "{why}: .ci/run installs both"
        );
        eprintln!("skipped: {why}");
        return;
    }
    let out = Command::new(&py)
        .arg(common::root().join("examples/spark/chaff_spark.py"))
        .args([
            "--chaff",
            env!("CARGO_BIN_EXE_chaff"),
            "--master",
            "local[2]",
        ])
        .output()
        .expect("run python");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "exit {:?}\nstdout:\n{stdout}\nstderr:\n{stderr}",
        out.status.code()
    );
    assert!(
        stdout.contains("equal to a single chaff process"),
        "{stdout}"
    );
    // 5 seed articles x 8 copies + 1 record whose text is not a string.
    assert!(stdout.contains(": 41 records"), "{stdout}");
}
