//! Workbooks converted ahead of their turn. Converting a sheet to CSV text is calamine's work
//! on one thread and takes ten times as long as reading the text after: a run of many monthly
//! workbooks kept one core busy and left the other idle. A second thread converts the
//! workbooks after the one whose rows are being taken, while the taking thread converts any it
//! reaches first. A conversion depends on the file's bytes alone, so which thread made it
//! changes nothing in the output.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use std::sync::{Condvar, Mutex, MutexGuard};

use super::workbook::{self, Book, Converted, Unconverted};

/// How many workbooks past the one being read may be converted and wait: each waits as its
/// whole CSV text.
const AHEAD: usize = 2;

pub(super) type Conversion = Result<Converted, Unconverted>;

/// The workbooks of a run, each converted once, by whichever thread comes to it first.
pub(super) struct Converting {
    books: Vec<Option<Book>>,
    state: Mutex<State>,
    changed: Condvar,
}

#[derive(Default)]
struct State {
    /// The file whose rows are being taken.
    turn: usize,
    /// Per file: claimed by the thread converting ahead, and its conversion once done.
    ahead: Vec<Option<Option<Conversion>>>,
    /// The run ended: nothing more is wanted.
    stopped: bool,
}

impl Converting {
    pub(super) fn new(paths: &[impl AsRef<Path>]) -> Converting {
        let books: Vec<Option<Book>> = paths.iter().map(|p| workbook::book(p.as_ref())).collect();
        Converting {
            state: Mutex::new(State {
                ahead: (0..books.len()).map(|_| None).collect(),
                ..State::default()
            }),
            books,
            changed: Condvar::new(),
        }
    }

    /// Whether a second thread would have anything to do: two workbooks or more.
    pub(super) fn worth_a_thread(&self) -> bool {
        self.books.iter().flatten().nth(1).is_some()
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A thread that panicked while converting left nothing half done in the state.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Convert workbooks ahead of the turn until the run ends or none is left.
    pub(super) fn convert_ahead(&self) {
        let mut state = self.lock();
        loop {
            if state.stopped {
                return;
            }
            if let Some(ix) = self.claim_ahead(&mut state) {
                state = self.convert_into(state, ix);
            } else if (self.books.iter().skip(state.turn + 1)).all(Option::is_none) {
                return;
            } else {
                state = self.changed.wait(state).unwrap_or_else(|e| e.into_inner());
            }
        }
    }

    /// The first workbook after the turn, and near enough it, that no thread has claimed;
    /// claimed. The workbook of the turn is the taking thread's to convert.
    fn claim_ahead(&self, state: &mut State) -> Option<usize> {
        let ix = (state.turn + 1..=state.turn + AHEAD).find(|&ix| {
            self.books.get(ix).is_some_and(Option::is_some) && state.ahead[ix].is_none()
        })?;
        state.ahead[ix] = Some(None);
        Some(ix)
    }

    /// Convert the workbook at `ix`, claimed, without the lock, and keep what it gives.
    fn convert_into<'s>(
        &'s self,
        state: MutexGuard<'s, State>,
        ix: usize,
    ) -> MutexGuard<'s, State> {
        drop(state);
        let converted = (self.books.get(ix).and_then(Option::as_ref))
            .map(|book| catch_unwind(AssertUnwindSafe(|| workbook::convert(book))));
        let mut state = self.lock();
        match converted {
            Some(Ok(converted)) => state.ahead[ix] = Some(Some(converted)),
            // Left to be converted in turn, where the panic ends the run as it would
            // have with no thread ahead, instead of leaving the turn waiting.
            _ => {
                state.ahead[ix] = None;
                state.stopped = true;
            }
        }
        self.changed.notify_all();
        state
    }

    /// The conversion of the workbook at `ix`, whose turn it is: made here when no thread has
    /// started it; while the other thread has it in hand, this one converts the next one
    /// unclaimed, or waits. None for a file that is no workbook.
    pub(super) fn take(&self, ix: usize) -> Option<Conversion> {
        let mut state = self.lock();
        state.turn = ix;
        self.changed.notify_all();
        let book = self.books.get(ix)?.as_ref()?;
        loop {
            match state.ahead.get_mut(ix) {
                Some(Some(Some(_))) => return state.ahead[ix].take().flatten(),
                Some(Some(None)) => {
                    let next = (!state.stopped)
                        .then(|| self.claim_ahead(&mut state))
                        .flatten();
                    state = match next {
                        Some(next) => self.convert_into(state, next),
                        None => self.changed.wait(state).unwrap_or_else(|e| e.into_inner()),
                    };
                }
                _ => {
                    drop(state);
                    return Some(workbook::convert(book));
                }
            }
        }
    }

    /// End the run: the thread converting ahead stops after the workbook in hand.
    fn stop(&self) {
        self.lock().stopped = true;
        self.changed.notify_all();
    }

    /// Ends the run when dropped, however the taking thread leaves it: should that thread
    /// panic, the thread converting ahead must not wait for a turn that never comes while the
    /// scope waits for it.
    pub(super) fn stopping(&self) -> Stopping<'_> {
        Stopping(self)
    }
}

