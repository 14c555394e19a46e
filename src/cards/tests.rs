//! Behaviour of the cards module as the bot uses it: forms in, requests out, cards shown.

use super::*;
use chrono::{DateTime, TimeZone, Utc, Weekday};
use chrono_tz::Tz;
use chrono_tz::{America::New_York, Europe::Berlin};
use scheduler_core::schedule::{
    MeetingRequest, Nth, Pattern, Recurrence, RecurrenceEnd, WeekdaySet,
};
use serde_json::{Value, json};

fn now() -> DateTime<Utc> {
    // Monday 1 March 2027, 10:07:30 in Berlin.
    Utc.with_ymd_and_hms(2027, 3, 1, 9, 7, 30).unwrap()
}

fn filled() -> FormValues {
    FormValues {
        title: "Design review".into(),
        date: "2027-03-02".into(),
        start: "15:00".into(),
        ..FormValues::empty(Berlin, now())
    }
}

fn errors_of(values: &FormValues) -> FieldErrors {
    read_form(values, now()).expect_err("the form should be refused")
}

fn fields(errors: &FieldErrors) -> Vec<&str> {
    errors.0.iter().map(|(f, _)| f.as_str()).collect()
}

#[test]
fn a_new_form_starts_at_the_next_half_hour_in_the_persons_zone() {
    let values = FormValues::empty(Berlin, now());
    assert_eq!(
        (values.date.as_str(), values.start.as_str()),
        ("2027-03-01", "10:30")
    );
    assert_eq!(values.duration, "30");
    assert_eq!(values.zone, "Europe/Berlin");
    // Kathmandu is UTC+05:45: its half hours are not UTC's.
    let values = FormValues::empty(chrono_tz::Asia::Kathmandu, now());
    assert_eq!(values.start, "15:00");
    // Exactly on a half hour, the next one is proposed (this one is already under way).
    let values = FormValues::empty(Tz::UTC, Utc.with_ymd_and_hms(2027, 3, 1, 9, 30, 0).unwrap());
    assert_eq!(values.start, "10:00");
}

