//! The `chaff` binary: parse the command line, call the library, print, pick the exit code.
//! Exit codes: 0 success; 1 some documents failed (they are still reported); 2 usage or setup error.

mod cli;

use chaff::batch::{self, BatchOptions};
use chaff::chrome::LearnedChrome;
use chaff::input::{self, DocKind, RawDoc, WalkOptions};
use chaff::report::{Record, Summary};
use chaff::Config;
use clap::Parser;
use cli::{CheckArgs, CleanArgs, Cli, Command, DecodeArgs, FixArgs, RunArgs, ScoreArgs};
use std::io::{BufRead, IsTerminal, Write};

/// mimalloc: the pipeline allocates many short strings per page (text runs, lines, words), and
/// glibc's allocator was 12% of a run's instructions.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

fn main() -> ExitCode {
    chaff::pipeline::small_pages_only();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Clean(args) => run_clean(args),
        Command::Score(args) => run_score(args),
        Command::Check(args) => run_check(args),
        Command::Decode(args) => run_decode(args),
        Command::Fix(args) => run_fix(args),
    };
    match result {
        Ok(code) => code,
        Err(msg) => {
            eprintln!("chaff: {msg}");
            ExitCode::from(2)
        }
    }
}

fn config(run: &RunArgs) -> Result<Config, String> {
    if !(0.0..=1.0).contains(&run.min_score) || !(0.0..=1.0).contains(&run.reject_below) {
        return Err("--min-score and --reject-below must be between 0 and 1".into());
    }
    if run.reject_below > run.min_score {
        return Err("--reject-below must not be above --min-score".into());
    }
    Ok(Config {
        min_score: run.min_score,
        reject_below: run.reject_below,
        expected_lang: run.lang.clone(),
        learn: !run.no_learn,
        limits: chaff::config::Limits {
            max_doc_bytes: run.max_doc_bytes,
            max_dom_depth: run.max_dom_depth,
            max_dom_nodes: run.max_dom_nodes,
            max_attributes: run.max_attributes,
        },
    })
}

fn kind_override(run: &RunArgs) -> Option<DocKind> {
    match run.kind.as_deref() {
        Some("html") => Some(DocKind::Html),
        Some("text") => Some(DocKind::Text),
        _ => None,
    }
}

fn batch_options(run: &RunArgs, out_dir: Option<PathBuf>) -> BatchOptions {
    BatchOptions {
        inputs: run.inputs.clone(),
        out_dir,
        walk: WalkOptions {
            follow_links: run.follow,
        },
        threads: run.jobs,
        progress: !run.quiet && std::io::stderr().is_terminal(),
        journal: None,
        resume: None,
        shard: run.shard,
    }
}

/// `--shard` slices the documents of files and folders; refuse it where there are none to slice.
fn check_shard(run: &RunArgs, single: bool, jsonl: bool) -> Result<(), String> {
    if run.shard.is_none() {
        return Ok(());
    }
    if jsonl {
        return Err(
            "--shard slices the files of input folders; in --jsonl mode, split the \
                    records instead (e.g. one input file per task)"
                .into(),
        );
    }
    if single || is_stdin(run) {
        return Err("--shard needs files or folders to read, not one document ('-')".into());
    }
    Ok(())
}

fn is_stdin(run: &RunArgs) -> bool {
    run.inputs.len() == 1 && run.inputs[0] == Path::new("-")
}

/// Reads the single document named by the inputs (stdin or one file) for `-o -`.
fn single_document(run: &RunArgs, cfg: &Config) -> Result<RawDoc, String> {
    let limit = cfg.limits.max_doc_bytes;
    if is_stdin(run) {
        let (bytes, truncated) = input::read_bounded(std::io::stdin().lock(), limit)
            .map_err(|e| format!("cannot read standard input: {e}"))?;
        let mut doc = RawDoc::from_bytes("-", bytes, kind_override(run));
        doc.truncated = truncated;
        return Ok(doc);
    }
    if run.inputs.len() != 1 || run.inputs[0].is_dir() {
        return Err(
            "'-o -' prints one cleaned document: give exactly one file (or '-' for stdin)".into(),
        );
    }
    let path = &run.inputs[0];
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    let kind = kind_override(run).or(match input::kind_from_extension(path.as_os_str()) {
        input::ExtensionVerdict::Known(k) => Some(k),
        _ => None,
    });
    input::read_document(path, &name, kind, limit)
        .map_err(|e| format!("cannot read '{}': {e}", path.display()))
}

