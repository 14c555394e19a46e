//! Repeating meetings: every way to say one, how series end, and the refusals.
//! Now is Wednesday 24 March 2027, 10:00 in Berlin.

use super::table;

#[test]
fn weekly_forms() {
    table(&[
        (
            "sync every mon, wed and fri 9am",
            "start=2027-03-26T09:00:00+01:00; recurrence=FREQ=WEEKLY;BYDAY=MO,WE,FR",
        ),
        (
            "sync every tue/thu 10am",
            "start=2027-03-25T10:00:00+01:00; recurrence=FREQ=WEEKLY;BYDAY=TU,TH",
        ),
        (
            "sync tuesdays and thursdays 10am",
            "recurrence=FREQ=WEEKLY;BYDAY=TU,TH",
        ),
        (
            "chores every weekend 10am",
            "start=2027-03-27T10:00:00+01:00; recurrence=FREQ=WEEKLY;BYDAY=SA,SU",
        ),
        ("chores weekends 10am", "recurrence=FREQ=WEEKLY;BYDAY=SA,SU"),
        (
            "weekend planning tomorrow 10am",
            "title=Weekend planning; recurrence=null",
        ),
        (
            "sync every two weeks 3pm",
            "recurrence=FREQ=WEEKLY;INTERVAL=2;BYDAY=WE",
        ),
        (
            "sync every 3 weeks on monday 3pm",
            "start=2027-03-29T15:00:00+02:00; recurrence=FREQ=WEEKLY;INTERVAL=3;BYDAY=MO",
        ),
        (
            "sync every week on monday and friday 3pm",
            "start=2027-03-26T15:00:00+01:00; recurrence=FREQ=WEEKLY;BYDAY=MO,FR",
        ),
        (
            "sync weekly on tuesday 3pm",
            "start=2027-03-30T15:00:00+02:00; recurrence=FREQ=WEEKLY;BYDAY=TU",
        ),
        (
            "sync biweekly on thursdays 3pm",
            "start=2027-03-25T15:00:00+01:00; recurrence=FREQ=WEEKLY;INTERVAL=2;BYDAY=TH",
        ),
        (
            "sync bi-weekly 3pm",
            "recurrence=FREQ=WEEKLY;INTERVAL=2;BYDAY=WE",
        ),
        (
            "sync every other tue and thu 3pm",
            "recurrence=FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH",
        ),
        ("sync each monday 3pm", "recurrence=FREQ=WEEKLY;BYDAY=MO"),
        (
            "sync every monday march 29 3pm",
            "start=2027-03-29T15:00:00+02:00; recurrence=FREQ=WEEKLY;BYDAY=MO",
        ),
        (
            "sync every monday march 30 3pm",
            "error=isn't one of the series' days; word=4",
        ),
        (
            "sync weekly friday 3pm",
            "start=2027-03-26T15:00:00+01:00; recurrence=FREQ=WEEKLY;BYDAY=FR",
        ),
        (
            "sync every weekday 9am from monday",
            "start=2027-03-29T09:00:00+02:00; title=Sync",
        ),
        (
            "sync every weekday 9am starting april 5",
            "start=2027-04-05T09:00:00+02:00",
        ),
    ]);
}

#[test]
fn ranges_of_days_and_two_ways_of_saying_one_repeat() {
    table(&[
        (
            "standup mon-fri 9am",
            "title=Standup; start=2027-03-25T09:00:00+01:00; recurrence=FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
        ),
        (
            "standup monday to friday 9:30",
            "recurrence=FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
        ),
        (
            "standup every mon-fri 9am",
            "recurrence=FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
        ),
        (
            "standup mon\u{2013}wed 9am",
            "recurrence=FREQ=WEEKLY;BYDAY=MO,TU,WE",
        ),
        (
            "late shift fri-mon 9pm",
            "start=2027-03-26T21:00:00+01:00; recurrence=FREQ=WEEKLY;BYDAY=MO,FR,SA,SU",
        ),
        (
            "weekly sync every tuesday 10am",
            "title=Sync; start=2027-03-30T10:00:00+02:00; recurrence=FREQ=WEEKLY;BYDAY=TU",
        ),
        (
            "sync biweekly every tuesday 3pm",
            "recurrence=FREQ=WEEKLY;INTERVAL=2;BYDAY=TU",
        ),
        (
            "monthly review every month on the 15th 3pm",
            "title=Review; recurrence=FREQ=MONTHLY;BYMONTHDAY=15",
        ),
        (
            "sync every monday mondays 3pm",
            "recurrence=FREQ=WEEKLY;BYDAY=MO",
        ),
        (
            "sync weekly monthly 3pm",
            "error=I found two repeats; word=3",
        ),
        (
            "sync every other week every 3 weeks 3pm",
            "error=I found two repeats",
        ),
    ]);
}

