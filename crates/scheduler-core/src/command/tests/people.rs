//! Invitees and co-hosts: lists, mentions, markup, `everyone`, uniqueness.
//! The messages mention "Ana Lopez" (P-ANA) and "Bob" (P-BOB).

use super::table;

#[test]
fn lists() {
    table(&[
        (
            "sync tomorrow 3pm with ana@acme.com and bob@acme.com",
            "invitees=ana@acme.com, bob@acme.com",
        ),
        (
            "sync tomorrow 3pm with ana@acme.com & bob@acme.com",
            "invitees=ana@acme.com, bob@acme.com",
        ),
        (
            "sync tomorrow 3pm with ana@acme.com, bob@acme.com, and carol@acme.com",
            "invitees=ana@acme.com, bob@acme.com, carol@acme.com",
        ),
        (
            "sync tomorrow 3pm ana@acme.com",
            "invitees=ana@acme.com; title=Sync",
        ),
        (
            "ana@acme.com sync tomorrow 3pm",
            "invitees=ana@acme.com; title=Sync",
        ),
        ("sync tomorrow 3pm invite everyone", "invitees=everyone"),
        ("sync tomorrow 3pm with @everyone", "invitees=everyone"),
        (
            "sync tomorrow 3pm with ana@acme.com and ana@acme.com",
            "invitees=ana@acme.com",
        ),
        (
            "sync tomorrow 3pm with ana@acme.com cohost: bob@acme.com",
            "invitees=ana@acme.com, bob@acme.com*",
        ),
        (
            "sync tomorrow 3pm with ana@acme.com and cohost bob@acme.com",
            "invitees=ana@acme.com, bob@acme.com*; title=Sync",
        ),
        (
            "sync tomorrow 3pm with ana@acme.com.",
            "invitees=ana@acme.com",
        ),
        (
            "sync tomorrow 3pm WITH ANA@ACME.COM",
            "invitees=ANA@ACME.COM",
        ),
        (
            "sync tomorrow 3pm ana@acme.com as co-host",
            "invitees=ana@acme.com*",
        ),
        (
            "sync tomorrow 3pm with ana@acme.com and bob@acme.com as cohosts",
            "invitees=ana@acme.com*, bob@acme.com*",
        ),
        (
            "sync tomorrow 3pm with first.last+tag@mail.acme.co.uk",
            "invitees=first.last+tag@mail.acme.co.uk",
        ),
    ]);
}

#[test]
fn mentions() {
    table(&[
        ("sync tomorrow 3pm with Bob", "invitees=P-BOB; title=Sync"),
        ("sync tomorrow 3pm with @Ana Lopez", "invitees=P-ANA"),
        ("sync tomorrow 3pm cohost Ana Lopez", "invitees=P-ANA*"),
        ("sync tomorrow 3pm Ana Lopez as cohost", "invitees=P-ANA*"),
        (
            "Bob and Ana Lopez sync tomorrow 3pm",
            "invitees=P-BOB, P-ANA; title=Sync",
        ),
        (
            "sync tomorrow 3pm with Bob, ana@acme.com and Ana Lopez",
            "invitees=P-BOB, ana@acme.com, P-ANA",
        ),
        (
            "sync tomorrow 3pm with <@personId:Y2lzY29|Zed>",
            "invitees=Y2lzY29",
        ),
        (
            "sync tomorrow 3pm with <@personEmail:zed@acme.com>",
            "invitees=zed@acme.com",
        ),
    ]);
}

#[test]
fn not_people() {
    table(&[
        (
            "coffee with Ana tomorrow 3pm",
            "title=Coffee with Ana; invitees=name:Ana",
        ),
        (
            "lunch with the team tomorrow noon",
            "title=Lunch with the team",
        ),
        (
            "sync tomorrow 3pm cohost tomorrow",
            "error=Who should co-host?; word=4",
        ),
        (
            "everyone meeting tomorrow 3pm",
            "title=Everyone meeting; invitees=",
        ),
    ]);
}

/// Bare names after `with`/`invite`: reported as names for the bot to look up among the
/// space's members, and kept in the title as typed. ("Bob" is mentioned in these messages, so
/// the names here are others.)
#[test]
fn bare_names() {
    table(&[
        (
            "lunch with dave friday noon",
            "title=Lunch with dave; invitees=name:dave",
        ),
        (
            "Lunch with Dave Lee friday noon",
            "title=Lunch with Dave Lee; invitees=name:Dave Lee",
        ),
        (
            "lunch with dave lee friday noon",
            "title=Lunch with dave lee; invitees=name:dave",
        ),
        (
            "lunch with Dave about Budget friday noon",
            "invitees=name:Dave",
        ),
        (
            "lunch with Dave Lee, carol and Erin friday noon",
            "invitees=name:Dave Lee, name:carol, name:Erin",
        ),
        (
            "lunch with dave & carol friday noon",
            "invitees=name:dave, name:carol",
        ),
        (
            "invite dave friday noon",
            "title=Invite dave; invitees=name:dave",
        ),
        ("sync friday noon with: dave", "invitees=name:dave"),
        ("lunch with O'Brien friday noon", "invitees=name:O'Brien"),
        ("lunch with Jean-Luc friday noon", "invitees=name:Jean-Luc"),
        // After addresses and mentions, a name continues the list; the names come last.
        (
            "sync tomorrow 3pm with ana@acme.com and dave",
            "title=Sync; invitees=ana@acme.com, name:dave",
        ),
        (
            "sync tomorrow 3pm with ana@acme.com, dave, and carol",
            "title=Sync; invitees=ana@acme.com, name:dave, name:carol",
        ),
        (
            "lunch with dave and ana@acme.com friday noon",
            "title=Lunch with dave; invitees=ana@acme.com, name:dave",
        ),
        (
            "sync tomorrow 3pm with Bob and dave",
            "invitees=P-BOB, name:dave",
        ),
        // Named twice, once.
        (
            "lunch with dave friday noon invite Dave",
            "invitees=name:dave",
        ),
        // Not names: descriptions, keywords, numbers, addresses; a list that goes on in prose.
        (
            "lunch with the team tomorrow noon",
            "title=Lunch with the team; invitees=",
        ),
        ("lunch with my manager friday noon", "invitees="),
        ("lunch with everyone friday noon", "invitees=everyone"),
        ("lunch with 3 people friday noon", "invitees="),
        (
            "sync with ana@acme.com, design review tomorrow 3pm",
            "title=Sync design review; invitees=ana@acme.com",
        ),
        ("design review tomorrow 3pm", "invitees="),
        ("deal with it tomorrow 3pm", "invitees="),
        // A co-host list takes no bare names: it asks for an address or a mention.
        (
            "sync tomorrow 3pm cohost dave",
            "error=Who should co-host?; word=4",
        ),
        // Names are read where the quoted title leaves words, too.
        (
            "\"Lunch\" friday noon with dave",
            "title=Lunch; invitees=name:dave",
        ),
        // Reschedule takes no people, named or not.
        (
            "reschedule 2 to friday with dave",
            "error=I couldn't read \"with\"",
        ),
    ]);
}
