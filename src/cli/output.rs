//! Writing outputs so that an interrupted run never leaves half a report: a temporary file in
//! the same directory, then a rename. Special files (stdout, pipes, /dev/null) are written as
//! they are, and an output may never overwrite one of the run's inputs.

use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use super::writeback::EarlySync;
use super::Failure;

/// Where a command writes: standard output, or a file.
pub fn write(out: Option<&Path>, inputs: &[PathBuf], bytes: &[u8]) -> Result<(), Failure> {
    stream(out, inputs, |w| w.write_all(bytes))
}

/// Where a command writes as it goes: `f` streams into standard output or the file, and
/// nothing of the whole is held in memory.
pub fn stream(
    out: Option<&Path>,
    inputs: &[PathBuf],
    f: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), Failure> {
    match out {
        None => {
            let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
            match f(&mut stdout).and_then(|_| stdout.flush()) {
                Ok(()) => Ok(()),
                // `concord check | head` closes the pipe early: that is not an error.
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                Err(e) => Err(Failure::Output(format!(
                    "cannot write to standard output: {e}"
                ))),
            }
        }
        Some(path) => {
            let mut file = AtomicFile::create(path, inputs)?;
            f(&mut file)
                .map_err(|e| Failure::Output(format!("cannot write {}: {e}", path.display())))?;
            file.commit()
        }
    }
}

pub fn write_stdout(bytes: &[u8]) -> Result<(), Failure> {
    write(None, &[], bytes)
}

pub fn write_file(path: &Path, inputs: &[PathBuf], bytes: &[u8]) -> Result<(), Failure> {
    write(Some(path), inputs, bytes)
}

/// A CSV output written to a file gets its provenance beside it (`x.provenance.csv`): the CSV
/// itself stays a plain table. Standard output and special files get none.
pub fn write_provenance(
    out: Option<&Path>,
    inputs: &[PathBuf],
    provenance: impl FnOnce() -> String,
) -> Result<(), Failure> {
    match out {
        Some(path) if !is_special(path) => write_file(
            &concord::report::provenance_path(path),
            inputs,
            provenance().as_bytes(),
        ),
        _ => Ok(()),
    }
}

/// An output path that is one of the inputs would destroy the evidence it reports on.
pub fn refuse_inputs(path: &Path, inputs: &[PathBuf]) -> Result<(), Failure> {
    let Ok(target) = path.canonicalize() else {
        return Ok(());
    };
    for input in inputs {
        // `book.xlsx#Sheet` reads the file `book.xlsx`, which must not be written over either.
        let file =
            concord::activity::workbook::book(input).map_or_else(|| input.clone(), |b| b.file);
        if file.canonicalize().is_ok_and(|i| i == target) {
            return Err(Failure::Usage(format!(
                "refusing to write {} over an input of this run",
                path.display()
            )));
        }
    }
    Ok(())
}

/// Where a path will be once written: its directory resolved, so that `a.csv`, `./a.csv` and
/// a link to the directory all name the same file, whether or not it exists yet.
fn resolved(path: &Path) -> PathBuf {
    if let Ok(p) = path.canonicalize() {
        return p;
    }
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    match (dir.canonicalize(), path.file_name()) {
        (Ok(d), Some(name)) => d.join(name),
        _ => path.to_path_buf(),
    }
}

/// Two outputs of one run on the same file would leave only the one written last (special
/// files such as /dev/null take both).
pub fn refuse_same(a: (&str, &Path), b: (&str, &Path)) -> Result<(), Failure> {
    if !is_special(a.1) && resolved(a.1) == resolved(b.1) {
        return Err(Failure::Usage(format!(
            "{} and {} are the same file ({}): one would overwrite the other",
            a.0,
            b.0,
            a.1.display()
        )));
    }
    Ok(())
}

/// An output inside a directory that a run manages as a whole (summary --out-dir) could be
/// replaced by it.
pub fn refuse_inside(flag: &str, path: &Path, dir_flag: &str, dir: &Path) -> Result<(), Failure> {
    let dir = resolved(dir);
    if !is_special(path) && resolved(path).starts_with(&dir) {
        return Err(Failure::Usage(format!(
            "{flag} {} is inside {dir_flag} {}: give it a place outside the directory",
            path.display(),
            dir.display()
        )));
    }
    Ok(())
}

pub fn is_special(path: &Path) -> bool {
    use std::os::unix::fs::FileTypeExt;
    std::fs::metadata(path).is_ok_and(|m| {
        let t = m.file_type();
        t.is_char_device() || t.is_fifo() || t.is_block_device() || t.is_socket()
    })
}

