//! Revocation for Open Badges 3.0: the W3C Bitstring Status List.
//!
//! Every credential names one bit of `/status/revocation.json` (its
//! `statusListIndex`); a 1 there means revoked. A credential baked into an
//! image years ago still names the index it was signed with, so **an
//! award's index must never change**, whatever awards are added, accepted
//! or revoked later. The scheme needs no stored state:
//!
//! * The list has [`LIST_BITS`] = 2^20 bits (128 KiB before compression; the
//!   specification asks for at least 131,072). This size is part of the
//!   scheme and never changes.
//! * An award's *home* index is the first 64 bits of
//!   SHA-256("accolade status index v1\0" + award id), modulo [`LIST_BITS`]:
//!   a function of the id alone, spread evenly and unpredictable.
//! * Awards claim indexes in order of (issued_on, id); an award whose home
//!   index is taken takes the next free one (linear probing, wrapping).
//!
//! Why it is permanent:
//! 1. An award whose home index is free is unaffected by everything else:
//!    nobody earlier in the order took its home.
//! 2. Adding an award whose home index is free (in the assignment without
//!    it) changes no other index, whatever its date: it takes an index that
//!    nobody held, and nobody who came after it in the order wanted that
//!    index (it was free, so anybody whose probing reached it would have
//!    taken it). `accolade award` and `import` can therefore mint ids whose
//!    home index is free ([`home_is_free`]), and then no index ever moves.
//! 3. An award whose home index is taken (odds: awards so far / 2^20 —
//!    1 in 1,000 with a thousand awards) goes after every award issued on
//!    an earlier day. Awards are normally recorded in the order they are
//!    issued, so it then takes an index nobody held, and nothing moves.
//!    Only a back-dated record (issued_on before an existing award's) whose
//!    home index is taken by a newer award can push that newer award on.
//! 4. Assign over **all** award records in the content, published or not
//!    (an award accepted later must not shift others), and never delete
//!    award records: revoke them (the SPEC's rule: ids are permanent).
//!    Deleting a record whose award pushed others on (case 3) would let
//!    them fall back.

use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};

use base64::Engine as _;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::content::Content;
use crate::dates::Date;
use crate::site::Site;

/// Bits in the revocation list: fixed forever (indexes depend on it).
pub const LIST_BITS: u64 = 1 << 20;

/// An award's place in the revocation list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusEntry {
    pub index: u64,
    /// The status list credential's URL.
    pub list_url: String,
}

impl StatusEntry {
    pub fn new(site: &Site, index: u64) -> StatusEntry {
        StatusEntry {
            index,
            list_url: site.url(crate::paths::STATUS_LIST),
        }
    }

    /// The credential's `credentialStatus`.
    pub fn to_json(&self) -> Value {
        json!({
            "id": format!("{}#{}", self.list_url, self.index),
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": self.index.to_string(),
            "statusListCredential": self.list_url,
        })
    }
}

/// An award's index in the list: the one the build assigned, else its
/// preferred one.
pub fn index_of(site: &Site, award: &crate::site::Award) -> u64 {
    site.issuing
        .status_index
        .get(&award.id)
        .copied()
        .unwrap_or_else(|| home_index(&award.id))
}

/// An award id's preferred index.
pub fn home_index(award_id: &str) -> u64 {
    let digest = Sha256::new()
        .chain_update(b"accolade status index v1\0")
        .chain_update(award_id.as_bytes())
        .finalize();
    u64::from_be_bytes(digest[..8].try_into().expect("8 bytes")) % LIST_BITS
}

/// Whether a newly minted id would take its home index, given the indexes
/// in use (`assign(..).into_values().collect()`): minting only such ids
/// guarantees no index ever moves. When minting several, add each accepted
/// id's [`home_index`] to `in_use` before minting the next.
pub fn home_is_free<S: std::hash::BuildHasher>(
    new_award_id: &str,
    in_use: &std::collections::HashSet<u64, S>,
) -> bool {
    !in_use.contains(&home_index(new_award_id))
}

