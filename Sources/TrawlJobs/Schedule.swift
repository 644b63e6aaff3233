import Foundation
import TrawlCore

/// When a job runs: Macie's `ONE_TIME` job or `scheduleFrequency` (daily, weekly, monthly),
/// plus a wall-clock time of day that Macie does not have.
///
/// Everything here is pure: occurrences are computed from a date and a time zone, never
/// from the system clock, so the daemon injects "now" and tests pin it.
///
/// Rules (tested in `ScheduleTests`):
/// - A monthly job on day 29, 30 or 31 does not run in months without that day (Macie).
/// - A time that does not exist on a day (a DST gap, 02:30 on the spring-forward night)
///   runs at the same elapsed time after the last valid offset, i.e. shifted forward by
///   the gap (02:30 becomes 03:30), so the day is never skipped.
/// - A time that exists twice (a DST overlap, 01:30 on the fall-back night) runs once, at
///   the first of the two instants.
/// - Catch-up: `latestOccurrence(after:upTo:)` returns only the most recent missed
///   occurrence, so a machine that was off for a week runs a daily job once, not seven times.
public enum Schedule: Sendable, Equatable, Hashable, CustomStringConvertible {
    case once
    case daily(TimeOfDay)
    /// `weekday`: 1 = Sunday ... 7 = Saturday (Foundation's numbering).
    case weekly(weekday: Int, TimeOfDay)
    /// `day`: 1...31.
    case monthly(day: Int, TimeOfDay)

    public struct TimeOfDay: Sendable, Equatable, Hashable {
        public var hour: Int
        public var minute: Int
        public init(hour: Int, minute: Int) {
            self.hour = hour
            self.minute = minute
        }
        public static let midnight = TimeOfDay(hour: 0, minute: 0)
        var text: String { String(format: "%02d:%02d", hour, minute) }
    }

    static let weekdays = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"]

    /// The accepted forms, for error messages and help.
    public static let forms =
        "once, daily[@HH:MM], weekly:DAY[@HH:MM] (DAY: monday..sunday or mon..sun), monthly:N[@HH:MM] (N: 1-31)"