/// The mode a file written over keeps: its own, as an editor keeps it.
fn kept_mode(path: &Path) -> Option<std::fs::Permissions> {
    std::fs::metadata(path)
        .ok()
        .filter(|m| m.is_file())
        .map(|m| m.permissions())
}

/// A file written in full before it takes its name: stream into it, then [`AtomicFile::commit`].
/// Dropped without a commit, it leaves nothing behind (the temporary file goes with it).
pub struct AtomicFile {
    path: PathBuf,
    out: Destination,
}

enum Destination {
    /// A pipe or device: there is nothing to rename, so it is written as it is.
    Special(std::io::BufWriter<std::fs::File>),
    /// A temporary file beside `path`, so that the rename stays on one file system.
    Staged(std::io::BufWriter<EarlySync<tempfile::NamedTempFile>>),
}

impl AtomicFile {
    pub fn create(path: &Path, inputs: &[PathBuf]) -> Result<AtomicFile, Failure> {
        refuse_inputs(path, inputs)?;
        let fail =
            |e: std::io::Error| Failure::Output(format!("cannot write {}: {e}", path.display()));
        let out = if is_special(path) {
            let f = std::fs::OpenOptions::new()
                .write(true)
                .open(path)
                .map_err(fail)?;
            Destination::Special(std::io::BufWriter::new(f))
        } else {
            let dir = path
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| "out".into());
            // Reports are read by others than whoever ran concord: a new file gets what
            // `File::create` gives (0666 under the umask), not a temporary file's 0600.
            let kept = kept_mode(path);
            let tmp = tempfile::Builder::new()
                .prefix(&format!(".{name}.concord-"))
                .suffix(".tmp")
                .permissions(std::fs::Permissions::from_mode(0o666))
                .tempfile_in(dir)
                .map_err(fail)?;
            if let Some(mode) = kept {
                tmp.as_file().set_permissions(mode).map_err(fail)?;
            }
            let handle = tmp.as_file().try_clone().map_err(fail)?;
            Destination::Staged(std::io::BufWriter::new(EarlySync::new(tmp, handle)))
        };
        Ok(AtomicFile {
            path: path.to_path_buf(),
            out,
        })
    }

    pub fn commit(self) -> Result<(), Failure> {
        let fail = |e: std::io::Error| {
            Failure::Output(format!("cannot write {}: {e}", self.path.display()))
        };
        match self.out {
            Destination::Special(mut f) => f.flush().map_err(fail),
            Destination::Staged(f) => {
                let tmp = f.into_inner().map_err(|e| fail(e.into_error()))?;
                let tmp = tmp.into_inner().map_err(fail)?;
                tmp.as_file().sync_all().map_err(fail)?;
                tmp.persist(&self.path).map_err(|e| fail(e.error))?;
                Ok(())
            }
        }
    }

    fn writer(&mut self) -> &mut dyn Write {
        match &mut self.out {
            Destination::Special(f) => f,
            Destination::Staged(f) => f,
        }
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.writer().write(buf)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.writer().flush()
    }
}

/// A set of files that appears together or not at all: each is written into a staging
/// directory inside `dir`, and only when every one is complete are they renamed into place.
/// A failure before then leaves `dir` as it was; dropped without a commit, the staging goes.
pub struct StagedDir {
    dir: PathBuf,
    stage: tempfile::TempDir,
    names: Vec<String>,
}

impl StagedDir {
    pub fn create(dir: &Path) -> Result<StagedDir, Failure> {
        let fail =
            |e: std::io::Error| Failure::Output(format!("cannot write {}: {e}", dir.display()));
        std::fs::create_dir_all(dir).map_err(fail)?;
        let stage = tempfile::Builder::new()
            .prefix(".concord-")
            .suffix(".staging")
            .tempdir_in(dir)
            .map_err(fail)?;
        Ok(StagedDir {
            dir: dir.to_path_buf(),
            stage,
            names: Vec::new(),
        })
    }

    /// Stage the file `name`; an input of the run at its final place is refused.
    pub fn write(&mut self, name: &str, inputs: &[PathBuf], bytes: &[u8]) -> Result<(), Failure> {
        self.stream(name, inputs, |w| w.write_all(bytes))
    }

    /// Stage the file `name` as `f` writes it, so that no file of the set is held in memory.
    pub fn stream(
        &mut self,
        name: &str,
        inputs: &[PathBuf],
        f: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
    ) -> Result<(), Failure> {
        refuse_inputs(&self.dir.join(name), inputs)?;
        let path = self.stage.path().join(name);
        let kept = kept_mode(&self.dir.join(name));
        let written = std::fs::File::create(&path).and_then(|file| {
            if let Some(mode) = kept {
                file.set_permissions(mode)?;
            }
            let mut out = std::io::BufWriter::new(file);
            f(&mut out)?;
            out.into_inner().map_err(|e| e.into_error())?.sync_all()
        });
        written.map_err(|e| {
            Failure::Output(format!(
                "cannot write {}: {e}",
                self.dir.join(name).display()
            ))
        })?;
        self.names.push(name.to_string());
        Ok(())
    }

