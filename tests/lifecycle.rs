//! The order lifecycle (`servicemarket::apply`) as a table of (state, event) → (state, effect,
//! next action), plus sweeps over every status × every event kind for the rules that hold
//! everywhere (duplicates, staleness, terminal statuses, the transition table), and the three
//! deadlines one second before and after.

#![cfg(test)]

use std::collections::BTreeMap;

use alipay_notify::servicemarket::{
    apply, replay, transition, Effect, Event, OrderState, Outcome, ORDER_STATUSES, TRANSITIONS,
};

const DAY: i64 = 86_400_000;
/// 2024-06-01 12:00:00 Beijing time, epoch ms.
const T0: i64 = 1_717_214_400_000;

/// A state in `status`, set at `T0`, optionally authorised.
fn state(status: Option<&str>, authorized: bool) -> OrderState {
    OrderState {
        status: status.map(str::to_owned),
        status_at_ms: status.map(|_| T0),
        ordered_at_ms: status.map(|_| T0),
        authorized,
        ..OrderState::default()
    }
}

fn changed(id: &str, at_ms: i64, status: &str) -> Event {
    Event::StatusChanged {
        id: id.into(),
        at_ms,
        status: status.into(),
    }
}

/// One of each event kind, at `at_ms`.
fn every_kind(at_ms: i64) -> Vec<Event> {
    let id = |k: &str| format!("{k}@{at_ms}");
    vec![
        Event::OrderNotified {
            id: id("order"),
            at_ms,
            order_time_ms: Some(at_ms),
        },
        changed(&id("change"), at_ms, "MERCHANT_CANCELLED"),
        Event::RenewalNotified {
            id: id("renew"),
            at_ms,
        },
        Event::AuthorizationNotified {
            id: id("auth"),
            at_ms,
            granted: true,
        },
        Event::Accepted {
            id: id("accept"),
            at_ms,
        },
        Event::Rejected {
            id: id("reject"),
            at_ms,
        },
        Event::ItemCompleted {
            id: id("complete"),
            at_ms,
            item: "shop-1".into(),
        },
        Event::ItemCancelled {
            id: id("cancel"),
            at_ms,
            item: "shop-1".into(),
        },
        Event::ItemConfirmed {
            id: id("confirm"),
            at_ms,
            item: "shop-1".into(),
        },
        Event::Queried {
            id: id("query"),
            at_ms,
            status: Some("DONE".into()),
            items: BTreeMap::from([("shop-1".into(), "DONE".into())]),
        },
    ]
}

fn status(o: &Outcome) -> Option<&str> {
    o.state.status.as_deref()
}

/// (status in force, authorised, event, status after, effect, next action).
type Row = (
    Option<&'static str>,
    bool,
    Event,
    Option<&'static str>,
    Effect,
    &'static str,
);

