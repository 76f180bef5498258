//! Small deterministic hashing and random numbers: company ids, resource ids, the
//! catalogue, generated values and fault draws depend only on the seed and the
//! inputs, and stay the same across runs and Rust versions.

use std::hash::{Hash, Hasher};

pub const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;
/// The increment of a SplitMix64 sequence.
const GOLDEN: u64 = 0x9e37_79b9_7f4a_7c15;

/// Continues an FNV-1a hash `state` (start from [`FNV_OFFSET`]) over `bytes`.
pub fn fnv1a(mut state: u64, bytes: &[u8]) -> u64 {
    for &byte in bytes {
        state ^= u64::from(byte);
        state = state.wrapping_mul(FNV_PRIME);
    }
    state
}

/// FNV-1a over several byte strings (each followed by a separator byte), mixed.
pub fn fnv(parts: &[&[u8]]) -> u64 {
    let hash = parts
        .iter()
        .fold(FNV_OFFSET, |hash, part| fnv1a(fnv1a(hash, part), &[0xff]));
    mix(hash)
}

/// A final avalanche (splitmix64) so that similar inputs give unrelated outputs.
pub fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(GOLDEN);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A UUID-shaped (version 4 layout) string derived from the inputs.
pub fn uuid_from(parts: &[&[u8]]) -> String {
    let hi = fnv(parts);
    let lo = mix(hi ^ 0x5851_f42d_4c95_7f2d);
    let bytes: u128 = (u128::from(hi) << 64) | u128::from(lo);
    let mut bytes = bytes.to_be_bytes();
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    uuid::Uuid::from_bytes(bytes).hyphenated().to_string()
}

/// Hashes anything `Hash` (e.g. the opaque `CompanyId`) with FNV: stable across runs.
pub fn stable_hash<T: Hash>(value: &T) -> u64 {
    let mut hasher = Fnv(FNV_OFFSET);
    value.hash(&mut hasher);
    mix(hasher.0)
}

struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        self.0 = fnv1a(self.0, bytes);
    }
}

/// SplitMix64 generator: tiny, seedable, good enough for test data and draws.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        let value = mix(self.0);
        self.0 = self.0.wrapping_add(GOLDEN);
        value
    }

    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// Uniform in `[lo, hi)`.
    pub fn float(&mut self, lo: f64, hi: f64) -> f64 {
        lo + self.unit() * (hi - lo)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values() {
        // SplitMix64 reference outputs for seed 0, and FNV-1a of "a".
        let mut rng = Rng::new(0);
        assert_eq!(rng.next_u64(), 0xe220_a839_7b1d_cdaf);
        assert_eq!(rng.next_u64(), 0x6e78_9e6a_a1b9_65f4);
        assert_eq!(fnv1a(FNV_OFFSET, b"a"), 0xaf63_dc4c_8601_ec8c);
    }
}
