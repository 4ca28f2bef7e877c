//! Small CSV files read whole on a thread of their own ahead of their turn (see [`ReadAhead`]).

use std::path::{Path, PathBuf};
use std::sync::mpsc;

use super::{prepare, Pool, Prepared, Run, SMALL_FILE};
use crate::activity::err::InputError;
use crate::activity::validate::Validator;

/// Small CSV files read on a thread of their own ahead of their turn, in order: a run of many
/// small files was parsed and checked on the thread that takes the rows, one file after the
/// other, and took twice as long as one file of the same rows. Files go over in groups of
/// [`GROUP_BYTES`], two groups ahead at most: handed over one by one, files of ten rows cost
/// more in waking the threads than they saved.
pub(super) struct ReadAhead {
    pub(super) groups: Option<mpsc::Receiver<Vec<ReadFile>>>,
    /// The files of the group being taken, last first.
    pub(super) group: Vec<ReadFile>,
    /// Per file, whether it is read ahead.
    pub(super) ahead: Vec<bool>,
}

/// A file read ahead, by its place in the run.
pub(super) type ReadFile = (usize, Result<Prepared, InputError>);

/// The bytes of files read ahead that go over together (the group may end with a file that
/// takes it past them), and how many groups may wait.
pub(super) const GROUP_BYTES: u64 = SMALL_FILE;
pub(super) const GROUPS_AHEAD: usize = 2;

impl ReadAhead {
    pub(super) fn start<'scope>(
        scope: &'scope std::thread::Scope<'scope, '_>,
        validator: &'scope Validator<'scope>,
        paths: &[impl AsRef<Path>],
        run: &Run,
    ) -> ReadAhead {
        let ahead: Vec<bool> = (paths.iter().enumerate())
            .map(|(ix, path)| run.read_ahead(ix, path.as_ref()))
            .collect();
        if ahead.iter().filter(|&&a| a).count() < 2 {
            return ReadAhead {
                groups: None,
                group: Vec::new(),
                ahead: Vec::new(),
            };
        }
        let small: Vec<(usize, String, PathBuf, u64)> = (ahead.iter().enumerate())
            .filter(|(_, &a)| a)
            .map(|(ix, _)| {
                let path = paths[ix].as_ref().to_path_buf();
                (ix, run.names[ix].clone(), path, run.sizes[ix])
            })
            .collect();
        let (tx, rx) = mpsc::sync_channel(GROUPS_AHEAD);
        let (spent, spare) = mpsc::channel();
        scope.spawn(move || {
            let pool = Pool { spare, spent };
            let (mut group, mut bytes) = (Vec::new(), 0);
            let last = small.last().map_or(0, |f| f.0);
            for (ix, name, path, size) in small {
                let prepared = prepare(validator, (&name, &path), None, size, Some(&pool));
                group.push((ix, prepared));
                bytes += size;
                if bytes >= GROUP_BYTES || ix == last {
                    group.reverse();
                    // The run stopped at an earlier file: nothing more is wanted.
                    if tx.send(std::mem::take(&mut group)).is_err() {
                        return;
                    }
                    bytes = 0;
                }
            }
        });
        ReadAhead {
            groups: Some(rx),
            group: Vec::new(),
            ahead,
        }
    }

    /// The file at `ix`, if it is one read ahead: files are taken in order, as they are read.
    pub(super) fn take(&mut self, ix: usize) -> Option<Result<Prepared, InputError>> {
        if !self.ahead.get(ix).copied().unwrap_or(false) {
            return None;
        }
        if self.group.is_empty() {
            self.group = self.groups.as_ref()?.recv().ok()?;
        }
        match self.group.pop() {
            Some((at, prepared)) if at == ix => Some(prepared),
            // Never so: files are read ahead in the order they are taken. Read in turn.
            _ => {
                self.groups = None;
                self.group.clear();
                None
            }
        }
    }
}