#[test]
fn the_table() {
    let t1 = T0 + 60_000;
    let now = t1;
    let impossible = |from: &str, to: &str| Effect::Impossible {
        from: Some(from.into()),
        to: to.into(),
    };
    let rows: Vec<Row> = vec![
        // 订购通知 → accept or reject (documented).
        (
            None,
            false,
            Event::OrderNotified {
                id: "n1".into(),
                at_ms: t1,
                order_time_ms: Some(T0),
            },
            Some("MERCHANT_ORDED"),
            Effect::Applied,
            "ACCEPT_OR_REJECT",
        ),
        (
            Some("MERCHANT_ORDED"),
            false,
            Event::Accepted {
                id: "a".into(),
                at_ms: t1,
            },
            Some("ISV_ACCEPTED"),
            Effect::Applied,
            "WAIT_FOR_AUTHORIZATION",
        ),
        (
            Some("MERCHANT_ORDED"),
            true,
            Event::Accepted {
                id: "a".into(),
                at_ms: t1,
            },
            Some("ISV_ACCEPTED"),
            Effect::Applied,
            "IMPLEMENT",
        ),
        (
            Some("MERCHANT_ORDED"),
            false,
            Event::Rejected {
                id: "r".into(),
                at_ms: t1,
            },
            Some("ISV_REJECTED"),
            Effect::Applied,
            "NOTHING",
        ),
        (
            Some("ISV_ACCEPTED"),
            false,
            Event::AuthorizationNotified {
                id: "au".into(),
                at_ms: t1,
                granted: true,
            },
            Some("ISV_ACCEPTED"),
            Effect::Applied,
            "IMPLEMENT",
        ),
        // Authorization withdrawn while implementing: a cancel may follow.
        (
            Some("ISV_ACCEPTED"),
            true,
            Event::AuthorizationNotified {
                id: "au".into(),
                at_ms: t1,
                granted: false,
            },
            Some("ISV_ACCEPTED"),
            Effect::Applied,
            "QUERY_ORDER",
        ),
        (
            Some("ISV_ACCEPTED"),
            true,
            Event::ItemCompleted {
                id: "c".into(),
                at_ms: t1,
                item: "s".into(),
            },
            Some("ISV_ACCEPTED"),
            Effect::Applied,
            "IMPLEMENT",
        ),
        (
            Some("ISV_ACCEPTED"),
            true,
            changed("ch", t1, "MERCHANT_CHECKING"),
            Some("MERCHANT_CHECKING"),
            Effect::Applied,
            "WAIT_FOR_MERCHANT_CONFIRMATION",
        ),
        // The merchant refunds during implementation: stop the service (documented).
        (
            Some("ISV_ACCEPTED"),
            true,
            changed("ch", t1, "MERCHANT_CANCELLED"),
            Some("MERCHANT_CANCELLED"),
            Effect::Applied,
            "STOP_SERVICE",
        ),
        (
            Some("ISV_ACCEPTED"),
            true,
            Event::ItemCancelled {
                id: "ic".into(),
                at_ms: t1,
                item: "s".into(),
            },
            Some("ISV_ACCEPTED"),
            Effect::Applied,
            "IMPLEMENT",
        ),
        (
            Some("MERCHANT_CHECKING"),
            true,
            changed("ch", t1, "DONE"),
            Some("DONE"),
            Effect::Applied,
            "SERVE",
        ),
        (
            Some("MERCHANT_CHECKING"),
            true,
            changed("ch", t1, "MERCHANT_CANCELLED"),
            Some("MERCHANT_CANCELLED"),
            Effect::Applied,
            "STOP_SERVICE",
        ),
        (
            Some("MERCHANT_CHECKING"),
            true,
            Event::ItemConfirmed {
                id: "cf".into(),
                at_ms: t1,
                item: "s".into(),
            },
            Some("MERCHANT_CHECKING"),
            Effect::Applied,
            "WAIT_FOR_MERCHANT_CONFIRMATION",
        ),
        (
            Some("CONFIRMED"),
            true,
            changed("ch", t1, "DONE"),
            Some("DONE"),
            Effect::Applied,
            "SERVE",
        ),
        (
            Some("WAIT_FOR_PAYMENT"),
            false,
            changed("ch", t1, "MERCHANT_ORDED"),
            Some("MERCHANT_ORDED"),
            Effect::Applied,
            "ACCEPT_OR_REJECT",
        ),
        (
            Some("WAIT_FOR_PAYMENT"),
            false,
            changed("ch", t1, "MERCHANT_CANCELLED"),
            Some("MERCHANT_CANCELLED"),
            Effect::Applied,
            "STOP_SERVICE",
        ),
        (
            Some("WAIT_FOR_SUBMIT_CONFIRM"),
            false,
            changed("ch", t1, "WAIT_FOR_PAYMENT"),
            Some("WAIT_FOR_PAYMENT"),
            Effect::Applied,
            "WAIT_FOR_PAYMENT",
        ),
        // Impossible: reported, not applied, and the order should be queried.
        (
            Some("MERCHANT_ORDED"),
            false,
            changed("ch", t1, "MERCHANT_CHECKING"),
            Some("MERCHANT_ORDED"),
            impossible("MERCHANT_ORDED", "MERCHANT_CHECKING"),
            "QUERY_ORDER",
        ),
        (
            Some("ISV_ACCEPTED"),
            false,
            changed("ch", t1, "NOT_A_STATUS"),
            Some("ISV_ACCEPTED"),
            impossible("ISV_ACCEPTED", "NOT_A_STATUS"),
            "QUERY_ORDER",
        ),
        // Terminal statuses are sticky, and need no query.
        (
            Some("DONE"),
            true,
            changed("ch", t1, "ISV_ACCEPTED"),
            Some("DONE"),
            impossible("DONE", "ISV_ACCEPTED"),
            "SERVE",
        ),
        (
            Some("MERCHANT_CANCELLED"),
            true,
            Event::Accepted {
                id: "a".into(),
                at_ms: t1,
            },
            Some("MERCHANT_CANCELLED"),
            impossible("MERCHANT_CANCELLED", "ISV_ACCEPTED"),
            "STOP_SERVICE",
        ),
        (
            Some("ISV_REJECTED"),
            false,
            Event::OrderNotified {
                id: "n".into(),
                at_ms: t1,
                order_time_ms: None,
            },
            Some("ISV_REJECTED"),
            impossible("ISV_REJECTED", "MERCHANT_ORDED"),
            "NOTHING",
        ),
        // Older than the status in force: kept (stale), and the order should be queried.
        (
            Some("ISV_ACCEPTED"),
            true,
            changed("old", T0 - 1, "MERCHANT_ORDED"),
            Some("ISV_ACCEPTED"),
            Effect::Stale,
            "QUERY_ORDER",
        ),
        // A renewal changes nothing of the order.
        (
            Some("ISV_ACCEPTED"),
            true,
            Event::RenewalNotified {
                id: "rn".into(),
                at_ms: t1,
            },
            Some("ISV_ACCEPTED"),
            Effect::Unchanged,
            "IMPLEMENT",
        ),
        // A query answer is authoritative, even where no notification was seen in between.
        (
            Some("MERCHANT_ORDED"),
            false,
            Event::Queried {
                id: "q".into(),
                at_ms: t1,
                status: Some("MERCHANT_CHECKING".into()),
                items: BTreeMap::new(),
            },
            Some("MERCHANT_CHECKING"),
            Effect::Applied,
            "WAIT_FOR_MERCHANT_CONFIRMATION",
        ),
        (
            Some("ISV_ACCEPTED"),
            true,
            Event::Queried {
                id: "q".into(),
                at_ms: t1,
                status: Some("MERCHANT_CANCELLED".into()),
                items: BTreeMap::new(),
            },
            Some("MERCHANT_CANCELLED"),
            Effect::Applied,
            "STOP_SERVICE",
        ),
        (
            None,
            false,
            changed("ch", t1, "ISV_ACCEPTED"),
            Some("ISV_ACCEPTED"),
            Effect::Applied,
            "WAIT_FOR_AUTHORIZATION",
        ),
        (
            None,
            false,
            Event::RenewalNotified {
                id: "rn".into(),
                at_ms: t1,
            },
            None,
            Effect::Unchanged,
            "QUERY_ORDER",
        ),
    ];
    for (i, (from, auth, event, to, effect, action)) in rows.iter().enumerate() {
        let o = apply(&state(*from, *auth), event, now);
        assert_eq!(status(&o), *to, "row {i}: {from:?} + {event:?}");
        assert_eq!(&o.effect, effect, "row {i}: {from:?} + {event:?}");
        assert_eq!(o.next.id, *action, "row {i}: {from:?} + {event:?}");
    }
    // Items as the calls and the query report them.
    let o = apply(
        &state(Some("ISV_ACCEPTED"), true),
        &Event::ItemCompleted {
            id: "c".into(),
            at_ms: t1,
            item: "s".into(),
        },
        now,
    );
    assert_eq!(
        o.state.items.get("s").map(String::as_str),
        Some("TO_CONFIRM")
    );
    let q = Event::Queried {
        id: "q".into(),
        at_ms: t1,
        status: None,
        items: BTreeMap::from([("s".into(), "DOING".into())]),
    };
    assert_eq!(
        apply(&o.state, &q, now)
            .state
            .items
            .get("s")
            .map(String::as_str),
        Some("DOING")
    );
}

