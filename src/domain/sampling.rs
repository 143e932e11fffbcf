//! Drawing a review sample (抽查复核): how many forms to draw, how to share them among strata,
//! and which forms to draw, reproducibly from a seed. Pure arithmetic: the forms arrive as ids
//! grouped by stratum and leave as ids.

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive as _;

/// The largest seed: 2^53 − 1, so that a seed survives a JavaScript client's `number`.
pub const MAX_SEED: u64 = (1 << 53) - 1;

/// A small deterministic generator (SplitMix64, Steele et al. 2014). Its output depends on the
/// seed alone, on every platform and in every release, which a library RNG does not promise;
/// a sample must be drawn again identically years later from its stored seed.
#[derive(Clone, Debug)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    /// A generator started at `seed`.
    #[must_use]
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A uniform number in `0..bound` (`bound` > 0), without modulo bias: draws in the
    /// incomplete last block of `bound`s are thrown back.
    pub fn below(&mut self, bound: u64) -> u64 {
        let bound = bound.max(1);
        let zone = u64::MAX - (u64::MAX % bound);
        loop {
            let x = self.next_u64();
            if x < zone {
                return x % bound;
            }
        }
    }
}

/// A seed from 64 random bits (e.g. of a UUID v4), folded into `0..=MAX_SEED`.
#[must_use]
pub fn seed_from_bits(bits: u64) -> u64 {
    bits & MAX_SEED
}

/// What to stratify a sample by.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum StratifyBy {
    /// The grade a list shows (`grade`): the review grade of an approved reviewed form, else
    /// the rule grade.
    Grade,
    /// The unit's department (主管部门), where the service records one.
    Department,
}

impl StratifyBy {
    /// The machine name, as requests send it and storage keeps it.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Grade => "grade",
            Self::Department => "department",
        }
    }
}

/// How large a sample is asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SampleSize {
    /// This many forms.
    Count(u32),
    /// This percentage of the eligible forms, rounded up.
    Percent(Decimal),
}

impl SampleSize {
    /// How many of `eligible` forms to draw, at most all of them.
    #[must_use]
    pub fn of(self, eligible: usize) -> usize {
        let wanted = match self {
            Self::Count(n) => usize::try_from(n).unwrap_or(usize::MAX),
            Self::Percent(rate) => {
                let exact = Decimal::from(eligible) * rate / Decimal::ONE_HUNDRED;
                exact.ceil().to_usize().unwrap_or(0)
            }
        };
        wanted.min(eligible)
    }
}

/// How many forms to draw from each stratum, given each stratum's size, so that the counts
/// sum to `size` (at most the forms there are) and follow the strata's shares by the
/// largest-remainder method (Hamilton). Every non-empty stratum gets at least one form, so a
/// sample smaller than the number of non-empty strata grows to that number; the forms given
/// to small strata are taken from those that got most beyond their exact share.
#[must_use]
pub fn allocate(strata: &[usize], size: usize) -> Vec<usize> {
    let total: usize = strata.iter().sum();
    let non_empty = strata.iter().filter(|&&n| n > 0).count();
    let size = size.min(total).max(non_empty);
    if total == 0 {
        return vec![0; strata.len()];
    }
    // Exact shares are size·n/total; integers keep them exact: floor and remainder.
    let (size_w, total_w) = (size as u128, total as u128);
    let mut counts: Vec<usize> = strata
        .iter()
        .map(|&n| usize::try_from(size_w * n as u128 / total_w).unwrap_or(n))
        .collect();
    let remainders: Vec<u128> = strata
        .iter()
        .map(|&n| size_w * n as u128 % total_w)
        .collect();
    let mut order: Vec<usize> = (0..strata.len()).collect();
    // Largest remainder first; ties go to the earlier stratum, so the result is determined.
    order.sort_by(|&a, &b| remainders[b].cmp(&remainders[a]).then(a.cmp(&b)));
    let short = size - counts.iter().sum::<usize>();
    for &i in order.iter().take(short) {
        counts[i] += 1;
    }
    // How far a count is above its exact share, times `total` to stay an integer.
    let excess = |counts: &[usize], i: usize| {
        counts[i] as i128 * total as i128 - (size_w * strata[i] as u128) as i128
    };
    for i in 0..strata.len() {
        if strata[i] > 0 && counts[i] == 0 {
            let donor = (0..strata.len())
                .filter(|&j| counts[j] > 1)
                .max_by(|&a, &b| excess(&counts, a).cmp(&excess(&counts, b)).then(b.cmp(&a)));
            if let Some(donor) = donor {
                counts[donor] -= 1;
            }
            counts[i] = 1;
        }
    }
    counts
}

/// One stratum of the eligible forms: its key (a grade code, a department, or `None` for an
/// unstratified sample or forms with no value) and its forms' ids.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stratum {
    /// What the forms share.
    pub key: Option<String>,
    /// The eligible forms, by id.
    pub ids: Vec<i64>,
}

/// What a draw took from one stratum.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Drawn {
    /// The stratum's key.
    pub key: Option<String>,
    /// How many forms it held.
    pub eligible: usize,
    /// The forms drawn, by ascending id.
    pub ids: Vec<i64>,
}

