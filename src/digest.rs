//! Stable short ids from text: the hex SHA-256 that the agent-desktop guide's ids
//! (`emit::guide::ids`) and the XLIFF unit ids (`locale::xliff`) are cut from. A leaf: it
//! names no other module.

use sha2::{Digest, Sha256};

/// The first `digits` hex digits (at most 64) of the SHA-256 of `parts`, written one after
/// the other.
pub(crate) fn sha256_hex(parts: &[&[u8]], digits: usize) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update(part);
    }
    let mut hex: String = hasher.finalize().iter().map(|byte| format!("{byte:02x}")).collect();
    hex.truncate(digits);
    hex
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_hash_as_their_concatenation() {
        // SHA-256 of "abc" (FIPS 180-2, appendix B.1).
        let abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
        assert_eq!(sha256_hex(&[b"abc"], 64), abc);
        assert_eq!(sha256_hex(&[b"a", b"", b"bc"], 12), abc[..12]);
    }
}