/// Indexes for a set of awards, given as (id, issued_on). Pass every award
/// record of the content (see the module documentation); a repeated id
/// keeps its first index. Panics if there are more awards than bits.
pub fn assign<'a>(awards: impl IntoIterator<Item = (&'a str, Date)>) -> HashMap<String, u64> {
    use rayon::prelude::*;
    let mut order: Vec<(Date, &str)> = awards.into_iter().map(|(id, d)| (d, id)).collect();
    // A million awards: sorted and hashed in parallel, placed in order.
    order.par_sort_unstable();
    let homes: Vec<u64> = order.par_iter().map(|(_, id)| home_index(id)).collect();
    assert!(
        (order.len() as u64) < LIST_BITS,
        "more awards than the status list has bits"
    );
    let mut taken: HashSet<u64> = HashSet::with_capacity(order.len());
    let mut out = HashMap::with_capacity(order.len());
    for ((_, id), home) in order.into_iter().zip(homes) {
        if out.contains_key(id) {
            continue;
        }
        let mut index = home;
        while !taken.insert(index) {
            index = (index + 1) % LIST_BITS;
        }
        out.insert(id.to_string(), index);
    }
    out
}

/// [`assign`] over every award record in the content, published or not.
/// Records whose `issued_on` does not parse are left out (they are content
/// errors, and the site is not built).
pub fn assign_content(content: &Content) -> HashMap<String, u64> {
    assign(content.awards.iter().filter_map(|a| {
        let r = &a.record;
        Some((r.id.value.as_str(), Date::parse(&r.issued_on.value)?))
    }))
}

/// `encodedList`: `u` + base64url (no padding) of the GZIP of a bitstring
/// of `bits` bits (rounded up to whole bytes), bit 0 being the most
/// significant bit of byte 0, with the given indexes set. Deterministic
/// (gzip header with no name and mtime 0). Indexes out of range are
/// ignored.
pub fn encoded_list(revoked: impl IntoIterator<Item = u64>, bits: u64) -> String {
    use std::io::Write;
    let mut bytes = vec![0u8; bits.div_ceil(8) as usize];
    for i in revoked.into_iter().filter(|&i| i < bits) {
        bytes[(i / 8) as usize] |= 0x80 >> (i % 8);
    }
    let mut gz = flate2::GzBuilder::new()
        .mtime(0)
        .write(Vec::new(), flate2::Compression::best());
    gz.write_all(&bytes).expect("writing to memory");
    let compressed = gz.finish().expect("writing to memory");
    format!(
        "u{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(compressed)
    )
}

/// Decodes an `encodedList` into its bytes (for `accolade verify` and tests).
pub fn decode_list(encoded: &str) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let b64 = encoded
        .strip_prefix('u')
        .ok_or("encodedList must start with `u` (multibase base64url)")?;
    let compressed = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(b64)
        .map_err(|e| format!("encodedList is not base64url: {e}"))?;
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(&compressed[..])
        .take(64 << 20)
        .read_to_end(&mut out)
        .map_err(|e| format!("encodedList is not GZIP: {e}"))?;
    Ok(out)
}

/// Whether bit `index` is set in a decoded list.
pub fn is_set(list: &[u8], index: u64) -> bool {
    list.get((index / 8) as usize)
        .is_some_and(|b| b & (0x80 >> (index % 8)) != 0)
}

/// The status list credential, unsigned; sign it with
/// `signing::sign(&doc, key, &vm, &valid_from(site))`.
pub fn status_list_credential(site: &Site, issuer_did: &str, revoked: &[u64]) -> Value {
    let url = site.url(crate::paths::STATUS_LIST);
    json!({
        "@context": [super::VC_CONTEXT],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_did,
        "validFrom": valid_from(site),
        "credentialSubject": {
            "id": format!("{url}#list"),
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encoded_list(revoked.iter().copied(), LIST_BITS),
        },
    })
}

