//! Arrays that start zeroed and are read at random, kept in huge pages where the system gives
//! them. The id table is far larger than the caches and every lookup lands anywhere in it:
//! with 4 KiB pages, nearly every lookup also misses the TLB, and on a virtual machine the
//! page walk that follows is long. An anonymous mapping, marked as wanting transparent huge
//! pages (`madvise(MADV_HUGEPAGE)`: a hint the kernel may decline), needs 512 times fewer
//! translations. Zeroed pages are what both a mapping and `vec![0; n]` start with.

use std::ops::{Deref, DerefMut};

use bytemuck::Pod;
use memmap2::MmapMut;

/// Below one huge page, an array stays on the heap.
const MAPPED_FROM: usize = 2 << 20;

pub(crate) struct Zeroed<T> {
    store: Store<T>,
}

enum Store<T> {
    Heap(Vec<T>),
    /// `len` values of `T` in a mapping of exactly their size.
    Mapped(MmapMut, usize),
}

impl<T: Pod> Zeroed<T> {
    /// `len` zeroes, mapped on their own when large (on the heap if the mapping fails).
    pub(crate) fn new(len: usize) -> Zeroed<T> {
        let bytes = len.saturating_mul(std::mem::size_of::<T>());
        if bytes >= MAPPED_FROM {
            if let Ok(map) = MmapMut::map_anon(bytes) {
                // Declined, the pages stay small: the array is the same.
                #[cfg(target_os = "linux")]
                let _ = map.advise(memmap2::Advice::HugePage);
                return Zeroed {
                    store: Store::Mapped(map, len),
                };
            }
        }
        Zeroed {
            store: Store::Heap(vec![T::zeroed(); len]),
        }
    }
}

impl<T: Pod> Deref for Zeroed<T> {
    type Target = [T];

    fn deref(&self) -> &[T] {
        match &self.store {
            Store::Heap(v) => v,
            // A mapping starts on a page, so it is aligned for any `T`, and is `len` of them
            // long: the cast cannot fail.
            Store::Mapped(map, len) => bytemuck::try_cast_slice(map)
                .ok()
                .and_then(|all: &[T]| all.get(..*len))
                .unwrap_or_default(),
        }
    }
}

impl<T: Pod> DerefMut for Zeroed<T> {
    fn deref_mut(&mut self) -> &mut [T] {
        match &mut self.store {
            Store::Heap(v) => v,
            Store::Mapped(map, len) => bytemuck::try_cast_slice_mut(map)
                .ok()
                .and_then(|all: &mut [T]| all.get_mut(..*len))
                .unwrap_or_default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_and_large_arrays_start_zeroed_and_keep_what_is_written() {
        for len in [0, 10, MAPPED_FROM / 4 + 3] {
            let mut a: Zeroed<u32> = Zeroed::new(len);
            assert_eq!(a.len(), len);
            assert!(a.iter().all(|&x| x == 0));
            for (i, x) in a.iter_mut().enumerate() {
                *x = i as u32;
            }
            assert!(a.iter().enumerate().all(|(i, &x)| x == i as u32));
        }
        let large: Zeroed<u8> = Zeroed::new(MAPPED_FROM);
        assert!(
            matches!(large.store, Store::Mapped(..)),
            "a large array is mapped"
        );
    }
}