#[test]
fn every_status_by_every_event_kind_follows_the_rules() {
    let mut checked = 0;
    for s in ORDER_STATUSES {
        for authorized in [false, true] {
            let before = state(Some(s.code), authorized);
            for event in every_kind(T0 + 1000) {
                let o = apply(&before, &event, T0 + 1000);
                // A terminal status never changes.
                if s.terminal {
                    assert_eq!(status(&o), Some(s.code), "{} + {event:?}", s.code);
                }
                // Every change of status is in the table (or a query answer).
                if status(&o) != Some(s.code) {
                    assert!(
                        matches!(event, Event::Queried { .. })
                            || transition(Some(s.code), status(&o).unwrap()).is_some(),
                        "{} → {:?} by {event:?} is not in TRANSITIONS",
                        s.code,
                        status(&o)
                    );
                }
                // The same event again is a no-op.
                let again = apply(&o.state, &event, T0 + 1000);
                assert_eq!(again.effect, Effect::Duplicate);
                assert_eq!(again.state, o.state);
                // The same event, older than the status in force, never moves it.
                let mut old = event.clone();
                set_time(&mut old, T0 - 1);
                let stale = apply(&before, &old, T0 + 1000);
                assert_eq!(status(&stale), Some(s.code), "{} + old {old:?}", s.code);
                checked += 1;
            }
        }
    }
    assert_eq!(checked, ORDER_STATUSES.len() * 2 * 10);
    // The table names only known statuses.
    for t in TRANSITIONS {
        for code in t.from.into_iter().chain([t.to]) {
            assert!(ORDER_STATUSES.iter().any(|s| s.code == code), "{code}");
        }
    }
}

