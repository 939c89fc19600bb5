//! Alipay's times: `notify_time` and friends are Beijing time (UTC+8) written
//! `YYYY-MM-DD HH:MM:SS[.ffffff]` with no zone; `utc_timestamp` is epoch milliseconds.

/// Beijing time's offset from UTC, in milliseconds.
const BEIJING_OFFSET_MS: i64 = 8 * 3600 * 1000;
const DAY_MS: i64 = 86_400_000;

/// A parsed Beijing wall-clock time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Civil {
    year: i64,
    month: u32,
    day: u32,
    secs_of_day: i64,
    millis: i64,
}

/// Digits only, as a number; `None` if empty, not all digits, or too large (no overflow).
pub(crate) fn digits(s: &[u8]) -> Option<i64> {
    if s.is_empty() || !s.iter().all(u8::is_ascii_digit) {
        return None;
    }
    s.iter().try_fold(0i64, |acc, d| {
        acc.checked_mul(10)?.checked_add(i64::from(d - b'0'))
    })
}

fn parse_civil(s: &str) -> Option<Civil> {
    let b = s.trim().as_bytes();
    let (date, time) = match b.iter().position(|c| *c == b' ' || *c == b'T') {
        Some(i) => (b.get(..i)?, b.get(i + 1..)?),
        None => (b, &b""[..]),
    };
    let mut d = date.split(|c| *c == b'-');
    // Four-digit years only (`YYYY`), so the day arithmetic below cannot overflow.
    let year = digits(d.next()?)?;
    if year > 9999 {
        return None;
    }
    let month = u32::try_from(digits(d.next()?)?).ok()?;
    let day = u32::try_from(digits(d.next()?)?).ok()?;
    if d.next().is_some()
        || !(1..=12).contains(&month)
        || day < 1
        || day > days_in_month(year, month)
    {
        return None;
    }
    let (hms, frac) = match time.iter().position(|c| *c == b'.') {
        Some(i) => (time.get(..i)?, time.get(i + 1..)?),
        None => (time, &b""[..]),
    };
    let mut secs_of_day = 0;
    if !hms.is_empty() {
        let mut t = hms.split(|c| *c == b':');
        let h = digits(t.next()?)?;
        let m = digits(t.next()?)?;
        let sec = digits(t.next().unwrap_or(b"0"))?;
        if t.next().is_some() || h > 23 || m > 59 || sec > 60 {
            return None;
        }
        secs_of_day = h * 3600 + m * 60 + sec;
    }
    let millis = if frac.is_empty() {
        0
    } else {
        let ms: Vec<u8> = frac.iter().copied().chain(*b"000").take(3).collect();
        if !frac.iter().all(u8::is_ascii_digit) {
            return None;
        }
        digits(&ms)?
    };
    Some(Civil {
        year,
        month,
        day,
        secs_of_day,
        millis,
    })
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// Epoch seconds of a UTC civil time; `None` if any field is out of range.
pub(crate) fn civil_to_epoch_seconds(
    year: i64,
    month: i64,
    day: i64,
    hour: i64,
    minute: i64,
    second: i64,
) -> Option<i64> {
    let m = u32::try_from(month).ok().filter(|m| (1..=12).contains(m))?;
    let d = u32::try_from(day)
        .ok()
        .filter(|d| *d >= 1 && *d <= days_in_month(year, m))?;
    if !(0..=23).contains(&hour) || !(0..=59).contains(&minute) || !(0..=59).contains(&second) {
        return None;
    }
    Some(days_from_civil(year, m, d) * 86_400 + hour * 3600 + minute * 60 + second)
}

/// Epoch milliseconds of a Beijing-time string such as `2020-03-25 16:27:08`.
pub fn beijing_to_epoch_ms(s: &str) -> Option<i64> {
    let c = parse_civil(s)?;
    let days = days_from_civil(c.year, c.month, c.day);
    Some(days * DAY_MS + c.secs_of_day * 1000 + c.millis - BEIJING_OFFSET_MS)
}

/// Formats epoch milliseconds as Beijing time, `YYYY-MM-DD HH:MM:SS`.
pub fn epoch_ms_to_beijing(ms: i64) -> String {
    let local = ms.saturating_add(BEIJING_OFFSET_MS);
    let days = local.div_euclid(DAY_MS);
    let secs = local.rem_euclid(DAY_MS) / 1000;
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let ms = beijing_to_epoch_ms("2020-03-25 16:27:08").unwrap();
        assert_eq!(ms, 1_585_124_828_000);
        assert_eq!(epoch_ms_to_beijing(ms), "2020-03-25 16:27:08");
        assert_eq!(
            beijing_to_epoch_ms("2022-11-22 15:07:47.531303").unwrap() % 1000,
            531
        );
        assert_eq!(epoch_ms_to_beijing(ms + 3 * DAY_MS), "2020-03-28 16:27:08");
        assert!(beijing_to_epoch_ms("2020-02-30 00:00:00").is_none());
        assert!(beijing_to_epoch_ms("yesterday").is_none());
    }

    #[test]
    fn huge_numbers_are_unreadable_not_an_overflow() {
        assert!(beijing_to_epoch_ms("99999999999999999999-01-01 00:00:00").is_none());
        assert!(beijing_to_epoch_ms("999999999999999-01-01 00:00:00").is_none());
        assert!(beijing_to_epoch_ms("10000-01-01").is_none());
        assert!(beijing_to_epoch_ms("2020-01-01 99999999999999999999:00:00").is_none());
        assert!(beijing_to_epoch_ms("9999-12-31 23:59:59").is_some());
        assert!(beijing_to_epoch_ms("0000-01-01 00:00:00").is_some());
        epoch_ms_to_beijing(i64::MAX);
        epoch_ms_to_beijing(i64::MIN);
    }
}