/// When the list last changed, as far as the content tells: the latest
/// revocation date (never after "now"), else the earliest award's issue
/// date. Derived from content, not from the clock, so a rebuild with the
/// same revocations signs the same bytes and writes nothing. Verifiers
/// fetch the list at each check, so its freshness is the fetch itself.
pub fn valid_from(site: &Site) -> String {
    let revoked = site.awards.iter().filter_map(|a| a.revoked.as_ref());
    match revoked.map(|r| r.on).max() {
        Some(latest) => latest.min(site.now).to_datetime(),
        None => site
            .awards
            .iter()
            .map(|a| a.issued_on)
            .min()
            .map_or_else(|| crate::dates::timestamp(0), |d| d.to_datetime()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn list_encoding_is_msb_first_gzip_base64url() {
        let enc = encoded_list([0, 9, 131_071], 131_072);
        assert!(enc.starts_with('u'));
        assert!(!enc.contains(['=', '+', '/']));
        let bytes = decode_list(&enc).unwrap();
        assert_eq!(bytes.len(), 16_384);
        assert_eq!(bytes[0], 0x80);
        assert_eq!(bytes[1], 0x40);
        assert_eq!(bytes[16_383], 0x01);
        assert_eq!(bytes.iter().map(|b| b.count_ones()).sum::<u32>(), 3);
        assert!(is_set(&bytes, 9) && !is_set(&bytes, 8));
        // Deterministic: gzip header without time or name.
        assert_eq!(enc, encoded_list([131_071, 9, 0], 131_072));
        let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(&enc[1..])
            .unwrap();
        assert_eq!(&raw[..2], &[0x1f, 0x8b]);
        assert_eq!(&raw[4..8], &[0, 0, 0, 0], "mtime 0");
        // The full list stays small while sparse.
        assert!(encoded_list([], LIST_BITS).len() < 400);
    }

    #[test]
    fn indexes_are_permanent() {
        let base: Vec<(String, Date)> = (0..2000)
            .map(|i| {
                (
                    format!("AWARD{i:05}"),
                    d("2026-01-01").add(crate::dates::Period::Days(i % 300)),
                )
            })
            .collect();
        let all = assign(base.iter().map(|(id, d)| (id.as_str(), *d)));
        assert_eq!(all.len(), 2000);
        let in_use: HashSet<u64> = all.values().copied().collect();
        assert_eq!(in_use.len(), 2000);
        assert!(all.values().all(|&i| i < LIST_BITS));

        // Later awards never move earlier ones.
        let mut more = base.clone();
        more.extend((0..2000).map(|i| (format!("LATER{i:05}"), d("2027-06-01"))));
        let grown = assign(more.iter().map(|(id, d)| (id.as_str(), *d)));
        for (id, i) in &all {
            assert_eq!(grown[id], *i, "{id} moved");
        }

        // Nor does a back-dated award whose home index is free.
        let mut minted = 0;
        for n in 0.. {
            let id = format!("BACKDATED{n}");
            if !home_is_free(&id, &in_use) {
                continue;
            }
            let mut with = base.clone();
            with.push((id.clone(), d("2000-01-01")));
            let after = assign(with.iter().map(|(id, d)| (id.as_str(), *d)));
            assert_eq!(after[&id], home_index(&id));
            for (id, i) in &all {
                assert_eq!(after[id], *i, "{id} moved");
            }
            minted += 1;
            if minted == 20 {
                break;
            }
        }

        // Input order does not matter.
        let reversed = assign(base.iter().rev().map(|(id, d)| (id.as_str(), *d)));
        assert_eq!(reversed, all);
    }

    #[test]
    fn collisions_probe_forward_in_issue_order() {
        // Find two ids with the same home index.
        let mut seen: HashMap<u64, String> = HashMap::new();
        let (a, b) = (0..)
            .find_map(|n| {
                let id = format!("X{n}");
                let h = home_index(&id);
                match seen.get(&h) {
                    Some(other) => Some((other.clone(), id)),
                    None => {
                        seen.insert(h, id);
                        None
                    }
                }
            })
            .unwrap();
        let h = home_index(&a);
        let got = assign([(b.as_str(), d("2026-02-01")), (a.as_str(), d("2026-03-01"))]);
        assert_eq!(got[&b], h, "the earlier issued keeps the home index");
        assert_eq!(got[&a], (h + 1) % LIST_BITS);
    }

    #[test]
    fn entry() {
        let e = StatusEntry {
            index: 94_567,
            list_url: "https://example.org/status/revocation.json".into(),
        };
        assert_eq!(
            e.to_json(),
            json!({
                "id": "https://example.org/status/revocation.json#94567",
                "type": "BitstringStatusListEntry",
                "statusPurpose": "revocation",
                "statusListIndex": "94567",
                "statusListCredential": "https://example.org/status/revocation.json",
            })
        );
    }
}
