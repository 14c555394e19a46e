//! Refusals: misspellings, things said twice, missing pieces, Webex's limits on the title,
//! password and agenda; each names the problem and the word.

use super::table;

#[test]
fn misspellings() {
    table(&[
        (
            "sync tommorow 3pm",
            "error=Did you mean \"tomorrow\"?; word=2",
        ),
        ("sync tomorrw 3pm", "error=Did you mean \"tomorrow\"?"),
        ("sync wednsday 3pm", "error=Did you mean \"wednesday\"?"),
        ("sync thrusday 3pm", "error=Did you mean \"thursday\"?"),
        ("sync fridya 3pm", "error=Did you mean \"friday\"?"),
        ("sync satuday 3pm", "error=Did you mean \"saturday\"?"),
        ("sync sundya 3pm", "error=Did you mean \"sunday\"?"),
        ("sync mondy 3pm", "error=Did you mean \"monday\"?"),
        ("sync tuesdy 3pm", "error=Did you mean \"tuesday\"?"),
        ("sync febuary 3 3pm", "error=Did you mean \"february\"?"),
        ("sync septmber 3 3pm", "error=Did you mean \"september\"?"),
        ("sync decmber 3 3pm", "error=Did you mean \"december\"?"),
        ("sync agust 3 3pm", "error=Did you mean \"august\"?"),
        ("standup dialy 9am", "error=Did you mean \"daily\"?"),
        ("sync montly 3pm", "error=Did you mean \"monthly\"?"),
        ("sync biweekley 3pm", "error=Did you mean \"biweekly\"?"),
        ("sync anually 3pm", "error=Did you mean \"annually\"?"),
        ("sync yesterdy 3pm", "error=Did you mean \"yesterday\"?"),
        (
            "sync with ana@acme.com tomorow 3pm",
            "error=I couldn't read \"tomorow\" (at word 4)",
        ),
        (
            "sync tomorow, 3pm",
            "error=I couldn't read \"tomorow\" (at word 2)",
        ),
        ("Daisy farewell tomorrow 3pm", "title=Daisy farewell"),
        ("dairy council tomorrow 3pm", "title=Dairy council"),
        ("Monica sync tomorrow 3pm", "title=Monica sync"),
        ("months review tomorrow 3pm", "title=Months review"),
        ("match review tomorrow 3pm", "title=Match review"),
        ("early standup tomorrow 8am", "title=Early standup"),
        (
            "very important sync tomorrow 3pm",
            "title=Very important sync",
        ),
        ("\"Tomorow\" tomorrow 3pm", "title=Tomorow"),
    ]);
}

#[test]
fn words_meant_as_an_address_or_a_zone_are_not_taken_into_the_title() {
    table(&[
        (
            "sync tomorrow 3pm with bob@",
            "error=\"bob@\" (at word 5) isn't a complete e-mail address.; word=5",
        ),
        (
            "sync tomorrow 3pm with bob@acme",
            "error=\"bob@acme\" (at word 5) isn't a complete e-mail address.",
        ),
        (
            "sync tomorrow 3pm Europe/Pariss",
            "error=I don't know the time zone \"Europe/Pariss\" (at word 4). Did you mean \"Europe/Paris\"?",
        ),
        ("Q/A session tomorrow 3pm", "title=Q/A session"),
        ("lunch @ noon tomorrow", "title=Lunch @"),
        ("\"Sync with bob@\" tomorrow 3pm", "title=Sync with bob@"),
    ]);
}

#[test]
fn said_twice() {
    table(&[
        (
            "friday drinks tomorrow 5pm",
            "error=I found two dates: \"friday\" and \"tomorrow\" (at word 3). Keep one, or put the title in double quotes.",
        ),
        (
            "\"Friday drinks\" tomorrow 5pm",
            "title=Friday drinks; start=2027-03-25T17:00:00+01:00",
        ),
        (
            "sync tomorrow 3pm password abc123 pw def456",
            "error=I found two passwords; word=6",
        ),
        (
            "\"A\" \"B\" tomorrow 3pm",
            "error=I found two quoted titles; word=2",
        ),
    ]);
}

#[test]
fn missing_pieces() {
    table(&[
        ("schedule sync", "error=When should it be?; word=none"),
        ("schedule with ana@acme.com", "error=When should it be?"),
        ("sync for 1h", "error=When should it be?"),
        (
            "sync in 2 days",
            "error=I need a time: \"in 2 days\" (at word 2)",
        ),
        (
            "schedule \"Design review tomorrow 3pm",
            "error=The quote that starts (at word 2) is never closed.",
        ),
        ("sync tomorrow 3pm password", "error=What password?; word=4"),
        (
            "sync tomorrow 3pm agenda:",
            "error=The agenda (at word 4) is empty",
        ),
        ("agenda review tomorrow 3pm", "title=Agenda review"),
    ]);
}

#[test]
fn webex_limits_on_values() {
    let long_title = format!("schedule \"{}\" tomorrow 3pm", "x".repeat(129));
    let ok_title = format!("schedule \"{}\" tomorrow 3pm", "x".repeat(128));
    let long_agenda = format!("sync tomorrow 3pm agenda: {}", "y".repeat(1301));
    table(&[
        (
            long_title.as_str(),
            "error=The title is 129 characters long (at word 2)",
        ),
        (ok_title.as_str(), "command=schedule"),
        (
            long_agenda.as_str(),
            "error=The agenda is 1301 characters long; word=4",
        ),
        (
            "sync tomorrow 3pm pw ab1",
            "error=That password won't do; word=4",
        ),
        (
            "sync tomorrow 3pm password abcdefgh",
            "error=That password won't do",
        ),
        (
            "sync tomorrow 3pm password Blue42sky!",
            "password=Blue42sky!",
        ),
    ]);
}