#[test]
fn where_a_series_starts() {
    table(&[
        (
            "weekly sync every tuesday 10am starting next week",
            "start=2027-03-30T10:00:00+02:00",
        ),
        (
            "sync every thursday 10am next week",
            "start=2027-04-01T10:00:00+02:00",
        ),
        (
            "sync every tuesday 10am starting april 5",
            "start=2027-04-06T10:00:00+02:00",
        ),
        (
            "sync every tuesday 10am from april 6",
            "start=2027-04-06T10:00:00+02:00",
        ),
        (
            "sync every tuesday 10am beginning may",
            "title=Sync beginning may",
        ),
        (
            "sync every tuesday 10am april 5",
            "error=isn't one of the series' days",
        ),
        (
            "board meeting first monday of every month at 9am until december",
            "title=Board meeting; recurrence=FREQ=MONTHLY;BYDAY=1MO;UNTIL=20271231T225959Z",
        ),
        (
            "sync weekly 3pm until february",
            "recurrence=FREQ=WEEKLY;BYDAY=WE;UNTIL=20280229T225959Z",
        ),
        (
            "sync weekly 3pm until june 2028",
            "recurrence=FREQ=WEEKLY;BYDAY=WE;UNTIL=20280630T215959Z",
        ),
    ]);
}

#[test]
fn monthly_and_yearly_forms() {
    table(&[
        (
            "sync every month on the last friday 3pm",
            "start=2027-03-26T15:00:00+01:00; recurrence=FREQ=MONTHLY;BYDAY=-1FR",
        ),
        (
            "sync every 2 months on the first monday 3pm",
            "start=2027-04-05T15:00:00+02:00; recurrence=FREQ=MONTHLY;INTERVAL=2;BYDAY=1MO",
        ),
        (
            "sync the first monday of every other month 3pm",
            "recurrence=FREQ=MONTHLY;INTERVAL=2;BYDAY=1MO",
        ),
        (
            "sync first monday of every 3 months 3pm",
            "recurrence=FREQ=MONTHLY;INTERVAL=3;BYDAY=1MO",
        ),
        (
            "sync every 1st monday 3pm",
            "recurrence=FREQ=MONTHLY;BYDAY=1MO",
        ),
        (
            "sync last friday of the month 3pm",
            "recurrence=FREQ=MONTHLY;BYDAY=-1FR",
        ),
        (
            "sync every 15th 3pm",
            "start=2027-04-15T15:00:00+02:00; recurrence=FREQ=MONTHLY;BYMONTHDAY=15",
        ),
        (
            "sync on the 15th of every month 3pm",
            "recurrence=FREQ=MONTHLY;BYMONTHDAY=15",
        ),
        (
            "sync the 15th of each month 3pm",
            "recurrence=FREQ=MONTHLY;BYMONTHDAY=15",
        ),
        (
            "sync the 15th of the month 3pm",
            "start=2027-04-15T15:00:00+02:00; recurrence=null",
        ),
        (
            "sync monthly on the first monday 3pm",
            "recurrence=FREQ=MONTHLY;BYDAY=1MO",
        ),
        (
            "sync monthly on the 15th april 15 3pm",
            "start=2027-04-15T15:00:00+02:00",
        ),
        (
            "sync every first monday april 5 3pm",
            "start=2027-04-05T15:00:00+02:00",
        ),
        (
            "sync every first monday april 6 3pm",
            "error=isn't one of the series' days",
        ),
        (
            "sync monthly on the 31st 3pm",
            "start=2027-03-31T15:00:00+02:00; recurrence=FREQ=MONTHLY;BYMONTHDAY=31",
        ),
        (
            "birthday yearly 3pm",
            "start=2027-03-24T15:00:00+01:00; recurrence=FREQ=YEARLY",
        ),
        (
            "birthday every year on march 29 3pm",
            "recurrence=FREQ=YEARLY",
        ),
        ("birthday annually may 2 noon", "recurrence=FREQ=YEARLY"),
    ]);
}

