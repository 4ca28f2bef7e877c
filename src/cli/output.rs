//! Writing outputs so that an interrupted run never leaves half a report: a temporary file in
//! the same directory, then a rename. Special files (stdout, pipes, /dev/null) are written as
//! they are, and an output may never overwrite one of the run's inputs.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::Failure;

/// Where a command writes: standard output, or a file.
pub fn write(out: Option<&Path>, inputs: &[PathBuf], bytes: &[u8]) -> Result<(), Failure> {
    match out {
        None => write_stdout(bytes),
        Some(path) => write_file(path, inputs, bytes),
    }
}

pub fn write_stdout(bytes: &[u8]) -> Result<(), Failure> {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|_| stdout.flush()) {
        Ok(()) => Ok(()),
        // `concord check | head` closes the pipe early: that is not an error.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Failure::Output(format!(
            "cannot write to standard output: {e}"
        ))),
    }
}

pub fn write_file(path: &Path, inputs: &[PathBuf], bytes: &[u8]) -> Result<(), Failure> {
    let mut file = AtomicFile::create(path, inputs)?;
    file.write_all(bytes)
        .map_err(|e| Failure::Output(format!("cannot write {}: {e}", path.display())))?;
    file.commit()
}

/// An output path that is one of the inputs would destroy the evidence it reports on.
pub fn refuse_inputs(path: &Path, inputs: &[PathBuf]) -> Result<(), Failure> {
    let Ok(target) = path.canonicalize() else {
        return Ok(());
    };
    for input in inputs {
        if input.canonicalize().is_ok_and(|i| i == target) {
            return Err(Failure::Usage(format!(
                "refusing to write {} over an input of this run",
                path.display()
            )));
        }
    }
    Ok(())
}

fn is_special(path: &Path) -> bool {
    use std::os::unix::fs::FileTypeExt;
    std::fs::metadata(path).is_ok_and(|m| {
        let t = m.file_type();
        t.is_char_device() || t.is_fifo() || t.is_block_device() || t.is_socket()
    })
}

/// A file written in full before it takes its name: stream into it, then [`AtomicFile::commit`].
/// Dropped without a commit, it leaves nothing behind.
pub struct AtomicFile {
    path: PathBuf,
    tmp: Option<PathBuf>,
    pub file: std::io::BufWriter<std::fs::File>,
}

impl AtomicFile {
    pub fn create(path: &Path, inputs: &[PathBuf]) -> Result<AtomicFile, Failure> {
        refuse_inputs(path, inputs)?;
        let fail =
            |e: std::io::Error| Failure::Output(format!("cannot write {}: {e}", path.display()));
        if is_special(path) {
            let f = std::fs::OpenOptions::new()
                .write(true)
                .open(path)
                .map_err(fail)?;
            return Ok(AtomicFile {
                path: path.to_path_buf(),
                tmp: None,
                file: std::io::BufWriter::new(f),
            });
        }
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "out".into());
        let tmp = dir.join(format!(".{name}.concord-{}.tmp", std::process::id()));
        let f = std::fs::File::create(&tmp).map_err(fail)?;
        Ok(AtomicFile {
            path: path.to_path_buf(),
            tmp: Some(tmp),
            file: std::io::BufWriter::new(f),
        })
    }

    pub fn commit(mut self) -> Result<(), Failure> {
        let fail = |e: std::io::Error| {
            Failure::Output(format!("cannot write {}: {e}", self.path.display()))
        };
        self.file.flush().map_err(fail)?;
        if let Some(tmp) = self.tmp.take() {
            self.file.get_ref().sync_all().map_err(fail)?;
            if let Err(e) = std::fs::rename(&tmp, &self.path) {
                let _ = std::fs::remove_file(&tmp);
                return Err(fail(e));
            }
        }
        Ok(())
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.file.write(buf)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.file.flush()
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if let Some(tmp) = self.tmp.take() {
            let _ = std::fs::remove_file(tmp);
        }
    }
}
