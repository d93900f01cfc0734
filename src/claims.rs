//! Claiming a pending award without a server: each pending award has a
//! claim page at `/claim/<token>/`, where the token is an HMAC of the
//! award's id under a secret derived from the signing key. It is stable
//! across builds, unguessable, and never derivable from what the site
//! publishes; `accolade accept TOKEN` maps it back to the award.
//!
//! Which awards have claim pages is a rule (`claimable`); how the earner
//! answers is the site's `claims.accept` (a message to the issuer, or a
//! form the issuer runs elsewhere). Once accepted, the claim address leads
//! to the verification page (`Page::Claim` renders both).

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::content::Visibility;
use crate::site::{Acceptance, Award, Claim, ClaimOf, Reason, Site};

/// The characters of tokens: award ids' alphabet, lower-cased (no 0/o, 1/i).
const ALPHABET: &[u8; 32] = b"23456789abcdefghjklmnpqrstuvwxyz";
/// 24 characters of 5 bits: 120 bits of the HMAC.
const TOKEN_LEN: usize = 24;

/// Makes claim tokens; holds the derived secret.
pub struct Claims {
    secret: [u8; 32],
}

impl Claims {
    pub fn new(key: &crate::signing::Key) -> Claims {
        Claims {
            secret: key.derive_secret("claim tokens"),
        }
    }

    pub fn token(&self, award_id: &str) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.secret).expect("any key length");
        // Ids are matched without regard to case elsewhere; so are tokens'.
        mac.update(award_id.to_ascii_uppercase().as_bytes());
        let bytes = mac.finalize().into_bytes();
        let mut bits = bytes
            .iter()
            .flat_map(|b| (0..8).rev().map(move |i| (b >> i) & 1));
        (0..TOKEN_LEN)
            .map(|_| {
                let v = (0..5).fold(0usize, |v, _| {
                    v << 1 | usize::from(bits.next().unwrap_or(0))
                });
                ALPHABET[v] as char
            })
            .collect()
    }
}

/// Whether an award has a claim address: waiting for its earner, or
/// claimed through one. A private earner's awards publish nothing, and
/// declined, revoked or superseded ones have nothing to claim.
pub fn claimable(site: &Site, award: &Award) -> bool {
    site.earners[award.earner].visibility != Visibility::Private
        && award.revoked.is_none()
        && matches!(award.accepted, Acceptance::Pending | Acceptance::Claimed(_))
}

/// Every claim address of the site: pending awards' (in `unpublished`
/// order), then claimed ones' (in `awards` order).
pub fn addresses(site: &Site, claims: &Claims) -> Vec<Claim> {
    let pending = site
        .unpublished
        .iter()
        .enumerate()
        .filter(|(_, u)| u.reason == Reason::NotAccepted && claimable(site, &u.award))
        .map(|(i, u)| (ClaimOf::Pending(i), &u.award));
    let claimed = site.awards.iter().enumerate().filter_map(|(i, a)| {
        (matches!(a.accepted, Acceptance::Claimed(_)) && claimable(site, a))
            .then_some((ClaimOf::Claimed(i), a))
    });
    pending
        .chain(claimed)
        .map(|(of, award)| Claim {
            token: claims.token(&award.id),
            of,
        })
        .collect()
}

impl Site {
    /// The award a claim address stands for.
    pub fn claimed_award(&self, claim: &Claim) -> &Award {
        match claim.of {
            ClaimOf::Pending(u) => &self.unpublished[u].award,
            ClaimOf::Claimed(a) => &self.awards[a],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_stable_distinct_and_keyed() {
        let key = crate::signing::Key::generate();
        let claims = Claims::new(&key);
        let a = claims.token("7Q3K9XWD2M4T");
        assert_eq!(a.len(), TOKEN_LEN);
        assert!(a.bytes().all(|c| ALPHABET.contains(&c)));
        assert_eq!(a, claims.token("7q3k9xwd2m4t"), "ids compare without case");
        assert_ne!(a, claims.token("7Q3K9XWD2M4U"));
        let other = Claims::new(&crate::signing::Key::generate());
        assert_ne!(a, other.token("7Q3K9XWD2M4T"), "another key, another token");
    }

    /// HMAC-SHA256 itself is the `hmac` crate's; this pins our use of it to
    /// RFC 4231's test case 2, so a change of crate cannot change tokens.
    #[test]
    fn hmac_is_rfc_4231() {
        let mut mac = Hmac::<Sha256>::new_from_slice(b"Jefe").unwrap();
        mac.update(b"what do ya want for nothing?");
        let hex = crate::openbadges::hex(&mac.finalize().into_bytes());
        assert_eq!(
            hex,
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }
}
