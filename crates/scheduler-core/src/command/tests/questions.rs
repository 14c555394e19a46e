//! Messages that are no command but get a straight answer: questions about the calendar (which
//! point to the matching `list`), requests the bot cannot do, and thanks. None of their words
//! ever becomes a meeting. Now is Wednesday 24 March 2027, 10:00 in Berlin.

use super::{BERLIN, table, table_at};

#[test]
fn questions_point_to_the_list_of_their_range() {
    table(&[
        ("what's on tomorrow", "command=question; range=tomorrow"),
        ("What’s on today?", "command=question; range=today"),
        ("whats on", "command=question; range=next 7 days"),
        (
            "what is on my calendar this week",
            "command=question; range=this week",
        ),
        ("what do I have today", "command=question; range=today"),
        (
            "what have I got tomorrow?",
            "command=question; range=tomorrow",
        ),
        (
            "what meetings do I have next week",
            "command=question; range=next week",
        ),
        (
            "what's my schedule tomorrow",
            "command=question; range=tomorrow",
        ),
        ("what's next", "command=question; range=next 7 days"),
        // Friday is in this week; next Monday (29 March) in the next.
        ("am I free friday", "command=question; range=this week"),
        ("am i busy on monday?", "command=question; range=next week"),
        ("am I free march 29", "command=question; range=next week"),
        (
            "am I free tomorrow at 3pm",
            "command=question; range=tomorrow",
        ),
        ("am I free at 3pm", "command=question; range=today"),
        (
            "am I available this afternoon",
            "command=question; range=today",
        ),
        (
            "do I have meetings next week",
            "command=question; range=next week",
        ),
        (
            "do I have anything this week?",
            "command=question; range=this week",
        ),
        (
            "do i have a meeting tomorrow",
            "command=question; range=tomorrow",
        ),
        ("any meetings today?", "command=question; range=today"),
        ("anything on tomorrow", "command=question; range=tomorrow"),
        (
            "is there anything on friday",
            "command=question; range=this week",
        ),
        (
            "when is my next meeting",
            "command=question; range=next 7 days",
        ),
        (
            "who am I meeting tomorrow",
            "command=question; range=tomorrow",
        ),
        (
            "how many meetings do I have today",
            "command=question; range=today",
        ),
        (
            "show my meetings tomorrow",
            "command=question; range=tomorrow",
        ),
        ("show me my calendar", "command=question; range=next 7 days"),
        ("my meetings today", "command=question; range=today"),
        (
            "can you tell me what's on tomorrow",
            "command=question; range=tomorrow",
        ),
        (
            "hey, what's on this weekend?",
            "command=question; range=this week",
        ),
        // Further than `list` goes, or past: no range.
        ("what's on in 2 months", "command=question; range=null"),
        ("am I free april 30", "command=question; range=null"),
        ("what did I have yesterday", "command=question; range=null"),
        // A mistake in it is still refused by name.
        (
            "what's on at 25:00",
            "error=\"25:00\" (at word 4) isn't a time of day",
        ),
    ]);
}

#[test]
fn a_question_counts_days_where_the_person_is() {
    // Sunday 28 March 2027, 23:30 in Berlin: tomorrow is Monday, in the next week.
    table_at(
        "2027-03-28T21:30:00Z",
        BERLIN,
        &[
            ("what's on tomorrow", "range=tomorrow"),
            ("am I free tuesday", "range=next week"),
            ("am I free sunday", "range=today"),
        ],
    );
}

#[test]
fn requests_the_bot_cannot_do_are_named() {
    table(&[
        (
            "remind me 10 minutes before",
            "command=unsupported; request=reminder",
        ),
        (
            "Remind me about the standup tomorrow 9am",
            "request=reminder",
        ),
        ("set a reminder for friday 3pm", "request=reminder"),
        ("please notify me before meetings", "request=reminder"),
        ("can you ping me at 3pm", "request=reminder"),
        (
            "find a time with ana@acme.com next week",
            "request=find a time",
        ),
        ("help me find a slot for 30 minutes", "request=find a time"),
        ("when is everyone free next week?", "request=find a time"),
        ("when are we all available", "request=find a time"),
        ("is bob free tomorrow at 3pm", "request=find a time"),
        (
            "book a room for tomorrow 3pm",
            "command=unsupported; request=room",
        ),
        ("reserve the big conference room friday", "request=room"),
        ("find a meeting room", "request=room"),
        ("book room 4 for friday 3pm", "request=room"),
        ("accept the invitation", "request=respond"),
        ("decline meeting 2", "request=respond"),
        ("join my next meeting", "request=join"),
        ("start the meeting now", "request=join"),
        ("record the call", "request=join"),
    ]);
}

#[test]
fn thanks_is_thanks() {
    table(&[
        ("thanks", "command=thanks"),
        ("Thank you!", "command=thanks"),
        ("thank u", "command=thanks"),
        ("ty", "command=thanks"),
        ("thx 🙏", "command=thanks"),
        ("cheers", "command=thanks"),
        ("many thanks", "command=thanks"),
        ("ok great, thanks for the help", "command=thanks"),
        ("Thanks a lot Scheduler", "command=thanks"),
        ("thank you very much!", "command=thanks"),
    ]);
}

/// The same words elsewhere are what they were: meetings, commands, or no command.
#[test]
fn look_alikes_are_what_they_were() {
    table(&[
        (
            "book standup tomorrow 9:30 for 15m",
            "command=schedule; title=Standup",
        ),
        ("create sync tomorrow 3pm", "command=schedule; title=Sync"),
        (
            "book boardroom review friday 3pm",
            "command=schedule; title=Boardroom review",
        ),
        (
            "Start of quarter review friday 3pm",
            "command=schedule; title=Start of quarter review",
        ),
        (
            "what if workshop friday 3pm",
            "command=schedule; title=What if workshop",
        ),
        (
            "Show and tell friday 3pm",
            "command=schedule; title=Show and tell",
        ),
        (
            "Thanksgiving dinner thursday 6pm",
            "command=schedule; title=Thanksgiving dinner",
        ),
        ("cheers friday 5pm", "command=schedule; title=Cheers"),
        ("my 1:1 with ana@acme.com friday 10am", "command=schedule"),
        ("set up a sync tomorrow 3pm", "command=schedule"),
        ("help me", "command=help"),
        ("help", "command=help"),
        ("hi", "command=none"),
        ("hello @everyone, ana@acme.com", "command=none"),
        ("how do I invite people?", "command=none"),
        ("list tomorrow", "command=list; range=tomorrow"),
        ("agenda tomorrow", "command=list; range=tomorrow"),
    ]);
}