fn set_time(e: &mut Event, t: i64) {
    match e {
        Event::OrderNotified { at_ms, .. }
        | Event::StatusChanged { at_ms, .. }
        | Event::RenewalNotified { at_ms, .. }
        | Event::AuthorizationNotified { at_ms, .. }
        | Event::Accepted { at_ms, .. }
        | Event::Rejected { at_ms, .. }
        | Event::ItemCompleted { at_ms, .. }
        | Event::ItemCancelled { at_ms, .. }
        | Event::ItemConfirmed { at_ms, .. }
        | Event::Queried { at_ms, .. } => *at_ms = t,
    }
}

#[test]
fn out_of_order_notifications_end_in_the_newest_state() {
    let events = [
        Event::OrderNotified {
            id: "n".into(),
            at_ms: T0,
            order_time_ms: Some(T0),
        },
        Event::Accepted {
            id: "a".into(),
            at_ms: T0 + 1000,
        },
        changed("c1", T0 + 2000, "ISV_ACCEPTED"),
        changed("c2", T0 + 3 * DAY, "MERCHANT_CHECKING"),
        changed("c3", T0 + 5 * DAY, "DONE"),
    ];
    let now = T0 + 6 * DAY;
    let in_order = replay(&events, now);
    assert_eq!(status(&in_order), Some("DONE"));
    // Reversed, shuffled, every event twice: the same end state.
    let reversed: Vec<Event> = events.iter().rev().cloned().collect();
    assert_eq!(status(&replay(&reversed, now)), Some("DONE"));
    let twice: Vec<Event> = events.iter().chain(events.iter()).cloned().collect();
    let o = replay(&twice, now);
    assert_eq!(status(&o), Some("DONE"));
    assert_eq!(o.effect, Effect::Duplicate);
    let shuffled = [&events[3], &events[0], &events[4], &events[2], &events[1]];
    assert_eq!(status(&replay(shuffled, now)), Some("DONE"));
}

