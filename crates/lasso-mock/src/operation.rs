//! Operation ids: the names stats and logs use for each emulated endpoint.

/// One emulated API operation. The discriminant indexes the stats counters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    CreditsBalance,
    TablesGet,
    /// Authenticated requests that matched no operation (unknown path or method).
    Unknown,
}

impl Op {
    pub const COUNT: usize = 3;
    pub const ALL: [Op; Op::COUNT] = [Op::CreditsBalance, Op::TablesGet, Op::Unknown];

    /// The id shown in `/__mock/stats`.
    pub const fn id(self) -> &'static str {
        match self {
            Op::CreditsBalance => "credits.balance",
            Op::TablesGet => "tables.get",
            Op::Unknown => "unknown",
        }
    }

    pub const fn index(self) -> usize {
        self as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_is_in_index_order() {
        for (i, op) in Op::ALL.iter().enumerate() {
            assert_eq!(op.index(), i);
        }
    }
}
