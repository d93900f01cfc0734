//! Minting award ids: 12 characters from `23456789ABCDEFGHJKLMNPQRSTUVWXYZ`
//! (digits and capitals without 0, 1, I and O, which are easily confused
//! when read off paper): 60 bits from the operating system's random source,
//! unique in the content, and with a free status-list home index.

use std::collections::HashSet;

use crate::content::Content;
use crate::openbadges::status_list;

/// The characters of minted award ids: no 0/O, 1/I.
pub const ID_ALPHABET: &[u8; 32] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
/// The length of minted award ids (60 random bits).
pub const ID_LEN: usize = 12;

/// A random id of `ID_LEN` characters from `ID_ALPHABET`.
pub fn random_id() -> Result<String, String> {
    let mut bytes = [0u8; ID_LEN];
    getrandom::fill(&mut bytes)
        .map_err(|e| format!("cannot read random bytes from the operating system: {e}"))?;
    // 256 is a multiple of 32, so `% 32` keeps every character equally likely.
    Ok(bytes
        .iter()
        .map(|b| ID_ALPHABET[usize::from(*b) % ID_ALPHABET.len()] as char)
        .collect())
}

/// Mints ids unique among the site's awards and among those it minted,
/// whose status-list home index is free, so no award's revocation index
/// ever moves (see `openbadges::status_list`).
pub struct Minter {
    taken: HashSet<String>,
    indexes: HashSet<u64>,
}

impl Minter {
    pub fn new(content: &Content) -> Minter {
        Minter {
            taken: content
                .awards
                .iter()
                .map(|a| a.record.id.value.trim().to_ascii_uppercase())
                .collect(),
            indexes: status_list::assign_content(content).into_values().collect(),
        }
    }

    pub fn empty() -> Minter {
        Minter {
            taken: HashSet::new(),
            indexes: HashSet::new(),
        }
    }

    /// A fresh id; ids are compared case-insensitively, so no two awards'
    /// URLs differ only in case.
    pub fn mint(&mut self) -> Result<String, String> {
        loop {
            let id = random_id()?;
            if status_list::home_is_free(&id, &self.indexes) && self.taken.insert(id.clone()) {
                self.indexes.insert(status_list::home_index(&id));
                return Ok(id);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minted_ids_claim_distinct_status_indexes() {
        // Each new id's home index is free, so minting never moves an
        // existing award's revocation index.
        let mut m = Minter::empty();
        let ids: Vec<String> = (0..3000).map(|_| m.mint().unwrap()).collect();
        let homes: HashSet<u64> = ids.iter().map(|i| status_list::home_index(i)).collect();
        assert_eq!(homes.len(), ids.len());
    }

    #[test]
    fn minted_ids_use_the_alphabet_and_are_valid_award_ids() {
        let mut m = Minter::empty();
        let ids: Vec<String> = (0..1000).map(|_| m.mint().unwrap()).collect();
        for id in &ids {
            assert_eq!(id.len(), ID_LEN);
            assert!(id.bytes().all(|b| ID_ALPHABET.contains(&b)), "{id}");
            assert!(crate::rules::is_award_id(id));
        }
        let unique: HashSet<&String> = ids.iter().collect();
        assert_eq!(unique.len(), ids.len());
    }
}