#[test]
fn a_filled_form_becomes_the_meeting_it_describes() {
    let mut values = filled();
    values.duration = "45".into();
    values.invitees = "ana@example.com; bo@example.org\ncy@example.net".into();
    values.cohosts = "bo@example.org".into();
    values.password = "Secret42".into();
    values.agenda = "1. Intro\n2. Demo".into();
    let req = read_form(&values, now()).unwrap();
    assert_eq!(req.title, "Design review");
    assert_eq!(req.start.to_rfc3339(), "2027-03-02T15:00:00+01:00");
    assert_eq!(req.end.to_rfc3339(), "2027-03-02T15:45:00+01:00");
    assert_eq!(req.timezone, Berlin);
    assert_eq!(req.recurrence, None);
    let people: Vec<(String, bool)> = req
        .invitees
        .iter()
        .map(|i| match &i.who {
            scheduler_core::schedule::Who::Email(e) => (e.clone(), i.cohost),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(
        people,
        [
            ("ana@example.com".to_string(), false),
            ("bo@example.org".to_string(), true),
            ("cy@example.net".to_string(), false)
        ]
    );
    assert_eq!(req.password.as_deref(), Some("Secret42"));
    assert_eq!(req.agenda.as_deref(), Some("1. Intro\n2. Demo"));
}

#[test]
fn an_end_time_wins_over_the_duration_and_may_run_past_midnight() {
    let mut values = filled();
    values.start = "23:00".into();
    values.end = "00:30".into();
    let req = read_form(&values, now()).unwrap();
    assert_eq!(req.end.to_rfc3339(), "2027-03-03T00:30:00+01:00");
    values.start = "10:00".into();
    values.end = "09:00".into();
    assert_eq!(fields(&errors_of(&values)), ["end"]);
}

#[test]
fn a_typed_zone_follows_the_tz_command_and_wins_over_the_list() {
    let mut values = filled();
    values.zone_typed = "new york".into();
    assert_eq!(read_form(&values, now()).unwrap().timezone, New_York);
    values.zone_typed = "PST".into();
    assert_eq!(
        read_form(&values, now()).unwrap().timezone,
        chrono_tz::America::Los_Angeles
    );
    values.zone_typed = "Atlantis".into();
    let errors = errors_of(&values);
    assert_eq!(fields(&errors), ["zone_typed"]);
    assert!(errors.0[0].1.contains("Atlantis"));
    values.zone_typed.clear();
    values.zone = "Mars/Olympus".into();
    assert_eq!(fields(&errors_of(&values)), ["zone"]);
}

#[test]
fn dates_and_times_are_read_strictly() {
    for (field, bad) in [
        ("date", "2027-3-02"),
        ("date", "02/03/2027"),
        ("date", "2027-02-30"),
        ("date", " 2027-03-02"),
        ("start", "3pm"),
        ("start", "24:00"),
        ("start", "9:00"),
        ("start", "09:00:00"),
        ("end", "16:00pm"),
        ("until", "next year"),
    ] {
        let mut values = filled();
        values.repeat = "daily".into();
        values.ends = "on".into();
        values.until = "2027-04-01".into();
        values.set(field, bad.into());
        assert_eq!(fields(&errors_of(&values)), [field], "{field} = {bad:?}");
    }
}

#[test]
fn every_problem_is_reported_next_to_its_own_field() {
    let values = FormValues {
        title: String::new(),
        date: "2027-03-02".into(),
        start: "15:00".into(),
        duration: "".into(),
        zone: "Europe/Berlin".into(),
        repeat: "weekly".into(),
        days: "XX".into(),
        ends: "after".into(),
        count: "0".into(),
        invitees: "ana@example.com, not-an-address".into(),
        password: "abc".into(),
        ..FormValues::default()
    };
    let errors = errors_of(&values);
    let mut got = fields(&errors);
    got.sort_unstable();
    assert_eq!(
        got,
        ["count", "days", "duration", "invitees", "password", "title"]
    );
    assert!(
        errors
            .get("invitees")
            .unwrap()
            .contains("\"not-an-address\"")
    );
}

#[test]
fn wrong_addresses_are_named_in_the_right_number() {
    let message = |typed: &str| {
        let values = FormValues {
            invitees: typed.into(),
            ..filled()
        };
        errors_of(&values).get("invitees").unwrap().to_string()
    };
    assert_eq!(message("ana@x.org, bo"), "\"bo\" is not an e-mail address.");
    assert_eq!(
        message("bo, cy"),
        "These are not e-mail addresses: \"bo\", \"cy\"."
    );
    assert_eq!(
        message("a b c d"),
        "These are not e-mail addresses: \"a\", \"b\", \"c\" and more."
    );
}

#[test]
fn the_domain_rules_of_typed_commands_apply() {
    let mut past = filled();
    past.date = "2027-03-01".into();
    past.start = "09:00".into();
    assert!(
        errors_of(&past)
            .get("start")
            .unwrap()
            .contains("already in the past")
    );

    let mut gap = filled();
    gap.date = "2027-03-28".into();
    gap.start = "02:30".into();
    assert!(
        errors_of(&gap)
            .get("start")
            .unwrap()
            .contains("doesn't exist")
    );

    let mut long = filled();
    long.duration = "1440".into();
    assert!(
        errors_of(&long)
            .get("duration")
            .unwrap()
            .contains("at most 23 hours 59")
    );

    let mut short = filled();
    short.end = "15:05".into();
    assert!(
        errors_of(&short)
            .get("end")
            .unwrap()
            .contains("at least 10 minutes")
    );

    let mut title = filled();
    title.title = "x".repeat(129);
    assert!(
        errors_of(&title)
            .get("title")
            .unwrap()
            .contains("at most 128")
    );

    let mut series = filled();
    series.repeat = "weekly".into();
    series.ends = "after".into();
    series.count = "262".into();
    assert!(
        errors_of(&series)
            .get("count")
            .unwrap()
            .contains("at most 261")
    );

    let mut far = filled();
    far.repeat = "daily".into();
    far.ends = "on".into();
    far.until = "2033-01-01".into();
    assert!(errors_of(&far).get("until").unwrap().contains("5 years"));

    let mut mismatch = filled(); // 2 March 2027 is a Tuesday
    mismatch.repeat = "weekly".into();
    mismatch.days = "MO,WE".into();
    assert!(
        errors_of(&mismatch)
            .get("days")
            .unwrap()
            .contains("isn't one of")
    );
}

fn series(pattern: Pattern, interval: u32, end: RecurrenceEnd) -> MeetingRequest {
    let start = Berlin.with_ymd_and_hms(2027, 3, 9, 15, 0, 0).unwrap(); // 2nd Tuesday
    MeetingRequest {
        title: "Sync [weekly]".into(),
        start,
        end: start + chrono::Duration::minutes(50),
        timezone: Berlin,
        recurrence: Some(Recurrence {
            pattern,
            interval,
            end,
        }),
        invitees: vec![],
        password: None,
        agenda: None,
        reminder: None,
    }
}

#[test]
fn an_edit_form_reads_back_as_the_same_meeting() {
    let until = chrono::NaiveDate::from_ymd_opt(2027, 6, 30).unwrap();
    let until = RecurrenceEnd::Until {
        date: until,
        instant: scheduler_core::schedule::until_end_of_day(until, Berlin),
    };
    let tue_thu = WeekdaySet::single(Weekday::Tue).with(Weekday::Thu);
    let requests = [
        series(Pattern::Daily, 1, RecurrenceEnd::Count(5)),
        series(
            Pattern::Weekly(WeekdaySet::WORKWEEK),
            1,
            RecurrenceEnd::Never,
        ),
        series(Pattern::Weekly(tue_thu), 1, until),
        series(Pattern::Weekly(tue_thu), 2, RecurrenceEnd::Count(6)),
        series(Pattern::MonthlyOnDay(9), 1, RecurrenceEnd::Never),
        series(
            Pattern::MonthlyOnWeekday {
                nth: Nth::Second,
                weekday: Weekday::Tue,
            },
            1,
            RecurrenceEnd::Count(12),
        ),
    ];
    let people = [
        InviteeView {
            email: "ana@example.com".into(),
            name: Some("Ana".into()),
            cohost: false,
        },
        InviteeView {
            email: "bo@example.org".into(),
            name: None,
            cohost: true,
        },
    ];
    for mut req in requests {
        req.invitees = vec![
            scheduler_core::schedule::Invitee {
                who: scheduler_core::schedule::Who::Email("ana@example.com".into()),
                cohost: false,
            },
            scheduler_core::schedule::Invitee {
                who: scheduler_core::schedule::Who::Email("bo@example.org".into()),
                cohost: true,
            },
        ];
        req.password = Some("Secret42".into());
        let values = FormValues::from_request(&req, &people);
        assert_eq!(read_form(&values, now()), Ok(req.clone()), "{values:?}");
    }
}

#[test]
fn submissions_are_routed_by_action_and_card() {
    let read = |v: Value| read_submission(&v);
    assert_eq!(
        read(json!({"action": "schedule", "card_id": "c-1"})),
        Ok(Submission::Schedule {
            card_id: "c-1".into()
        })
    );
    assert_eq!(
        read(json!({"action": "edit", "card_id": "c-1"})),
        Ok(Submission::Edit {
            card_id: "c-1".into()
        })
    );
    // A client that ignores associatedInputs sends the form along with Cancel.
    assert_eq!(
        read(json!({"action": "cancel", "card_id": "c-1", "title": "x"})),
        Ok(Submission::Cancel {
            card_id: "c-1".into()
        })
    );
    let Ok(Submission::Form { card_id, values }) = read(json!({
        "action": "form", "card_id": "c-2", "title": "T", "date": "2027-03-02", "count": 4
    })) else {
        panic!("a form submission");
    };
    assert_eq!(card_id, "c-2");
    assert_eq!((values.title.as_str(), values.count.as_str()), ("T", "4"));
    assert_eq!(values.start, "", "missing inputs are empty");
}

#[test]
fn submissions_our_cards_cannot_send_are_refused() {
    let huge = "x".repeat(600);
    for bad in [
        json!([]),
        json!("form"),
        json!({"card_id": "c"}),
        json!({"action": "form"}),
        json!({"action": "launch", "card_id": "c"}),
        json!({"action": "form", "card_id": "c", "admin": "1"}),
        json!({"action": "form", "card_id": "c", "title": 5}),
        json!({"action": "form", "card_id": "c", "title": {"a": {"b": []}}}),
        json!({"action": "form", "card_id": "c", "title": ["x"]}),
        json!({"action": "form", "card_id": "c", "title": null}),
        json!({"action": "form", "card_id": "c", "title": huge}),
        json!({"action": "form", "card_id": "c", "count": -1}),
        json!({"action": "form", "card_id": "c", "count": 1.5}),
        json!({"action": "form", "card_id": "c<@all>"}),
        json!({"action": "form", "card_id": "x".repeat(65)}),
        json!({"action": "schedule", "card_id": "c", "title": "smuggled"}),
    ] {
        let refusal = read_submission(&bad).expect_err(&bad.to_string());
        assert!(!refusal.contains("<@"), "{refusal}");
    }
}

/// Every element of a card, depth first.
fn elements(card: &Value) -> Vec<&Value> {
    fn walk<'a>(v: &'a Value, out: &mut Vec<&'a Value>) {
        match v {
            Value::Object(map) => {
                if map.contains_key("type") {
                    out.push(v);
                }
                map.values().for_each(|x| walk(x, out));
            }
            Value::Array(items) => items.iter().for_each(|x| walk(x, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(card, &mut out);
    out
}

#[test]
fn the_form_keeps_what_was_typed_and_states_each_problem_under_its_field() {
    let mut values = filled();
    values.title = "**Board** <@all>".into();
    values.duration = "1440".into();
    let errors = errors_of(&values);
    let card = form(&values, &errors, "card-9");
    let body = card["body"].as_array().unwrap();
    let position = |pred: &dyn Fn(&Value) -> bool| body.iter().position(pred).unwrap();
    let holds_input = |e: &Value, id: &str| elements(e).iter().any(|x| x["id"] == id);
    let duration_at = position(&|e| holds_input(e, "duration"));
    let message_at = position(&|e| {
        e["text"]
            .as_str()
            .is_some_and(|t| t.contains("23 hours 59"))
    });
    assert!(message_at > duration_at && message_at <= duration_at + 2);
    assert!(!body.iter().any(|e| {
        e["text"]
            .as_str()
            .is_some_and(|t| t.contains("Pick a date"))
    }));
    let title = elements(&card)
        .into_iter()
        .find(|e| e["id"] == "title")
        .unwrap();
    assert_eq!(
        title["value"], "**Board** <@all>",
        "inputs show text as typed"
    );
    assert_eq!(card["body"][1]["text"], "Please fix the problem below.");
    assert_eq!(
        card["actions"][0]["data"],
        json!({"action": "form", "card_id": "card-9"})
    );
}

#[test]
fn the_forms_button_says_what_it_does_and_sends_the_same_action() {
    let titles = |card: &Value| -> Vec<String> {
        card["actions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["title"].as_str().unwrap().to_string())
            .collect()
    };
    let values = filled();
    let errors = FieldErrors::default();
    let previewing = form_for(&values, &errors, "c", Submit::Preview, false);
    assert_eq!(titles(&previewing), ["Preview", "Cancel"]);
    assert_eq!(previewing["actions"][0]["data"]["action"], "form");
    let scheduling = form_for(&values, &errors, "c", Submit::Schedule, true);
    assert_eq!(titles(&scheduling), ["Schedule", "Cancel"]);
    assert_eq!(scheduling, form_keeping_password(&values, &errors, "c"));
    assert_eq!(
        form_for(&values, &errors, "c", Submit::Schedule, false),
        form(&values, &errors, "c")
    );
}

#[test]
fn the_form_offers_the_selected_zone_first_and_any_edited_duration() {
    let mut values = FormValues::empty(chrono_tz::Asia::Kathmandu, now());
    values.duration = "50".into();
    let card = form(&values, &FieldErrors::default(), "c");
    let all = elements(&card);
    let choice = |id: &str| all.iter().find(|e| e["id"] == id).unwrap()["choices"].clone();
    assert_eq!(choice("zone")[0]["value"], "Asia/Kathmandu");
    assert!(
        choice("duration")
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["value"] == "50")
    );
}

fn person_meeting() -> (MeetingRequest, Vec<InviteeView>) {
    let mut req = series(
        Pattern::Weekly(WeekdaySet::single(Weekday::Tue)),
        2,
        RecurrenceEnd::Count(4),
    );
    req.title = "[x](javascript:alert(1)) <@all> **now**".into();
    req.password = Some("Secret42".into());
    let people = vec![
        InviteeView {
            email: "ana@example.com".into(),
            name: Some("Ana _the_ [boss]".into()),
            cohost: false,
        },
        InviteeView {
            email: "bo@example.org".into(),
            name: None,
            cohost: true,
        },
    ];
    (req, people)
}

fn fact<'a>(card: &'a Value, title: &str) -> Option<&'a str> {
    elements(card)
        .into_iter()
        .find(|e| e["type"] == "FactSet")?["facts"]
        .as_array()?
        .iter()
        .find(|f| f["title"] == title)?["value"]
        .as_str()
}

#[test]
fn the_preview_shows_the_meeting_in_both_zones_and_never_the_password() {
    let (req, people) = person_meeting();
    let card = preview(&req, &people, &[], New_York, "p-1");
    let text = card.to_string();
    assert!(!text.contains("Secret42"));
    assert_eq!(fact(&card, "Password"), Some("Set"));
    assert_eq!(
        fact(&card, "When"),
        Some("Tuesday 9 March 2027, 15:00–15:50 (Europe/Berlin)")
    );
    assert_eq!(
        fact(&card, "Your time"),
        Some("Tuesday 9 March 2027, 09:00–09:50 (America/New_York)")
    );
    assert_eq!(fact(&card, "Duration"), Some("50 minutes"));
    assert_eq!(
        fact(&card, "Repeats"),
        Some("every other week on Tuesday, 4 times")
    );
    assert_eq!(
        fact(&card, "Next"),
        Some("Tue 9 Mar 2027 15:00; Tue 23 Mar 2027 15:00; Tue 6 Apr 2027 15:00")
    );
    assert_eq!(
        fact(&card, "Invitees"),
        Some(r"Ana \_the\_ \[boss\] (ana@example.com)")
    );
    assert_eq!(fact(&card, "Co-hosts"), Some("bo@example.org"));
    assert_eq!(
        card["body"][1]["text"],
        r"\[x\](javascript:alert(1)) \<@all\> \*\*now\*\*"
    );
    let titles: Vec<&str> = card["actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["Schedule", "Edit", "Cancel"]);
    assert!(
        card["actions"]
            .as_array()
            .unwrap()
            .iter()
            .all(|a| a["data"]["card_id"] == "p-1")
    );
    let same_zone = preview(&req, &people, &[], Berlin, "p-1");
    assert_eq!(fact(&same_zone, "Your time"), None);
}

#[test]
fn the_preview_always_says_who_is_invited_and_who_is_not() {
    let (req, people) = person_meeting();
    let nobody = preview(&req, &[], &[], Berlin, "p-1");
    assert_eq!(fact(&nobody, "Invitees"), Some("nobody else"));
    assert_eq!(fact(&nobody, "Co-hosts"), None);
    let only_cohosts = preview(&req, &people[1..], &[], Berlin, "p-1");
    assert_eq!(fact(&only_cohosts, "Invitees"), Some("only the co-hosts"));
    assert_eq!(fact(&only_cohosts, "Co-hosts"), Some("bo@example.org"));
    let no_note = |card: &Value| {
        elements(card)
            .into_iter()
            .all(|e| !e["text"].as_str().unwrap_or("").contains("not invited"))
    };
    assert!(no_note(&nobody), "no note when every name was found");

    let notes = [
        "bob is not invited: write an e-mail address or @mention.".to_string(),
        "<@all> is not invited: write an e-mail address.".to_string(),
    ];
    let card = preview(&req, &[], &notes, Berlin, "p-1");
    let note = elements(&card)
        .into_iter()
        .find(|e| e["type"] == "TextBlock" && e["color"] == "Warning")
        .expect("a note under the facts");
    assert_eq!(
        note["text"],
        "bob is not invited: write an e-mail address or @mention.\n\n\\<@all\\> is not invited: \
         write an e-mail address."
    );
    assert_eq!(note["wrap"], true);
}

#[test]
fn every_card_is_version_1_3_within_five_actions_and_the_size_budget() {
    let (mut req, _) = person_meeting();
    req.title = "é".repeat(128);
    let many: Vec<InviteeView> = (0..1000)
        .map(|i| InviteeView {
            email: format!("person{i}@example.com"),
            name: Some("N".repeat(60)),
            cohost: i % 2 == 0,
        })
        .collect();
    // The form's address boxes hold 4000 characters each: about 150 people.
    let mut worst = FormValues::from_request(&req, &many[..300]);
    assert!(worst.invitees.len() <= MAX_ADDRESS_CHARS && worst.cohosts.len() <= MAX_ADDRESS_CHARS);
    worst.agenda = "<".repeat(1300);
    let all_errors = FieldErrors(
        FIELD_IDS
            .iter()
            .map(|f| (f.to_string(), "m".repeat(200)))
            .collect(),
    );
    let cards = [
        form(
            &FormValues::empty(Berlin, now()),
            &FieldErrors::default(),
            "c",
        ),
        form(&worst, &all_errors, &"c".repeat(MAX_CARD_ID_LEN)),
        preview(&req, &many, &[], New_York, "c"),
    ];
    for card in cards {
        assert_eq!(card["version"], "1.3");
        assert!(card["actions"].as_array().map_or(0, Vec::len) <= 5);
        let bytes = serde_json::to_vec(&attachment(card)).unwrap().len();
        assert!(bytes < CARD_BUDGET_BYTES, "{bytes} bytes");
    }
}

/// Any JSON at all: nested, of every type, with our keys and others.
fn any_json() -> impl proptest::strategy::Strategy<Value = Value> {
    use proptest::prelude::*;
    let key = prop_oneof![
        Just("action".to_string()),
        Just("card_id".to_string()),
        proptest::sample::select(FIELD_IDS.to_vec()).prop_map(str::to_string),
        "[a-z_]{1,8}",
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        prop_oneof![
            Just("form"),
            Just("schedule"),
            Just("edit"),
            Just("cancel"),
            Just("c-1")
        ]
        .prop_map(|s| json!(s)),
        ".{0,40}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 64, 8, move |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            proptest::collection::btree_map(key.clone(), inner, 0..8)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(1000))]

    /// Whatever arrives, reading it never panics; what is accepted is what our cards send.
    #[test]
    fn any_submission_is_read_or_refused_without_panicking(inputs in any_json()) {
        if let Ok(submission) = read_submission(&inputs) {
            let fields = inputs.as_object().expect("only objects are accepted");
            proptest::prop_assert!(fields.keys().all(|k| k == "action" || k == "card_id" || FIELD_IDS.contains(&k.as_str())));
            if let Submission::Form { values, .. } = submission {
                let _ = read_form(&values, now());
            }
        }
    }

    /// Any strings in any field: a meeting that passes the schedule rules, or field errors
    /// that name real fields.
    #[test]
    fn any_form_is_a_valid_meeting_or_errors_on_known_fields(
        texts in proptest::collection::vec(".{0,20}|[0-9:-]{0,10}", FIELD_IDS.len())
    ) {
        let mut values = filled();
        for (id, text) in FIELD_IDS.iter().zip(texts) {
            if !text.is_empty() {
                values.set(id, text);
            }
        }
        match read_form(&values, now()) {
            Ok(req) => proptest::prop_assert!(scheduler_core::schedule::validate(&req, now()).is_ok()),
            Err(errors) => {
                proptest::prop_assert!(!errors.is_empty());
                proptest::prop_assert!(errors.0.iter().all(|(f, _)| FIELD_IDS.contains(&f.as_str())));
            }
        }
    }
}