#[test]
fn ends() {
    table(&[
        (
            "sync every day at 9 for 2 weeks",
            "start=2027-03-25T09:00:00+01:00; recurrence=FREQ=DAILY;COUNT=14",
        ),
        (
            "sync every weekday 9am for 2 weeks",
            "recurrence=FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;COUNT=10",
        ),
        (
            "sync every other week 3pm for 8 weeks",
            "recurrence=FREQ=WEEKLY;INTERVAL=2;BYDAY=WE;COUNT=4",
        ),
        (
            "sync every mon and wed 3pm for 4 weeks",
            "recurrence=FREQ=WEEKLY;BYDAY=MO,WE;COUNT=8",
        ),
        (
            "sync monthly 3pm for 1 year",
            "recurrence=FREQ=MONTHLY;BYMONTHDAY=24;COUNT=12",
        ),
        (
            "sync daily 9am until friday",
            "recurrence=FREQ=DAILY;UNTIL=20270326T225959Z",
        ),
        (
            "sync weekly 3pm until the 30th of june",
            "recurrence=FREQ=WEEKLY;BYDAY=WE;UNTIL=20270630T215959Z",
        ),
        (
            "sync weekly 3pm until 2027-06-30",
            "recurrence=FREQ=WEEKLY;BYDAY=WE;UNTIL=20270630T215959Z",
        ),
        (
            "sync weekly 3pm through june 30",
            "recurrence=FREQ=WEEKLY;BYDAY=WE;UNTIL=20270630T215959Z",
        ),
        (
            "sync daily 9am until tomorrow",
            "recurrence=FREQ=DAILY;UNTIL=20270325T225959Z",
        ),
        (
            "sync daily 9am until today",
            "error=before its first meeting",
        ),
        (
            "sync weekly 3pm twice",
            "recurrence=FREQ=WEEKLY;BYDAY=WE;COUNT=2",
        ),
        (
            "sync weekly 3pm three times",
            "recurrence=FREQ=WEEKLY;BYDAY=WE;COUNT=3",
        ),
        (
            "sync weekly 3pm X4",
            "recurrence=FREQ=WEEKLY;BYDAY=WE;COUNT=4",
        ),
        (
            "sync weekly 3pm until march 1",
            "recurrence=FREQ=WEEKLY;BYDAY=WE;UNTIL=20280301T225959Z",
        ),
        (
            "sync weekly 3pm for 10 meetings",
            "recurrence=FREQ=WEEKLY;BYDAY=WE;COUNT=10",
        ),
    ]);
}

#[test]
fn refusals() {
    table(&[
        (
            "sync every 2nd monday 3pm",
            "error=can be read two ways. Type \"every other week on monday\" or \"the second monday of every month\"; word=2",
        ),
        (
            "sync every second tuesday 3pm",
            "error=can be read two ways",
        ),
        (
            "sync every third thursday 3pm",
            "error=\"every 3 weeks on thursday\"",
        ),
        (
            "sync every fifth monday 3pm",
            "error=I couldn't read the repeat \"every fifth monday\"; word=2",
        ),
        (
            "sync every blue moon 3pm",
            "error=I couldn't read the repeat",
        ),
        ("sync every 0 days 3pm", "error=repeats every 1 to 99"),
        ("sync every 100 days 3pm", "error=repeats every 1 to 99"),
        ("sync weekly 3pm 0 times", "error=at least one meeting"),
        (
            "sync 4 times tomorrow 3pm",
            "error=ends a repeating meeting, but nothing says how it repeats; word=2",
        ),
        (
            "sync tomorrow 3pm for 2 weeks",
            "error=A meeting lasts at most 23 hours 59 minutes, so \"for 2 weeks\"",
        ),
        (
            "sync tomorrow 3pm until friday",
            "error=ends a repeating meeting",
        ),
        ("sync daily weekly 3pm", "error=I found two repeats; word=3"),
        (
            "sync every monday",
            "error=I need a time: \"every monday\" (at word 2)",
        ),
        (
            "sync the first and third monday of every month 3pm",
            "error=one day only",
        ),
        (
            "sync monthly on the 1st and the 15th 3pm",
            "error=one day only",
        ),
    ]);
}
