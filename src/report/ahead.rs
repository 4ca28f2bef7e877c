//! Evidence ids read ahead of the writer. A json or csv report lists every id, and reading one
//! from the ledger is three loads that miss the caches, on the one thread that writes. So a
//! reader walks the results in the order the writers ask for them (every result of every
//! commitment, in the report's order), reads their ids in chunks (a large one on the pool's
//! threads) and hands each chunk over while the writer formats the one before. Most results
//! have a few ids, so chunks travel in parcels of about a chunk's worth of ids: one hand-over
//! (and one wake of a waiting thread) per parcel, not per result. A few parcels are held at a
//! time, so memory stays independent of the evidence count; a result asked for out of that
//! order is read from the ledger directly, so the bytes never depend on the hand-over. An id
//! travels copied in its chunk ([`IdText::Inline`], unless it is long), so the writer reads
//! the chunks in order instead of the reader's misses once more, in the other core's cache.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};

use rayon::prelude::*;

use super::evidence::{verdict_of, ReadAhead, Run};
use super::{Evidence, Report, ResultReport};
use crate::activity::IdText;

/// Ids in a chunk (and about as many in a parcel), parcels ready ahead of the writer, and ids
/// read per task.
const CHUNK: usize = 1 << 12;
const READY: usize = 2;
const PIECE: usize = 1024;

/// A result's place in the report: its commitment's, then its own among the results.
type Key = (usize, usize);

struct Chunk<'l> {
    key: Key,
    ids: Vec<IdText<'l>>,
    last: bool,
}

/// Chunks handed over together, in the reader's order.
type Parcel<'l> = Vec<Chunk<'l>>;

/// Run `write` with evidence whose ids are read ahead of it from `run`'s ledger.
pub fn with_ids_ahead<R>(
    report: &Report,
    run: Run<'_>,
    write: impl FnOnce(Evidence<'_>) -> R,
) -> R {
    in_chunks(CHUNK, report, run, write)
}

fn in_chunks<R>(
    chunk: usize,
    report: &Report,
    run: Run<'_>,
    write: impl FnOnce(Evidence<'_>) -> R,
) -> R {
    let (tx, rx) = sync_channel(READY);
    // A writer on a thread of the pool would wait for chunks that the pool, with that thread
    // taken (and perhaps no other), might never read: then the reader reads them alone.
    let pool = rayon::current_thread_index().is_none();
    std::thread::scope(|scope| {
        scope.spawn(move || read(chunk, pool, report, run, &tx));
        let ahead = Ahead {
            report,
            run,
            rx,
            pending: RefCell::new(VecDeque::new()),
            served: Cell::new(None),
        };
        let written = write(Evidence::Ahead(&ahead));
        // The reader stops at its next hand-over once nobody is left to receive it.
        drop(ahead);
        written
    })
}

/// The reader: every result's ids, chunk by chunk, in the report's order; one empty chunk for
/// a result without evidence, so that the writer never waits on a result that has none.
/// Chunks are sent in parcels of at least `chunk` ids; the last parcel may hold fewer.
fn read<'l>(chunk: usize, pool: bool, report: &Report, run: Run<'l>, tx: &SyncSender<Parcel<'l>>) {
    let chunk = chunk.max(1);
    let mut parcel: Parcel<'l> = Vec::new();
    let mut parcelled = 0;
    for (at, c) in report.commitments.iter().enumerate() {
        for (i, r) in c.results.iter().enumerate() {
            let ranks: &[u32] = verdict_of(run, at, r).map_or(&[], |v| &v.evidence);
            let count = ranks.len().div_ceil(chunk).max(1);
            for k in 0..count {
                let end = ranks.len().min((k + 1) * chunk);
                let ranks = ranks.get(k * chunk..end).unwrap_or_default();
                let mut ids = Vec::with_capacity(ranks.len());
                // A few ids are read sooner than the pool could be woken for them.
                if pool && ranks.len() > PIECE {
                    ids.par_extend(
                        ranks
                            .par_chunks(PIECE)
                            .flat_map_iter(|piece| run.ledger.ids_of(piece)),
                    );
                } else {
                    ids.extend(run.ledger.ids_of(ranks));
                }
                parcelled += ids.len().max(1);
                parcel.push(Chunk {
                    key: (at, i),
                    ids,
                    last: k + 1 == count,
                });
                if parcelled >= chunk {
                    parcelled = 0;
                    if tx.send(std::mem::take(&mut parcel)).is_err() {
                        return;
                    }
                }
            }
        }
    }
    if !parcel.is_empty() {
        let _ = tx.send(parcel);
    }
}

/// The writer's side of the hand-over.
pub struct Ahead<'a> {
    report: &'a Report,
    run: Run<'a>,
    rx: Receiver<Parcel<'a>>,
    /// Chunks received and not yet taken: the rest of the last parcel, after a chunk put back
    /// because it belongs to a result after the one asked for.
    pending: RefCell<VecDeque<Chunk<'a>>>,
    /// The last result served from the hand-over.
    served: Cell<Option<Key>>,
}

