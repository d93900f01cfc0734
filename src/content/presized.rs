//! Deserializing a list file straight into the records the build keeps
//! (`Vec<Located<T>>`), in a vector sized for it in advance.
//!
//! serde's own `Vec<T>` gets no size hint from a YAML sequence, so a list
//! of a million records grows by doubling: every step copies the records
//! and touches fresh memory, and wrapping each record in [`Located`]
//! afterwards copies them all once more. Counting the list's items first
//! (a fast pass over the text) avoids both.

use std::fmt;
use std::marker::PhantomData;
use std::path::Path;
use std::sync::Arc;

use serde::Deserialize;
use serde::de::{DeserializeSeed, Deserializer, SeqAccess, Visitor};

use super::Located;

/// A seed for a YAML list whose records are wrapped in [`Located`] as they
/// are read, into a vector with room for `capacity` of them.
pub struct LocatedList<T> {
    file: Arc<Path>,
    capacity: usize,
    record: PhantomData<T>,
}

impl<T> LocatedList<T> {
    /// For the list written in `text`, read from `file`.
    pub fn new(file: &Arc<Path>, text: &str) -> Self {
        LocatedList {
            file: file.clone(),
            capacity: block_items(text),
            record: PhantomData,
        }
    }
}

impl<'de, T: Deserialize<'de>> DeserializeSeed<'de> for LocatedList<T> {
    type Value = Vec<Located<T>>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de, T: Deserialize<'de>> Visitor<'de> for LocatedList<T> {
    type Value = Vec<Located<T>>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a sequence")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut records = Vec::with_capacity(self.capacity);
        while let Some(record) = seq.next_element()? {
            records.push(Located {
                file: self.file.clone(),
                record,
            });
        }
        Ok(records)
    }
}

/// How many items a block list written at the left margin has: the lines
/// that start with `- ` (or are a lone `-`). A guess for the vector's size
/// only: a flow list (`[a, b]`) counts none, and the count is never more
/// than the lines of the file.
pub fn block_items(text: &str) -> usize {
    let bytes = text.as_bytes();
    let item_at = |i: usize| {
        bytes.get(i) == Some(&b'-') && matches!(bytes.get(i + 1), None | Some(b' ' | b'\n' | b'\r'))
    };
    let first = usize::from(item_at(0));
    first
        + memchr::memchr_iter(b'\n', bytes)
            .filter(|&nl| item_at(nl + 1))
            .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_at_the_margin_are_counted() {
        assert_eq!(block_items("- a\n- b\n-\n- c"), 4);
        assert_eq!(block_items("- id: a\n  tags:\n  - x\n---\n-x\n"), 1);
        assert_eq!(block_items("[a, b]\n"), 0);
        assert_eq!(block_items("- a\r\n-\r\n"), 2);
    }
}
