//! The random fault mix of `--faults-probability`.

use serde_json::{json, Value};

use super::spec::Fault;

/// The mix of `--faults-probability P`: the transient failures a retrying client meets
/// in practice (429, 500, 502 with an HTML page, 503, a reset before any response),
/// with conditional probabilities so that the total is exactly `P` and each kind gets
/// an equal share. As with every fault, the operation does not run.
pub fn random_mix(probability: f64, seed: u64) -> Vec<Fault> {
    let mix = [
        json!({"kind": "status", "status": 429, "headers": {"Retry-After": "0"}}),
        json!({"kind": "status", "status": 500}),
        json!({"kind": "status", "status": 502, "body_kind": "html"}),
        json!({"kind": "status", "status": 503}),
        json!({"kind": "reset_before"}),
    ];
    let share = probability / mix.len() as f64;
    mix.into_iter()
        .enumerate()
        .map(|(i, mut fault)| {
            let taken = share * i as f64;
            let p = if taken >= 1.0 {
                0.0
            } else {
                (share / (1.0 - taken)).min(1.0)
            };
            fault["route"] = Value::from("*");
            fault["probability"] = Value::from(p);
            fault["seed"] = Value::from(seed.wrapping_add(i as u64));
            Fault::from_value(fault).expect("the built-in fault mix is valid")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use axum::http::Method;

    use super::*;
    use crate::faults::FaultQueue;

    #[test]
    fn the_random_mix_adds_up() {
        let queue = FaultQueue::new(1);
        for fault in random_mix(0.5, 9) {
            queue.push(fault);
        }
        let mut counts = std::collections::HashMap::new();
        for _ in 0..20_000 {
            let kind = queue.take(&Method::GET, "/x").map(|a| (a.kind, a.status));
            *counts.entry(kind).or_insert(0) += 1;
        }
        assert_eq!(counts.len(), 6, "{counts:?}");
        let none = counts[&None];
        assert!((9_500..10_500).contains(&none), "{counts:?}");
        for (kind, count) in counts {
            if kind.is_some() {
                assert!((1_700..2_300).contains(&count), "{kind:?}: {count}");
            }
        }
    }
}
