//! A report of hundreds of megabytes is synced to the disk before it takes its name, and that
//! sync waits for every byte still in the page cache. So the disk is set writing while the
//! report is: every [`SYNC_EVERY`] bytes, a helper thread syncs what is written so far, and the
//! sync at the end waits for the last stretch only.

use std::fs::File;
use std::io::{self, Write};
use std::sync::Arc;
use std::thread::JoinHandle;

/// Bytes written between two syncs on the helper thread.
const SYNC_EVERY: u64 = 32 << 20;

/// `W` (a file, or a temporary file), synced to the disk as it grows.
pub struct EarlySync<W> {
    inner: W,
    /// The handle every helper syncs through.
    file: Arc<File>,
    since: u64,
    every: u64,
    helper: Option<JoinHandle<io::Result<()>>>,
}

impl<W: Write> EarlySync<W> {
    /// `file` is a handle of its own onto `inner`'s file, which the helper syncs.
    pub fn new(inner: W, file: File) -> EarlySync<W> {
        Self::every(inner, file, SYNC_EVERY)
    }

    fn every(inner: W, file: File, every: u64) -> EarlySync<W> {
        EarlySync {
            inner,
            file: Arc::new(file),
            since: 0,
            every,
            helper: None,
        }
    }

    /// Wait for the helper and hand back the writer: a sync that failed fails here, so that
    /// no error of the disk's is lost to the helper (the kernel reports a failed writeback
    /// once per open file, and the helper's handle shares it with `inner`'s).
    pub fn into_inner(mut self) -> io::Result<W> {
        self.wait()?;
        Ok(self.inner)
    }

    fn wait(&mut self) -> io::Result<()> {
        match self.helper.take() {
            Some(helper) => helper
                .join()
                .unwrap_or_else(|_| Err(io::Error::other("the sync thread stopped"))),
            None => Ok(()),
        }
    }

    /// Set the disk writing what is written so far, unless the last sync is still running.
    fn kick(&mut self) -> io::Result<()> {
        if self.helper.as_ref().is_some_and(|h| !h.is_finished()) {
            return Ok(());
        }
        self.wait()?;
        self.since = 0;
        let file = Arc::clone(&self.file);
        // Without a thread to spare the report is only synced at the end, as it always is.
        self.helper = std::thread::Builder::new()
            .name("concord-sync".into())
            .spawn(move || file.sync_data())
            .ok();
        Ok(())
    }
}

impl<W: Write> Write for EarlySync<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.since += n as u64;
        if self.since >= self.every {
            self.kick()?;
        }
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_is_written_is_the_file_whatever_the_syncs() {
        let Ok(mut tmp) = tempfile::NamedTempFile::new() else {
            panic!("a temporary file");
        };
        let Ok(file) = tmp.as_file().try_clone() else {
            panic!("a second handle");
        };
        let mut out = EarlySync::every(tmp.as_file_mut(), file, 10);
        let mut expected = Vec::new();
        for i in 0..1000u32 {
            let line = format!("line {i}\n");
            assert!(out.write_all(line.as_bytes()).is_ok());
            expected.extend_from_slice(line.as_bytes());
        }
        assert!(out.helper.is_some(), "a sync was started");
        assert!(out.into_inner().is_ok());
        assert_eq!(std::fs::read(tmp.path()).ok(), Some(expected));
    }
}