impl ReadAhead for Ahead<'_> {
    fn ids<'r>(
        &'r self,
        commitment: usize,
        result: &'r ResultReport,
    ) -> Box<dyn Iterator<Item = IdText<'r>> + 'r> {
        let index = self
            .report
            .commitments
            .get(commitment)
            .and_then(|c| c.results.iter().position(|r| std::ptr::eq(r, result)));
        let first = index
            .map(|i| (commitment, i))
            .filter(|&key| self.served.get().is_none_or(|s| s < key))
            .and_then(|key| self.first(key));
        match first {
            Some(chunk) => {
                self.served.set(Some(chunk.key));
                Box::new(Drain {
                    ahead: self,
                    key: chunk.key,
                    last: chunk.last,
                    ids: chunk.ids.into_iter(),
                })
            }
            None => Evidence::Ledger(self.run).ids(commitment, result),
        }
    }
}

impl<'a> Ahead<'a> {
    /// The first chunk of `key`: the chunks of results before it were not asked for and go.
    fn first(&self, key: Key) -> Option<Chunk<'a>> {
        loop {
            let chunk = self.next_chunk()?;
            match chunk.key.cmp(&key) {
                std::cmp::Ordering::Less => continue,
                std::cmp::Ordering::Equal => return Some(chunk),
                std::cmp::Ordering::Greater => {
                    self.put_back(chunk);
                    return None;
                }
            }
        }
    }

    fn next_chunk(&self) -> Option<Chunk<'a>> {
        let mut pending = self.pending.borrow_mut();
        if pending.is_empty() {
            *pending = self.rx.recv().ok()?.into();
        }
        pending.pop_front()
    }

    /// Keep `chunk` for whoever asks next.
    fn put_back(&self, chunk: Chunk<'a>) {
        self.pending.borrow_mut().push_front(chunk);
    }
}

/// One result's ids, chunk after chunk.
struct Drain<'r, 'a> {
    ahead: &'r Ahead<'a>,
    key: Key,
    last: bool,
    ids: std::vec::IntoIter<IdText<'a>>,
}

impl<'r> Iterator for Drain<'r, '_> {
    type Item = IdText<'r>;

    fn next(&mut self) -> Option<IdText<'r>> {
        loop {
            if let Some(id) = self.ids.next() {
                return Some(id);
            }
            if self.last {
                return None;
            }
            let chunk = self.ahead.next_chunk()?;
            if chunk.key != self.key {
                // The reader never interleaves results; kept for whoever asks next.
                self.ahead.put_back(chunk);
                return None;
            }
            self.last = chunk.last;
            self.ids = chunk.ids.into_iter();
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use super::*;
    use crate::report::Detail;
    use crate::run::{Discard, Engine};

    #[test]
    fn results_of_many_chunks_are_read_whole_in_any_order() {
        let Ok(engine) = Engine::load(Some(Path::new("fixtures/engine/rules"))) else {
            panic!("the engine fixture's rules load");
        };
        let paths = [PathBuf::from("fixtures/engine/activities.csv")];
        let as_of = engine.default_as_of();
        let Ok(ingested) = engine.ingest(&paths, as_of, &mut Discard) else {
            panic!("the engine fixture's activities are read");
        };
        let evaluation = engine.evaluate(&ingested, as_of);
        let report = engine.report_of(&ingested, &evaluation, Detail::Sample(0));
        let run = engine.run(&ingested, &evaluation);
        let results: Vec<(usize, &ResultReport)> = (report.commitments.iter().enumerate())
            .flat_map(|(at, c)| c.results.iter().map(move |r| (at, r)))
            .collect();
        let direct = |at, r| -> Vec<IdText> { Evidence::Ledger(run).ids(at, r).collect() };
        assert!(
            results.iter().any(|&(at, r)| direct(at, r).len() > 4),
            "some verdict has ids enough for several chunks of 2"
        );
        // In order, then one asked again and the rest backwards: the ones behind come from
        // the ledger itself.
        let mut asks = results.clone();
        asks.extend(results.iter().rev().copied());
        let every_ask = |chunk: usize| {
            in_chunks(chunk, &report, run, |ahead| {
                let Evidence::Ahead(ahead) = ahead else {
                    panic!("evidence read ahead");
                };
                for &(at, r) in &asks {
                    let read: Vec<IdText> = ahead.ids(at, r).collect();
                    assert_eq!(read, direct(at, r), "chunks of {chunk}");
                }
            });
        };
        for chunk in [1, 2, 3, CHUNK] {
            every_ask(chunk);
        }
        // A writer on a pool's thread: the reader reads alone (the global pool it would use
        // may be the writer's own, with no thread free).
        let Ok(pool) = rayon::ThreadPoolBuilder::new().num_threads(1).build() else {
            panic!("a pool of one thread");
        };
        pool.install(|| every_ask(2));
    }
}
