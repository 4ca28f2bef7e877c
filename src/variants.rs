//! Every variant of an enum as an array, from strum's list of them.

/// `all` as an array: strum lists an enum's variants as a slice, and reports count by status
/// and by code in arrays of one slot per variant.
pub(crate) const fn array<T: Copy, const N: usize>(all: &[T]) -> [T; N] {
    assert!(
        all.len() == N,
        "an array of every variant has one slot per variant"
    );
    let mut out = [all[0]; N];
    let mut i = 1;
    while i < N {
        out[i] = all[i];
        i += 1;
    }
    out
}