#[test]
fn the_three_deadlines_one_second_either_side() {
    const S: i64 = 1000;
    // (status, days, action before, from which time the rule counts)
    for (code, days, before_action) in [
        ("WAIT_FOR_PAYMENT", 3, "WAIT_FOR_PAYMENT"),
        ("ISV_ACCEPTED", 30, "IMPLEMENT"),
        ("MERCHANT_CHECKING", 7, "WAIT_FOR_MERCHANT_CONFIRMATION"),
    ] {
        let s = state(Some(code), true);
        let renew = |t: i64| Event::RenewalNotified {
            id: format!("tick{t}"),
            at_ms: t,
        };
        let end = T0 + days * DAY;
        let before = apply(&s, &renew(end - S), end - S);
        assert!(!before.deadline_passed, "{code}");
        assert_eq!(before.next.id, before_action, "{code}");
        let d = before.deadline.as_ref().unwrap();
        assert_eq!(d.at_ms, end, "{code}");
        assert_eq!(d.rule.days as i64, days);
        let at = apply(&s, &renew(end), end);
        assert!(!at.deadline_passed, "{code}: at the deadline itself");
        let after = apply(&s, &renew(end + S), end + S);
        assert!(after.deadline_passed, "{code}");
        assert_eq!(
            after.next.id, "QUERY_ORDER",
            "{code}: Alipay cancels or completes on its own"
        );
    }
    // Statuses without a rule have no deadline.
    let o = apply(
        &state(Some("MERCHANT_ORDED"), false),
        &Event::RenewalNotified {
            id: "x".into(),
            at_ms: T0,
        },
        T0 + 365 * DAY,
    );
    assert!(o.deadline.is_none() && !o.deadline_passed);
}