    /// Parses `once`, `daily[@HH:MM]`, `weekly:DAY[@HH:MM]`, `monthly:N[@HH:MM]`.
    public static func parse(_ text: String) throws(ScheduleError) -> Schedule {
        let lower = text.lowercased().trimmingCharacters(in: .whitespaces)
        let parts = lower.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false)
        let head = String(parts[0])
        var time = TimeOfDay.midnight
        if parts.count == 2 {
            let hm = parts[1].split(separator: ":", omittingEmptySubsequences: false)
            guard hm.count == 2, hm[0].count == 2 || hm[0].count == 1, hm[1].count == 2,
                let hour = Int(hm[0]), let minute = Int(hm[1]), (0...23).contains(hour), (0...59).contains(minute)
            else { throw ScheduleError(text: text, problem: "the time must be HH:MM (00:00 to 23:59)") }
            time = TimeOfDay(hour: hour, minute: minute)
        }
        if head == "once" {
            guard parts.count == 1 else {
                throw ScheduleError(text: text, problem: "a one-time job takes no time of day")
            }
            return .once
        }
        if head == "daily" { return .daily(time) }
        if head.hasPrefix("weekly:") {
            let day = String(head.dropFirst("weekly:".count))
            guard day.count >= 3,
                let index = weekdays.firstIndex(where: { $0 == day || $0.hasPrefix(day) && day.count == 3 })
            else {
                throw ScheduleError(text: text, problem: "DAY must be a weekday name (monday..sunday or mon..sun)")
            }
            return .weekly(weekday: index + 1, time)
        }
        if head.hasPrefix("monthly:") {
            guard let day = Int(head.dropFirst("monthly:".count)), (1...31).contains(day) else {
                throw ScheduleError(text: text, problem: "N must be a day of the month from 1 to 31")
            }
            return .monthly(day: day, time)
        }
        throw ScheduleError(text: text, problem: nil)
    }

    /// The canonical text form (what `parse` accepts and `job export` writes).
    public var description: String {
        switch self {
        case .once: return "once"
        case .daily(let time): return "daily@\(time.text)"
        case .weekly(let weekday, let time): return "weekly:\(Self.weekdays[weekday - 1])@\(time.text)"
        case .monthly(let day, let time): return "monthly:\(day)@\(time.text)"
        }
    }

    public var isRecurring: Bool { self != .once }

    /// Macie's `jobType`.
    public var jobType: String { self == .once ? "ONE_TIME" : "SCHEDULED" }

    var timeOfDay: TimeOfDay? {
        switch self {
        case .once: return nil
        case .daily(let time), .weekly(_, let time), .monthly(_, let time): return time
        }
    }

    // MARK: Occurrences

    /// The first occurrence strictly after `date`, or nil for a one-time job.
    public func next(after date: Date, in zone: TimeZone) -> Date? {
        guard let time = timeOfDay else { return nil }
        // Start a day early: the local date of `date` may be ahead of an occurrence's day
        // near midnight in zones far from UTC.
        var day = CivilDate(date, in: zone).daysSinceEpoch - 1
        for _ in 0..<800 {
            if let instant = occurrence(onDay: day, time: time, in: zone), instant > date { return instant }
            day += 1
        }
        return nil
    }

    /// The most recent occurrence in `(after, upTo]`, or nil when none fell in that window.
    /// This is the catch-up rule: however many occurrences were missed, only the last runs.
    public func latestOccurrence(after start: Date, upTo end: Date, in zone: TimeZone) -> Date? {
        guard let time = timeOfDay, end > start else { return nil }
        var day = CivilDate(end, in: zone).daysSinceEpoch + 1
        let stop = CivilDate(start, in: zone).daysSinceEpoch - 1
        while day >= stop {
            if let instant = occurrence(onDay: day, time: time, in: zone) {
                if instant <= end {
                    return instant > start ? instant : nil
                }
            }
            day -= 1
        }
        return nil
    }

    /// The instant this schedule fires on a local calendar day, or nil when it does not fire
    /// that day (wrong weekday, or a month without the monthly day).
    func occurrence(onDay day: Int, time: TimeOfDay, in zone: TimeZone) -> Date? {
        let civil = CivilDate(daysSinceEpoch: day)
        switch self {
        case .once: return nil
        case .daily: break
        case .weekly(let weekday, _): guard civil.weekday == weekday else { return nil }
        case .monthly(let dayOfMonth, _): guard civil.day == dayOfMonth else { return nil }
        }
        return Self.instant(day: day, time: time, in: zone)
    }

    /// The instant of a local wall-clock time on a local day: the first of two in an
    /// overlap, shifted forward by the gap in a gap.
    static func instant(day: Int, time: TimeOfDay, in zone: TimeZone) -> Date {
        // Seconds since the epoch if the wall-clock time were UTC.
        let naive = Double(day * 86_400 + time.hour * 3600 + time.minute * 60)
        // Offsets in force around that day; a transition has at most two.
        let before = zone.secondsFromGMT(for: Date(timeIntervalSince1970: naive - 2 * 86_400))
        let after = zone.secondsFromGMT(for: Date(timeIntervalSince1970: naive + 2 * 86_400))
        var candidates: [Date] = []
        for offset in Set([before, after, zone.secondsFromGMT(for: Date(timeIntervalSince1970: naive))]) {
            let instant = Date(timeIntervalSince1970: naive - Double(offset))
            if zone.secondsFromGMT(for: instant) == offset { candidates.append(instant) }
        }
        if let first = candidates.min() { return first }
        // A gap: the wall time does not exist. Use the offset from before the gap, which
        // lands the same distance past the transition (02:30 → 03:30 for a one-hour gap).
        return Date(timeIntervalSince1970: naive - Double(before))
    }
}

/// A schedule string that does not parse, with the accepted forms.
public struct ScheduleError: Error, Sendable, CustomStringConvertible {
    public var text: String
    public var problem: String?
    public var description: String {
        "bad schedule '\(text)'" + (problem.map { ": \($0)" } ?? "") + "; accepted forms: \(Schedule.forms)"
    }
}

/// A proleptic Gregorian calendar date, converted to and from days since 1970-01-01
/// (Howard Hinnant's `days_from_civil`), so schedule arithmetic needs no `Calendar`.
struct CivilDate: Equatable {
    var year: Int
    var month: Int
    var day: Int

    init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// The local date of an instant in a zone.
    init(_ date: Date, in zone: TimeZone) {
        let local = date.timeIntervalSince1970 + Double(zone.secondsFromGMT(for: date))
        self.init(daysSinceEpoch: Int((local / 86_400).rounded(.down)))
    }

    init(daysSinceEpoch days: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        day = doy - (153 * mp + 2) / 5 + 1
        month = mp < 10 ? mp + 3 : mp - 9
        year = yoe + era * 400 + (month <= 2 ? 1 : 0)
    }

    var daysSinceEpoch: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = month > 2 ? month - 3 : month + 9
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// 1 = Sunday ... 7 = Saturday. 1970-01-01 was a Thursday.
    var weekday: Int {
        let d = daysSinceEpoch
        return ((d % 7 + 7 + 4) % 7) + 1
    }
}
