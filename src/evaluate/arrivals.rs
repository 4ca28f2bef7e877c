//! The matching rows as they arrived, before they are ranked: their dates, two bytes a row
//! since this is held while the ledger is at its largest, and how lists kept by arrival place
//! drop the rows withdrawn.

use chrono::{Datelike, NaiveDate};

/// `num_days_from_ce` of 1970-01-01, the day a row's two bytes count from.
const EPOCH: i32 = 719_163;

/// The two bytes of a row dated outside 1970-01-01 to 2149-06-05: its date is kept aside.
const FAR: u16 = u16::MAX;

/// Rows' dates in arrival order, as days since 1970-01-01; a date those two bytes cannot hold
/// (a standing event of long ago, say) is kept aside with its place, as values are.
#[derive(Debug, Default)]
pub(super) struct Arrivals {
    days: Vec<u16>,
    far: Vec<(u32, NaiveDate)>,
}

impl Arrivals {
    /// The date of row `place`, the next to arrive.
    pub(super) fn push(&mut self, place: u32, date: NaiveDate) {
        match u16::try_from(date.num_days_from_ce() - EPOCH) {
            Ok(day) if day != FAR => self.days.push(day),
            _ => {
                self.days.push(FAR);
                self.far.push((place, date));
            }
        }
    }

    pub(super) fn len(&self) -> usize {
        self.days.len()
    }

    /// Without the rows at the places in `gone` (ascending).
    pub(super) fn drop_places(&mut self, gone: &[u32]) {
        drop_places(&mut self.days, gone);
        drop_places_aside(&mut self.far, gone);
    }

    /// `num_days_from_ce` of row `i`'s date.
    fn day_ce(&self, i: usize) -> i32 {
        match self.days.get(i) {
            Some(&FAR) => self
                .far
                .binary_search_by_key(&(i as u32), |&(place, _)| place)
                .map_or(EPOCH, |at| self.far[at].1.num_days_from_ce()),
            Some(&day) => EPOCH + i32::from(day),
            None => EPOCH,
        }
    }

    /// The earliest date, and each row's day counted from it.
    pub(super) fn days_from_first(&self) -> (NaiveDate, impl Fn(usize) -> u64 + '_) {
        let near = self.days.iter().filter(|&&d| d != FAR).min();
        let first = near
            .map(|&d| EPOCH + i32::from(d))
            .into_iter()
            .chain(self.far.iter().map(|(_, d)| d.num_days_from_ce()))
            .min()
            .unwrap_or(EPOCH);
        let date = NaiveDate::from_num_days_from_ce_opt(first).unwrap_or_default();
        let day = move |i: usize| u64::try_from(self.day_ce(i) - first).unwrap_or_default();
        (date, day)
    }
}

/// `items` without the places in `gone` (ascending): the runs between them moved up whole,
/// since a run holds millions of rows and `gone` a few.
pub(super) fn drop_places<T: Copy>(items: &mut Vec<T>, gone: &[u32]) {
    let (mut from, mut to) = (0, 0);
    for &g in gone {
        let g = (g as usize).min(items.len());
        if g < from {
            continue;
        }
        if to < from {
            items.copy_within(from..g, to);
        }
        to += g - from;
        from = (g + 1).min(items.len());
    }
    if to < from {
        items.copy_within(from.., to);
    }
    items.truncate(to + (items.len() - from));
}

/// `aside`, a few rows' (place, item) in place order, without the places in `gone`
/// (ascending) and with the places after them moved up: each finds its new place among the
/// gone ones.
pub(super) fn drop_places_aside<T>(aside: &mut Vec<(u32, T)>, gone: &[u32]) {
    aside.retain_mut(|(ix, _)| {
        let before = gone.partition_point(|&g| g < *ix);
        let withdrawn = gone.get(before) == Some(ix);
        *ix -= before as u32;
        !withdrawn
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn the_epoch_is_1970_01_01() {
        assert_eq!(date("1970-01-01").num_days_from_ce(), EPOCH);
    }

    /// Near and far dates alike come back as days from the earliest, withdrawn rows dropped.
    #[test]
    fn days_count_from_the_earliest_date_near_or_far() {
        let dates = [
            "2020-01-02",
            "1969-12-31",
            "2149-06-05",
            "2149-06-06",
            "1970-01-01",
            "0001-01-01",
            "2016-03-01",
        ]
        .map(date);
        let mut arrivals = Arrivals::default();
        for (i, &d) in dates.iter().enumerate() {
            arrivals.push(i as u32, d);
        }
        let expect = |dates: &[NaiveDate]| {
            let first = dates.iter().min().copied().unwrap_or_default();
            let days: Vec<u64> = dates
                .iter()
                .map(|&d| (d - first).num_days() as u64)
                .collect();
            (first, days)
        };
        let got = |a: &Arrivals| {
            let (first, day) = a.days_from_first();
            (first, (0..a.len()).map(day).collect::<Vec<u64>>())
        };
        assert_eq!(got(&arrivals), expect(&dates));
        assert_eq!(arrivals.far.len(), 3);
        arrivals.drop_places(&[1, 5]);
        let kept: Vec<NaiveDate> = [0, 2, 3, 4, 6].map(|i| dates[i]).to_vec();
        assert_eq!(got(&arrivals), expect(&kept));
        assert_eq!(got(&Arrivals::default()), (date("1970-01-01"), vec![]));
    }

    #[test]
    fn withdrawn_places_are_dropped() {
        let mut items = vec!['a', 'b', 'c', 'd', 'e'];
        drop_places(&mut items, &[1, 4]);
        assert_eq!(items, ['a', 'c', 'd']);
        drop_places(&mut items, &[]);
        assert_eq!(items, ['a', 'c', 'd']);
        drop_places(&mut items, &[0, 0, 1, 9]);
        assert_eq!(items, ['d']);
        let mut items: Vec<u32> = (0..10).collect();
        drop_places(&mut items, &[2, 3, 7]);
        assert_eq!(items, [0, 1, 4, 5, 6, 8, 9]);
    }
}