fn finish(summary: &Summary, started: Instant, quiet: bool) -> ExitCode {
    if !quiet {
        eprintln!("{}", summary.render(started.elapsed().as_secs_f64()));
    }
    if summary.errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Streams report lines into a temporary file that replaces `path` when the run completes.
struct ReportWriter {
    file: std::io::BufWriter<chaff::output::AtomicFile>,
    path: PathBuf,
}

impl ReportWriter {
    fn create(path: &Path) -> Result<Self, String> {
        let parent = chaff::output::folder_of(path);
        std::fs::create_dir_all(parent)
            .map_err(|e| format!("cannot create '{}': {e}", parent.display()))?;
        let file = chaff::output::AtomicFile::create(path)
            .map_err(|e| format!("cannot write the report in '{}': {e}", parent.display()))?;
        Ok(ReportWriter {
            file: std::io::BufWriter::new(file),
            path: path.to_path_buf(),
        })
    }

    fn write(&mut self, r: &Record) -> std::io::Result<()> {
        writeln!(self.file, "{}", r.to_json())
    }

    fn commit(self) -> Result<(), String> {
        self.file
            .into_inner()
            .map_err(|e| e.into_error())
            .and_then(chaff::output::AtomicFile::commit)
            .map_err(|e| format!("cannot write the report '{}': {e}", self.path.display()))
    }
}

fn run_clean(args: CleanArgs) -> Result<ExitCode, String> {
    check_shard(
        &args.run,
        args.output.as_deref() == Some(Path::new("-")),
        args.jsonl,
    )?;
    if args.jsonl {
        return run_clean_jsonl(args);
    }
    let cfg = config(&args.run)?;
    let started = Instant::now();
    let Some(output) = args.output.clone() else {
        return Err("an output folder is required (-o DIR)".into());
    };
    if args.resume && (output == Path::new("-") || is_stdin(&args.run)) {
        return Err("--resume needs an output folder and files or folders to read".into());
    }
    if output == Path::new("-") {
        let doc = single_document(&args.run, &cfg)?;
        let cleaned = chaff::clean_document(&doc, &cfg, &LearnedChrome::new());
        std::io::stdout()
            .write_all(cleaned.text.as_bytes())
            .map_err(|e| format!("cannot write to stdout: {e}"))?;
        let mut summary = Summary::default();
        summary.add(&cleaned.record, doc.bytes.len() as u64);
        if let Some(path) = &args.report {
            let mut w = ReportWriter::create(path)?;
            w.write(&cleaned.record).map_err(|e| e.to_string())?;
            w.commit()?;
        }
        return Ok(finish(&summary, started, args.run.quiet));
    }
    if is_stdin(&args.run) {
        let doc = single_document(&args.run, &cfg)?;
        let cleaned = chaff::clean_document(&doc, &cfg, &LearnedChrome::new());
        let mut record = cleaned.record;
        let out_path = output.join("stdin.txt");
        if record.status == "ok" {
            chaff::output::write_atomic(&out_path, cleaned.text.as_bytes())
                .map_err(|e| format!("cannot write '{}': {e}", out_path.display()))?;
            record.output = Some("stdin.txt".into());
        }
        let mut w = ReportWriter::create(
            &args
                .report
                .clone()
                .unwrap_or_else(|| output.join("chaff-report.jsonl")),
        )?;
        w.write(&record).map_err(|e| e.to_string())?;
        w.commit()?;
        let mut summary = Summary::default();
        summary.add(&record, doc.bytes.len() as u64);
        return Ok(finish(&summary, started, args.run.quiet));
    }
    // Shards of one run may share the output folder: each writes its own report.
    let default_report = match args.run.shard {
        Some(s) => format!("chaff-report.shard-{}-of-{}.jsonl", s.index(), s.count()),
        None => "chaff-report.jsonl".to_string(),
    };
    let report_path = args
        .report
        .clone()
        .unwrap_or_else(|| output.join(default_report));
    batch::check_output_location(&args.run.inputs, &output).map_err(|e| e.to_string())?;
    if let Some(parent) = report_path.parent() {
        batch::check_output_location(&args.run.inputs, parent)
            .map_err(|e| format!("report: {e}"))?;
    }
    if args.resume {
        // Temporary files a killed run left behind (never under a real output name).
        chaff::journal::remove_stale_temporaries(&output);
    }
    let mut writer = ReportWriter::create(&report_path)?;
    let journal = chaff::journal::journal_path(&report_path);
    let opts = BatchOptions {
        journal: Some(journal.clone()),
        resume: args.resume.then(|| report_path.clone()),
        ..batch_options(&args.run, Some(output.clone()))
    };
    let quiet = args.run.quiet;
    let summary = batch::run(&opts, &cfg, &mut |r| {
        if !quiet {
            if let Some(e) = &r.error {
                eprintln!("chaff: {}: {e}", r.path);
            }
        }
        writer.write(r)
    })
    .map_err(|e| e.to_string())?;
    writer.commit()?;
    // The report is complete: the journal is no longer needed.
    std::fs::remove_file(&journal)
        .or_else(|e| match e.kind() {
            std::io::ErrorKind::NotFound => Ok(()),
            _ => Err(e),
        })
        .map_err(|e| format!("cannot remove '{}': {e}", journal.display()))?;
    Ok(finish(&summary, started, quiet))
}

fn run_score(args: ScoreArgs) -> Result<ExitCode, String> {
    check_shard(&args.run, false, false)?;
    let cfg = config(&args.run)?;
    let started = Instant::now();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let json = args.json;
    let explain = args.explain;
    if !json {
        writeln!(out, "verdict  score  spin lang    chars  path / reasons")
            .map_err(|e| e.to_string())?;
    }
    let mut emit = |r: &Record| -> std::io::Result<()> {
        if json {
            return writeln!(out, "{}", r.to_json());
        }
        let verdict = match (&r.verdict, r.status.as_str()) {
            (Some(v), _) => serde_json::to_value(v)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default(),
            (None, s) => s.to_string(),
        };
        let num = |v: Option<f64>| v.map(|x| format!("{x:.2}")).unwrap_or_else(|| "-".into());
        writeln!(
            out,
            "{:<8} {:>5} {:>5} {:<4} {:>8}  {}",
            verdict,
            num(r.score),
            num(r.spin),
            r.lang.as_deref().unwrap_or("-"),
            r.chars_out,
            r.path
        )?;
        if explain {
            for c in &r.components {
                writeln!(out, "{:>36}  ×{:.2} {}: {}", "", c.factor, c.name, c.reason)?;
            }
            if let Some(e) = &r.error {
                writeln!(out, "{:>36}  error: {e}", "")?;
            }
        } else if let Some(first) = r.error.as_ref().or(r.reasons.last()) {
            writeln!(out, "{:>36}  {first}", "")?;
        }
        Ok(())
    };
    let summary = if is_stdin(&args.run) {
        let doc = single_document(&args.run, &cfg)?;
        let cleaned = chaff::clean_document(&doc, &cfg, &LearnedChrome::new());
        emit(&cleaned.record).map_err(|e| e.to_string())?;
        let mut s = Summary::default();
        s.add(&cleaned.record, doc.bytes.len() as u64);
        s
    } else {
        let opts = batch_options(&args.run, None);
        batch::run(&opts, &cfg, &mut |r| emit(r)).map_err(|e| e.to_string())?
    };
    out.flush().map_err(|e| e.to_string())?;
    Ok(finish(&summary, started, args.run.quiet))
}

fn run_check(args: CheckArgs) -> Result<ExitCode, String> {
    use chaff::check::{self, Baseline, Gate, GateOptions};
    if !(0.0..=1.0).contains(&args.tolerance) {
        return Err("--tolerance must be between 0 and 1".into());
    }
    // --min-score is the pass mark; a --reject-below above it would make config() refuse it.
    check_shard(&args.run, false, false)?;
    let mut run = args.run.clone();
    run.reject_below = run.reject_below.min(run.min_score);
    let cfg = config(&run)?;
    let baseline = args
        .baseline
        .as_deref()
        .map(Baseline::load)
        .transpose()
        .map_err(|e| e.to_string())?;
    let options = GateOptions {
        min_score: run.min_score,
        max_reject: args.max_reject,
        tolerance: args.tolerance,
    };
    let mut gate = Gate::new(options, baseline);
    let started = Instant::now();
    let summary = if is_stdin(&run) {
        let doc = single_document(&run, &cfg)?;
        let cleaned = chaff::clean_document(&doc, &cfg, &LearnedChrome::new());
        gate.add(&cleaned.record);
        let mut s = Summary::default();
        s.add(&cleaned.record, doc.bytes.len() as u64);
        s
    } else {
        batch::run(&batch_options(&run, None), &cfg, &mut |r| {
            gate.add(r);
            Ok(())
        })
        .map_err(|e| e.to_string())?
    };
    let report = gate.finish();
    let rendered = check::render::render(&report, args.format.into(), &|p| {
        check::source_path(&run.inputs, p).display().to_string()
    });
    match &args.output {
        Some(path) => chaff::output::write_atomic(path, rendered.as_bytes())
            .map_err(|e| format!("cannot write '{}': {e}", path.display()))?,
        None => std::io::stdout()
            .write_all(rendered.as_bytes())
            .map_err(|e| format!("cannot write to stdout: {e}"))?,
    }
    if !run.quiet {
        eprintln!("{}", summary.render(started.elapsed().as_secs_f64()));
    }
    Ok(if report.passed() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn run_clean_jsonl(args: CleanArgs) -> Result<ExitCode, String> {
    use chaff::stream::{self, StreamInput, StreamOptions};
    let cfg = config(&args.run)?;
    let started = Instant::now();
    let inputs = args
        .run
        .inputs
        .iter()
        .map(|p| StreamInput::open(p))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| e.to_string())?;
    let opts = StreamOptions {
        field: args.field.clone(),
        html_field: args.html_field.clone(),
        kind: kind_override(&args.run),
        strict: args.strict,
        threads: args.run.jobs,
    };
    let summary = match args.output.as_deref().filter(|o| *o != Path::new("-")) {
        None => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            stream::run(inputs, &cfg, &opts, &mut out).map_err(|e| e.to_string())?
        }
        Some(path) => {
            let cannot = |e: std::io::Error| format!("cannot write '{}': {e}", path.display());
            if path.is_dir() {
                return Err(format!(
                    "'{}' is a folder: with --jsonl, -o names the JSONL file to write",
                    path.display()
                ));
            }
            let mut file = chaff::output::AtomicFile::create(path).map_err(cannot)?;
            let mut out = std::io::BufWriter::new(&mut file);
            let summary = stream::run(inputs, &cfg, &opts, &mut out).map_err(|e| e.to_string())?;
            drop(out);
            file.commit().map_err(cannot)?;
            summary
        }
    };
    if !args.run.quiet {
        eprintln!(
            "{}",
            summary.render_counting(started.elapsed().as_secs_f64(), "records")
        );
    }
    Ok(if summary.errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn run_decode(args: DecodeArgs) -> Result<ExitCode, String> {
    use chaff::commands::encoding::decode_file;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let io = |e: std::io::Error| e.to_string();
    if args.jsonl {
        for line in std::io::stdin().lock().lines() {
            let line = line.map_err(io)?;
            if line.trim().is_empty() {
                continue;
            }
            let rec: serde_json::Value = serde_json::from_str(&line).map_err(|e| e.to_string())?;
            let path = PathBuf::from(rec["path"].as_str().unwrap_or_default());
            let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            let d = decode_file(&path, &bytes);
            let rec =
                serde_json::json!({"id": rec["id"], "encoding": d.encoding.name(), "text": d.text});
            writeln!(out, "{rec}").map_err(io)?;
        }
        out.flush().map_err(io)?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut failed = false;
    for path in &args.files {
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("chaff: {}: {e}", path.display());
                failed = true;
                continue;
            }
        };
        let d = decode_file(path, &bytes);
        if args.label {
            if args.files.len() > 1 {
                writeln!(out, "{}\t{}", path.display(), d.encoding.name()).map_err(io)?;
            } else {
                writeln!(out, "{}", d.encoding.name()).map_err(io)?;
            }
        } else {
            out.write_all(d.text.as_bytes()).map_err(io)?;
        }
    }
    out.flush().map_err(io)?;
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn run_fix(args: FixArgs) -> Result<ExitCode, String> {
    use std::io::Read;
    let io = |e: std::io::Error| e.to_string();
    let stdout = std::io::stdout();
    let file = match &args.file {
        Some(p) if p.as_os_str() != "-" => Some(p),
        _ => None,
    };
    if args.jsonl {
        let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
        let input: Box<dyn std::io::BufRead> = match file {
            Some(p) => Box::new(std::io::BufReader::with_capacity(
                1 << 16,
                std::fs::File::open(p).map_err(|e| format!("{}: {e}", p.display()))?,
            )),
            None => Box::new(std::io::stdin().lock()),
        };
        let stats =
            chaff::commands::encoding::fix_jsonl(input, &mut out, &args.field, args.to.as_deref())
                .map_err(io)?;
        out.flush().map_err(io)?;
        if stats.bad_lines > 0 {
            eprintln!("chaff: {} line(s) were not JSON objects with a string field '{}' and were passed through unchanged", stats.bad_lines, args.field);
        }
        if args.verbose {
            eprintln!(
                "chaff: {} of {} records changed",
                stats.changed, stats.records
            );
        }
        if args.timing {
            eprintln!("TIMING bytes={} seconds={:.6}", stats.bytes, stats.seconds);
        }
        return Ok(ExitCode::SUCCESS);
    }
    // Whole input in one buffer, checked as UTF-8 in place (lossy only when it is not), repaired
    // without a copy when clean, written with one call.
    let bytes = match file {
        Some(p) => std::fs::read(p).map_err(|e| format!("{}: {e}", p.display()))?,
        None => {
            // Through a `File` on a duplicate of the descriptor, so a redirected file's size
            // sizes the buffer once (a pipe just grows it).
            use std::os::fd::AsFd;
            let mut b = Vec::new();
            match std::io::stdin().as_fd().try_clone_to_owned() {
                Ok(fd) => std::fs::File::from(fd).read_to_end(&mut b),
                Err(_) => std::io::stdin().lock().read_to_end(&mut b),
            }
            .map_err(io)?;
            b
        }
    };
    let n = bytes.len();
    let text = match simdutf8::basic::from_utf8(&bytes) {
        Ok(s) => std::borrow::Cow::Borrowed(s),
        Err(_) => String::from_utf8_lossy(&bytes),
    };
    // Clean stretches go straight from the input buffer to the output (large ones bypass the
    // buffer), so clean text is never copied into a second string.
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let t0 = Instant::now();
    let fixes = chaff::repair::repair_into(&text, &mut out).map_err(io)?;
    out.flush().map_err(io)?;
    let secs = t0.elapsed().as_secs_f64();
    if args.verbose {
        for fix in &fixes {
            eprintln!("{}", fix.describe());
        }
    }
    if args.timing {
        eprintln!("TIMING bytes={n} seconds={secs:.6}");
    }
    Ok(ExitCode::SUCCESS)
}
