use scheduler_core::command::{parse, Context, Mention};
fn main() {
    let corpus = include_str!("../benches/corpus.txt");
    let commands: Vec<&str> = corpus.lines().filter(|l| !l.trim().is_empty()).collect();
    let now = "2027-03-24T09:00:00Z".parse().unwrap();
    let mentions = [Mention { person_id: "P1".into(), text: "Ana Lopez".into() }];
    let ctx = Context { mentions: &mentions, ..Context::new(now, chrono_tz::Europe::Berlin) };
    let n: usize = std::env::args().nth(1).map_or(200, |a| a.parse().unwrap());
    let mut ok = 0;
    for _ in 0..n { for t in &commands { ok += usize::from(std::hint::black_box(parse(std::hint::black_box(t), &ctx)).is_ok()); } }
    println!("{ok}");
}