pub(super) struct Stopping<'a>(&'a Converting);

impl Drop for Stopping<'_> {
    fn drop(&mut self) {
        self.0.stop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/workbooks")
            .join(name)
    }

    fn text(c: Option<Conversion>) -> Option<Result<(String, Vec<u8>), String>> {
        c.map(|c| {
            c.map(|c| (c.name, c.csv.as_ref().to_vec()))
                .map_err(|e| format!("{e:?}"))
        })
    }

    /// Every file gets the conversion it would get in turn, however the two threads share the
    /// work, and a file that is no workbook gets none.
    #[test]
    fn each_workbook_is_converted_once_whichever_thread_converts_it() {
        let paths = [
            fixture("activities.xlsx"),
            fixture("activities.csv"),
            fixture("activities.ods"),
            fixture("missing.xlsx"),
            fixture("activities.xls"),
            fixture("activities.xlsb"),
            fixture("activities.xlsx"),
        ];
        let alone: Vec<_> = (paths.iter())
            .map(|p| text(workbook::book(p).map(|b| workbook::convert(&b))))
            .collect();
        assert!(alone[1].is_none());
        assert!(alone[3].as_ref().is_some_and(|r| r.is_err()));
        assert!(alone.iter().flatten().filter(|r| r.is_ok()).count() == 5);
        for stop_at in [paths.len(), 2] {
            let converting = Converting::new(&paths);
            assert!(converting.worth_a_thread());
            let taken: Vec<_> = std::thread::scope(|scope| {
                let _stopping = converting.stopping();
                scope.spawn(|| converting.convert_ahead());
                (0..stop_at).map(|ix| text(converting.take(ix))).collect()
            });
            assert_eq!(taken, alone[..stop_at]);
        }
    }

    /// The taking thread's panic reaches the caller: the thread converting ahead is stopped
    /// rather than left waiting for the next turn while the scope waits for it.
    #[test]
    fn a_panic_on_the_taking_thread_does_not_leave_the_other_waiting() {
        let paths = [
            fixture("activities.xlsx"),
            fixture("activities.ods"),
            fixture("activities.xls"),
            fixture("activities.xlsb"),
        ];
        let (done, ended) = std::sync::mpsc::channel();
        // On a thread of its own, so that a run left waiting fails the test instead of
        // hanging it.
        std::thread::spawn(move || {
            let converting = Converting::new(&paths);
            let run = catch_unwind(AssertUnwindSafe(|| {
                std::thread::scope(|scope| {
                    let _stopping = converting.stopping();
                    scope.spawn(|| converting.convert_ahead());
                    let _ = converting.take(0);
                    panic!("a bug while the rows of the first workbook are taken");
                })
            }));
            let _ = done.send(run.is_err());
        });
        let panicked = ended.recv_timeout(std::time::Duration::from_secs(60));
        assert_eq!(panicked, Ok(true), "the run did not end");
    }

    #[test]
    fn one_workbook_needs_no_thread() {
        let converting = Converting::new(&[fixture("activities.xlsx"), fixture("a.csv")]);
        assert!(!converting.worth_a_thread());
    }
}
