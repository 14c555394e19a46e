use scheduler_core::command::{Context, json, parse};
use std::io::BufRead;
fn main() {
    let now = "2027-03-24T09:00:00Z".parse().unwrap();
    let ctx = Context::new(now, chrono_tz::Europe::Berlin);
    for line in std::io::stdin().lock().lines() {
        let line = line.unwrap();
        println!("{line}\n    {}", json::to_json(&parse(&line, &ctx)));
    }
}
