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
            "title=Coffee with Ana; invitees=",
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
