//! `--jq PATH`: jq's path expressions, enough to pick fields out of answers:
//! `.`, `.name`, `."odd key"`, `.[0]`, `.[-1]`, `.[]`, chained (`.data[].id`),
//! and several paths separated by `,` (`.id, .name`). A field of `null` or of a
//! missing key is `null`, as in jq.

use serde_json::Value;

#[derive(Debug, Clone, PartialEq)]
enum Step {
    Key(String),
    Index(i64),
    Each,
}

/// A parsed `--jq` expression.
#[derive(Debug, Clone, PartialEq)]
pub struct Selector {
    paths: Vec<Vec<Step>>,
}

impl Selector {
    /// Parses `expr`, or says what is wrong with it.
    pub fn parse(expr: &str) -> Result<Selector, String> {
        let paths = split_top(expr)
            .into_iter()
            .map(|p| parse_path(p.trim()))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Selector { paths })
    }

    /// Every value the expression picks out of `value`.
    pub fn apply(&self, value: &Value) -> Vec<Value> {
        let mut out = Vec::new();
        for path in &self.paths {
            let mut current = vec![value.clone()];
            for step in path {
                current = current.into_iter().flat_map(|v| apply_step(step, v)).collect();
            }
            out.extend(current);
        }
        out
    }
}

fn apply_step(step: &Step, value: Value) -> Vec<Value> {
    match (step, value) {
        (Step::Key(k), Value::Object(mut map)) => vec![map.remove(k).unwrap_or(Value::Null)],
        (Step::Key(_), _) => vec![Value::Null],
        (Step::Index(i), Value::Array(items)) => {
            let len = items.len() as i64;
            let at = if *i < 0 { len + i } else { *i };
            vec![usize::try_from(at)
                .ok()
                .and_then(|at| items.get(at).cloned())
                .unwrap_or(Value::Null)]
        }
        (Step::Index(_), _) => vec![Value::Null],
        (Step::Each, Value::Array(items)) => items,
        (Step::Each, Value::Object(map)) => map.into_iter().map(|(_, v)| v).collect(),
        (Step::Each, _) => vec![],
    }
}

/// Splits on commas outside quotes and brackets.
fn split_top(expr: &str) -> Vec<&str> {
    let (mut parts, mut depth, mut quoted, mut start) = (Vec::new(), 0, false, 0);
    for (i, c) in expr.char_indices() {
        match c {
            '"' => quoted = !quoted,
            '[' if !quoted => depth += 1,
            ']' if !quoted => depth -= 1,
            ',' if !quoted && depth == 0 => {
                parts.push(&expr[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&expr[start..]);
    parts
}

fn parse_path(path: &str) -> Result<Vec<Step>, String> {
    let bad = |why: &str| {
        format!("--jq {path:?}: {why} (supported: .key, .\"key\", .[N], .[], chained, comma-separated)")
    };
    if !path.starts_with('.') {
        return Err(bad("a path starts with `.`"));
    }
    let chars: Vec<char> = path.chars().collect();
    let mut steps = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '.' => {
                i += 1;
                if i < chars.len() && chars[i] == '"' {
                    let end = chars[i + 1..]
                        .iter()
                        .position(|c| *c == '"')
                        .ok_or_else(|| bad("unclosed quote"))?;
                    steps.push(Step::Key(chars[i + 1..i + 1 + end].iter().collect()));
                    i += end + 2;
                } else {
                    let start = i;
                    while i < chars.len()
                        && (chars[i].is_alphanumeric() || chars[i] == '_' || chars[i] == '-')
                    {
                        i += 1;
                    }
                    if i > start {
                        steps.push(Step::Key(chars[start..i].iter().collect()));
                    }
                }
            }
            '[' => {
                let end = chars[i..]
                    .iter()
                    .position(|c| *c == ']')
                    .ok_or_else(|| bad("unclosed ["))?;
                let inner: String = chars[i + 1..i + end].iter().collect();
                let inner = inner.trim();
                if inner.is_empty() {
                    steps.push(Step::Each);
                } else if let Some(key) = inner.strip_prefix('"').and_then(|s| s.strip_suffix('"')) {
                    steps.push(Step::Key(key.to_owned()));
                } else {
                    steps.push(Step::Index(
                        inner.parse().map_err(|_| bad("an index is a whole number"))?,
                    ));
                }
                i += end + 1;
            }
            c if c.is_whitespace() => i += 1,
            _ => return Err(bad("unexpected character")),
        }
    }
    Ok(steps)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn paths() {
        let v = json!({"data": [{"id": "a", "n": 1}, {"id": "b"}], "x y": 2});
        let pick = |e: &str| Selector::parse(e).unwrap().apply(&v);
        assert_eq!(pick("."), vec![v.clone()]);
        assert_eq!(pick(".data[].id"), vec![json!("a"), json!("b")]);
        assert_eq!(pick(".data[-1].id"), vec![json!("b")]);
        assert_eq!(pick(".data[1].n"), vec![Value::Null]);
        assert_eq!(pick(".\"x y\""), vec![json!(2)]);
        assert_eq!(pick(".data[0].id, .x"), vec![json!("a"), Value::Null]);
        assert!(Selector::parse("data").is_err());
        assert!(Selector::parse(".a | b").is_err());
    }
}