#[test]
fn the_state_round_trips_through_json() {
    let o = replay(
        &[
            Event::OrderNotified {
                id: "n".into(),
                at_ms: T0,
                order_time_ms: Some(T0),
            },
            Event::ItemCompleted {
                id: "c".into(),
                at_ms: T0 + 1,
                item: "shop".into(),
            },
        ],
        T0,
    );
    let json = serde_json::to_string(&o.state).unwrap();
    let back = OrderState::from_json(&serde_json::from_str(&json).unwrap()).unwrap();
    assert_eq!(back, o.state);
    let event: Event = Event::from_json(
        &serde_json::from_str(r#"{"type":"statusChanged","id":"x","atMs":5,"status":"DONE"}"#)
            .unwrap(),
    )
    .unwrap();
    assert_eq!(event, changed("x", 5, "DONE"));
    // Every kind reads back as written; malformed events are refused with a reason.
    for e in every_kind(T0) {
        let v = serde_json::to_value(&e).unwrap();
        assert_eq!(Event::from_json(&v).unwrap(), e);
    }
    for bad in [
        r#"{"type":"nope","id":"x","atMs":1}"#,
        r#"{"type":"accepted","id":"x"}"#,
        r#"{"type":"accepted","id":1,"atMs":1}"#,
        r#"{"type":"accepted","id":"x","atMs":1.5}"#,
        r#"{"type":"itemCompleted","id":"x","atMs":1}"#,
        r#"[]"#,
    ] {
        assert!(
            Event::from_json(&serde_json::from_str(bad).unwrap()).is_err(),
            "{bad}"
        );
    }
    assert!(OrderState::from_json(&serde_json::json!({"status": 5})).is_err());
    assert_eq!(
        OrderState::from_json(&serde_json::json!({})).unwrap(),
        OrderState::default()
    );
    assert!(serde_json::to_string(&o)
        .unwrap()
        .contains(r#""next":{"id":"ACCEPT_OR_REJECT""#));
}

/// Every verified notification of the four kinds becomes an event for its order.
#[test]
fn verified_notifications_become_events() {
    use alipay_notify::notify::lifecycle_event;
    use alipay_notify::{parse, verify, Fields, PublicKey, VerifyOptions};
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/vectors/notifications/vectors.json");
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut kinds = std::collections::BTreeSet::new();
    for v in doc["vectors"].as_array().unwrap() {
        let (Ok(key), Ok(options)) = (
            PublicKey::parse(v["key"].as_str().unwrap()),
            VerifyOptions::from_json(&v["options"].to_string()),
        ) else {
            continue;
        };
        let Some(body) = v["body"].as_str().map(str::as_bytes) else {
            continue;
        };
        let Ok(n) = verify(body, &key, &options) else {
            continue;
        };
        // Unverified input is never an event.
        assert!(lifecycle_event(&parse(body, &options).unwrap()).is_none());
        assert_eq!(n.order_event, lifecycle_event(&n));
        let Some(alipay_notify::notify::OrderEvent {
            order_id: order,
            event,
        }) = lifecycle_event(&n)
        else {
            assert!(matches!(n.fields, Fields::Generic), "{}", v["id"]);
            continue;
        };
        match (&n.fields, &event) {
            (Fields::OrderNotify(f), Event::OrderNotified { .. }) => {
                assert_eq!(order, f.commodity_order_id)
            }
            (Fields::OrderChange(f), Event::StatusChanged { status, .. }) => {
                assert_eq!(order, f.order_no);
                assert_eq!(Some(status), f.status.as_ref());
            }
            (Fields::OrderRenew(_), Event::RenewalNotified { .. })
            | (Fields::AppAuth(_), Event::AuthorizationNotified { .. }) => assert_eq!(order, None),
            other => panic!("{}: {other:?}", v["id"]),
        }
        assert_eq!(
            Some(event.id()),
            n.notify_id.as_deref().or(n.fingerprint.as_deref())
        );
        kinds.insert(n.kind.as_str());
    }
    assert_eq!(kinds.len(), 4, "{kinds:?}");
}

/// The newest authorization decides: a late redelivery of an older withdrawal (or grant) is
/// stale and leaves the order's authorization as the newer one set it.
#[test]
fn an_older_authorization_never_overrides_a_newer_one() {
    let auth = |id: &str, at_ms: i64, granted: bool| Event::AuthorizationNotified {
        id: id.into(),
        at_ms,
        granted,
    };
    let s = state(Some("ISV_ACCEPTED"), false);
    let granted = apply(&s, &auth("grant", T0 + 2_000, true), T0 + 3_000);
    assert_eq!(granted.effect, Effect::Applied);
    assert!(granted.state.authorized);
    assert_eq!(granted.state.authorized_at_ms, Some(T0 + 2_000));
    assert_eq!(granted.next.id, "IMPLEMENT");

    let late = apply(
        &granted.state,
        &auth("old-withdrawal", T0 + 1_000, false),
        T0 + 3_000,
    );
    assert_eq!(late.effect, Effect::Stale);
    assert!(
        late.state.authorized,
        "an older withdrawal rolled the grant back"
    );

    let withdrawn = apply(
        &granted.state,
        &auth("withdrawal", T0 + 5_000, false),
        T0 + 6_000,
    );
    assert_eq!(withdrawn.effect, Effect::Applied);
    assert!(!withdrawn.state.authorized);
    assert_eq!(withdrawn.next.id, "QUERY_ORDER");
    let regrant = apply(
        &withdrawn.state,
        &auth("grant", T0 + 2_000, true),
        T0 + 6_000,
    );
    assert_eq!(
        regrant.effect,
        Effect::Duplicate,
        "the same event id again is a duplicate"
    );
}
