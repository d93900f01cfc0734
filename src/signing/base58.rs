//! Base58 (the Bitcoin alphabet), as multibase `z…` values carry keys and
//! signatures.
//!
//! A fresh build encodes three signatures an award and decodes two; the
//! `bs58` crate's digit-by-digit carry took 5.5 µs a signature here. This
//! converts through 32-bit limbs and five digits at a time (58⁵ fits in
//! 32 bits): about a tenth of that. The tests hold it to `bs58`.

const ALPHABET: &[u8; 58] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
/// 58⁵: five digits at a time.
const CHUNK: u64 = 58 * 58 * 58 * 58 * 58;

/// `bytes` in base58.
pub fn encode(bytes: &[u8]) -> String {
    let zeros = bytes.iter().take_while(|&&b| b == 0).count();
    // The rest as a big number: 32-bit limbs, most significant first.
    let rest = &bytes[zeros..];
    let mut limbs: Vec<u32> = Vec::with_capacity(rest.len().div_ceil(4));
    let head = rest.len() % 4;
    if head > 0 {
        limbs.push(rest[..head].iter().fold(0, |a, &b| (a << 8) | u32::from(b)));
    }
    for c in rest[head..].chunks_exact(4) {
        limbs.push(u32::from_be_bytes([c[0], c[1], c[2], c[3]]));
    }
    // Digits, least significant first, five per division by 58⁵.
    let mut digits: Vec<u8> = Vec::with_capacity(rest.len() * 138 / 100 + 5);
    let mut start = 0;
    while start < limbs.len() {
        let mut rem = 0u64;
        for limb in &mut limbs[start..] {
            let cur = (rem << 32) | u64::from(*limb);
            *limb = (cur / CHUNK) as u32;
            rem = cur % CHUNK;
        }
        for _ in 0..5 {
            digits.push((rem % 58) as u8);
            rem /= 58;
        }
        while start < limbs.len() && limbs[start] == 0 {
            start += 1;
        }
    }
    while digits.last() == Some(&0) {
        digits.pop();
    }
    let mut out = String::with_capacity(zeros + digits.len());
    out.extend(std::iter::repeat_n('1', zeros));
    out.extend(
        digits
            .iter()
            .rev()
            .map(|&d| char::from(ALPHABET[usize::from(d)])),
    );
    out
}

/// The bytes of base58 `text`; `None` if it holds a character outside
/// the alphabet.
pub fn decode(text: &str) -> Option<Vec<u8>> {
    let text = text.as_bytes();
    let zeros = text.iter().take_while(|&&c| c == b'1').count();
    // A big number in 32-bit limbs, least significant first.
    let mut limbs: Vec<u32> = Vec::with_capacity(text.len() * 733 / 4000 + 1);
    for chunk in text[zeros..].chunks(5) {
        let mut value = 0u64;
        let mut scale = 1u64;
        for &c in chunk {
            value = value * 58 + u64::from(digit(c)?);
            scale *= 58;
        }
        let mut carry = value;
        for limb in &mut limbs {
            let cur = u64::from(*limb) * scale + carry;
            *limb = cur as u32;
            carry = cur >> 32;
        }
        while carry > 0 {
            limbs.push(carry as u32);
            carry >>= 32;
        }
    }
    let mut out = vec![0u8; zeros];
    let mut significant = false;
    for limb in limbs.iter().rev() {
        for b in limb.to_be_bytes() {
            significant |= b != 0;
            if significant {
                out.push(b);
            }
        }
    }
    Some(out)
}

fn digit(c: u8) -> Option<u8> {
    DIGITS[usize::from(c)].checked_sub(1)
}

/// Each byte's digit plus one (0: not in the alphabet).
const DIGITS: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut i = 0;
    while i < 58 {
        table[ALPHABET[i] as usize] = i as u8 + 1;
        i += 1;
    }
    table
};

#[cfg(test)]
mod tests {
    use super::*;

    /// Inputs of every length to 80 bytes, with leading zeros and without,
    /// from a fixed-seed generator.
    fn inputs() -> Vec<Vec<u8>> {
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state as u8
        };
        let mut all = vec![vec![], vec![0], vec![0, 0, 0], vec![255; 64], vec![0, 0, 1]];
        for len in 0..=80 {
            for zeros in [0, 1, 3] {
                let mut v: Vec<u8> = (0..len).map(|_| next()).collect();
                v.iter_mut().take(zeros).for_each(|b| *b = 0);
                all.push(v);
            }
        }
        all
    }

    #[test]
    fn encodes_as_bs58_does() {
        for v in inputs() {
            assert_eq!(encode(&v), bs58::encode(&v).into_string(), "{v:?}");
        }
    }

    #[test]
    fn decodes_as_bs58_does() {
        for v in inputs() {
            let text = bs58::encode(&v).into_string();
            assert_eq!(decode(&text), Some(v.clone()), "{text}");
        }
        for bad in ["0", "O", "I", "l", "z+", "abc "] {
            assert_eq!(decode(bad), None, "{bad}");
            assert!(bs58::decode(bad).into_vec().is_err());
        }
        // Strings that are not an encoding's own (leading `1`s beyond the
        // value's zeros) read as bs58 reads them.
        for text in [
            "1",
            "11",
            "1z",
            "zzzzzzzzzzzzzzzzzzzzzz",
            "2NEpo7TZRRrLZSi2U",
        ] {
            assert_eq!(decode(text), bs58::decode(text).into_vec().ok(), "{text}");
        }
    }
}