    /// Move every staged file into place, in the order written, then remove the files of `dir`
    /// that `stale` picks and this run did not write (a narrower rerun's leftovers); returns
    /// the names removed.
    pub fn commit(self, stale: impl Fn(&str) -> bool) -> Result<Vec<String>, Failure> {
        let fail = |e: std::io::Error| {
            Failure::Output(format!("cannot write {}: {e}", self.dir.display()))
        };
        for name in &self.names {
            std::fs::rename(self.stage.path().join(name), self.dir.join(name)).map_err(fail)?;
        }
        // Gone before the directory is read, so that it is never taken for a leftover.
        self.stage.close().map_err(fail)?;
        let mut removed = Vec::new();
        for entry in std::fs::read_dir(&self.dir).map_err(fail)? {
            let name = entry
                .map_err(fail)?
                .file_name()
                .to_string_lossy()
                .into_owned();
            if stale(&name) && !self.names.contains(&name) {
                std::fs::remove_file(self.dir.join(&name)).map_err(fail)?;
                removed.push(name);
            }
        }
        removed.sort();
        Ok(removed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn a_file_takes_its_name_only_when_committed() -> Result<(), Failure> {
        let dir = tempfile::tempdir().map_err(|e| Failure::Output(e.to_string()))?;
        let path = dir.path().join("report.md");
        let mut half = AtomicFile::create(&path, &[])?;
        half.write_all(b"half")
            .map_err(|e| Failure::Output(e.to_string()))?;
        drop(half);
        assert_eq!(names(dir.path()), Vec::<String>::new());
        let mut whole = AtomicFile::create(&path, &[])?;
        whole
            .write_all(b"whole")
            .map_err(|e| Failure::Output(e.to_string()))?;
        whole.commit()?;
        assert_eq!(names(dir.path()), ["report.md"]);
        assert_eq!(std::fs::read(&path).ok().as_deref(), Some(&b"whole"[..]));
        Ok(())
    }

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path).map_or(0, |m| m.permissions().mode() & 0o7777)
    }

    #[test]
    fn a_new_file_gets_the_mode_file_create_gives_and_one_written_over_keeps_its_own(
    ) -> Result<(), Failure> {
        let dir = tempfile::tempdir().map_err(|e| Failure::Output(e.to_string()))?;
        let plain = dir.path().join("plain.md");
        std::fs::File::create(&plain).map_err(|e| Failure::Output(e.to_string()))?;
        let new = dir.path().join("report.md");
        write_file(&new, &[], b"new")?;
        assert_eq!(mode(&new), mode(&plain));
        let kept = dir.path().join("kept.md");
        std::fs::write(&kept, "old").map_err(|e| Failure::Output(e.to_string()))?;
        std::fs::set_permissions(&kept, std::fs::Permissions::from_mode(0o640))
            .map_err(|e| Failure::Output(e.to_string()))?;
        write_file(&kept, &[], b"new")?;
        assert_eq!(mode(&kept), 0o640);
        assert_eq!(std::fs::read(&kept).ok().as_deref(), Some(&b"new"[..]));
        // The same in a directory written as a whole.
        let mut staged = StagedDir::create(dir.path())?;
        staged.write("kept.md", &[], b"again")?;
        staged.write("staged.md", &[], b"new")?;
        staged.commit(|_| false)?;
        assert_eq!(mode(&kept), 0o640);
        assert_eq!(mode(&dir.path().join("staged.md")), mode(&plain));
        Ok(())
    }

    #[test]
    fn a_staged_directory_appears_whole_or_not_at_all() -> Result<(), Failure> {
        let dir = tempfile::tempdir().map_err(|e| Failure::Output(e.to_string()))?;
        std::fs::write(dir.path().join("summary-2015.md"), "old")
            .map_err(|e| Failure::Output(e.to_string()))?;
        let mut dropped = StagedDir::create(dir.path())?;
        dropped.write("summary-2016.md", &[], b"x")?;
        drop(dropped);
        assert_eq!(names(dir.path()), ["summary-2015.md"]);
        let mut staged = StagedDir::create(dir.path())?;
        staged.write("summary-2016.md", &[], b"x")?;
        let removed = staged.commit(|n| n.starts_with("summary-"))?;
        assert_eq!(removed, ["summary-2015.md"]);
        assert_eq!(names(dir.path()), ["summary-2016.md"]);
        Ok(())
    }
}