/// Draws `size` forms from the strata with the generator seeded by `seed`: the same seed and
/// the same strata give the same sample. Strata and the ids in them are put in order first,
/// so that the order in which storage returned them does not matter.
#[must_use]
pub fn draw(strata: &[Stratum], size: usize, seed: u64) -> Vec<Drawn> {
    let mut strata = strata.to_vec();
    strata.sort_by(|a, b| a.key.cmp(&b.key));
    for stratum in &mut strata {
        stratum.ids.sort_unstable();
        stratum.ids.dedup();
    }
    let sizes: Vec<usize> = strata.iter().map(|s| s.ids.len()).collect();
    let counts = allocate(&sizes, size);
    let mut rng = SplitMix64::new(seed);
    strata
        .into_iter()
        .zip(counts)
        .map(|(stratum, count)| {
            let mut ids = stratum.ids;
            let eligible = ids.len();
            // A partial Fisher–Yates shuffle: the first `count` places get a uniform choice.
            for i in 0..count {
                let remaining = (eligible - i) as u64;
                let j = i + usize::try_from(rng.below(remaining)).unwrap_or(0);
                ids.swap(i, j);
            }
            ids.truncate(count);
            ids.sort_unstable();
            Drawn {
                key: stratum.key,
                eligible,
                ids,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn strata(sizes: &[usize]) -> Vec<Stratum> {
        let mut next = 0;
        sizes
            .iter()
            .enumerate()
            .map(|(k, &n)| Stratum {
                key: Some(format!("s{k}")),
                ids: (0..n)
                    .map(|_| {
                        next += 1;
                        next
                    })
                    .collect(),
            })
            .collect()
    }

    #[test]
    fn shares_follow_the_strata_by_largest_remainder() {
        for (strata, size, expected) in [
            (vec![60, 30, 10], 10, vec![6, 3, 1]),
            (vec![50, 30, 20], 7, vec![4, 2, 1]),
            (vec![1, 1, 1], 2, vec![1, 1, 1]),
            (vec![100, 1, 1], 3, vec![1, 1, 1]),
            (vec![100, 1, 1], 10, vec![8, 1, 1]),
            (vec![5, 0, 5], 4, vec![2, 0, 2]),
            (vec![3, 3], 100, vec![3, 3]),
            (vec![0, 0], 3, vec![0, 0]),
            (vec![], 3, vec![]),
        ] {
            assert_eq!(allocate(&strata, size), expected, "{strata:?} size {size}");
        }
    }

    #[test]
    fn a_rate_is_a_percentage_of_the_eligible_forms_rounded_up() {
        let rate = |text: &str| SampleSize::Percent(text.parse().unwrap());
        assert_eq!(rate("10").of(95), 10);
        assert_eq!(rate("10").of(100), 10);
        assert_eq!(rate("10").of(101), 11);
        assert_eq!(rate("0.5").of(3), 1);
        assert_eq!(rate("100").of(7), 7);
        assert_eq!(rate("150").of(7), 7);
        assert_eq!(rate("0").of(7), 0);
        assert_eq!(SampleSize::Count(5).of(3), 3);
    }

    #[test]
    fn the_same_seed_draws_the_same_sample_and_other_seeds_differ() {
        let forms = strata(&[40, 25, 35]);
        let first = draw(&forms, 20, 42);
        let mut shuffled = forms.clone();
        shuffled.reverse();
        shuffled[0].ids.reverse();
        assert_eq!(
            draw(&shuffled, 20, 42),
            first,
            "order of input does not matter"
        );
        let others: BTreeSet<Vec<Vec<i64>>> = (0..20)
            .map(|seed| draw(&forms, 20, seed).into_iter().map(|d| d.ids).collect())
            .collect();
        assert_eq!(others.len(), 20, "twenty seeds, twenty samples");
    }

    #[test]
    fn the_generator_is_splitmix64() {
        // Reference values of SplitMix64 seeded with 1234567.
        let mut rng = SplitMix64::new(1_234_567);
        assert_eq!(rng.next_u64(), 6_457_827_717_110_365_317);
        assert_eq!(rng.next_u64(), 3_203_168_211_198_807_973);
    }

    use std::collections::BTreeSet;

    proptest! {
        #[test]
        fn allocation_sums_to_the_size_and_spares_no_stratum(
            sizes in proptest::collection::vec(0usize..50, 0..8),
            size in 0usize..200,
        ) {
            let counts = allocate(&sizes, size);
            let total: usize = sizes.iter().sum();
            let non_empty = sizes.iter().filter(|&&n| n > 0).count();
            prop_assert_eq!(counts.iter().sum::<usize>(), size.min(total).max(non_empty));
            for (count, n) in counts.iter().zip(&sizes) {
                prop_assert!(count <= n);
                prop_assert!(*n == 0 || *count >= 1);
            }
        }

        #[test]
        fn a_draw_takes_distinct_forms_of_each_stratum(
            sizes in proptest::collection::vec(0usize..30, 1..5),
            size in 0usize..60,
            seed in 0u64..=MAX_SEED,
        ) {
            let forms = strata(&sizes);
            for (drawn, stratum) in draw(&forms, size, seed).iter().zip(&forms) {
                let ids: BTreeSet<i64> = drawn.ids.iter().copied().collect();
                prop_assert_eq!(ids.len(), drawn.ids.len());
                prop_assert!(ids.iter().all(|id| stratum.ids.contains(id)));
            }
        }
    }
}
