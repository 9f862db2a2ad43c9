//! Settings known by a short name (`--auth digest`, `--quirk tapo`): shown as it, parsed from
//! it in any case.

/// The one of `all` whose `name` is `s` (trimmed, in any case), or a message that lists the
/// names.
pub(crate) fn by_name<T: Copy>(
    s: &str,
    all: &[T],
    name: fn(T) -> &'static str,
    what: &str,
) -> Result<T, String> {
    all.iter()
        .copied()
        .find(|x| name(*x).eq_ignore_ascii_case(s.trim()))
        .ok_or_else(|| {
            let names: Vec<&str> = all.iter().map(|x| name(*x)).collect();
            format!("unknown {what} {s:?} ({})", names.join(", "))
        })
}

/// `Display` (its name) and `FromStr` (by name, in any case; the error lists the names) for a
/// setting with `ALL` and `name()`: `names!(Quirk, "quirk");`.
macro_rules! names {
    ($t:ident, $what:literal) => {
        impl std::fmt::Display for $t {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.name())
            }
        }

        impl std::str::FromStr for $t {
            type Err = String;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                $crate::names::by_name(s, &$t::ALL, $t::name, $what)
            }
        }
    };
}
pub(crate) use names;
