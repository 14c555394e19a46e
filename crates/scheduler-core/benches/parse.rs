//! Parsing plus resolution over a corpus of realistic commands, on one core.
//!
//! `cargo bench --bench parse` reports the throughput in commands ("elements") per second;
//! the target is at least 500,000 per second per core.

use chrono::{DateTime, Utc};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use scheduler_core::command::{Context, Mention, parse};
use std::hint::black_box;

const CORPUS: &str = include_str!("corpus.txt");

fn corpus() -> Vec<&'static str> {
    CORPUS.lines().filter(|l| !l.trim().is_empty()).collect()
}

fn bench(c: &mut Criterion) {
    let commands = corpus();
    let now: DateTime<Utc> = "2027-03-24T09:00:00Z".parse().expect("a fixed now");
    let mentions = [Mention {
        person_id: "P1".into(),
        text: "Ana Lopez".into(),
    }];
    let ctx = Context {
        mentions: &mentions,
        ..Context::new(now, chrono_tz::Europe::Berlin)
    };
    let ok = commands.iter().filter(|t| parse(t, &ctx).is_ok()).count();
    eprintln!(
        "corpus: {} commands, {} accepted, {} refused",
        commands.len(),
        ok,
        commands.len() - ok
    );

    let mut group = c.benchmark_group("command");
    group.throughput(Throughput::Elements(commands.len() as u64));
    group.bench_function("parse+resolve corpus", |b| {
        b.iter(|| {
            for text in &commands {
                black_box(parse(black_box(text), &ctx)).ok();
            }
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
