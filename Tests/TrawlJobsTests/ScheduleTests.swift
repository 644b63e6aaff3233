import Foundation
import Testing
import TrawlCore

@testable import TrawlJobs

/// An instant from a UTC ISO-8601 text (the injected clock of these tests).
func utc(_ text: String) -> Date {
    try! Date(text, strategy: .iso8601)
}

let paris = TimeZone(identifier: "Europe/Paris")!
let newYork = TimeZone(identifier: "America/New_York")!

@Suite struct ScheduleParsingTests {
    @Test func acceptedFormsRoundTrip() throws {
        #expect(try Schedule.parse("once") == .once)
        #expect(try Schedule.parse("daily") == .daily(.midnight))
        #expect(try Schedule.parse("daily@02:30") == .daily(.init(hour: 2, minute: 30)))
        #expect(try Schedule.parse("weekly:mon@7:05") == .weekly(weekday: 2, .init(hour: 7, minute: 5)))
        #expect(try Schedule.parse("Weekly:Sunday") == .weekly(weekday: 1, .midnight))
        #expect(try Schedule.parse("monthly:31@23:59") == .monthly(day: 31, .init(hour: 23, minute: 59)))
        for text in ["once", "daily@02:30", "weekly:monday@07:05", "monthly:31@23:59"] {
            #expect(try Schedule.parse(text).description == text)
        }
    }

    @Test(arguments: [
        "hourly", "daily@25:00", "daily@2", "weekly:funday", "weekly:", "monthly:0", "monthly:32", "once@02:00", "",
    ])
    func badFormsNameTheAcceptedOnes(text: String) {
        do {
            _ = try Schedule.parse(text)
            Issue.record("\(text) parsed")
        } catch {
            #expect(error.description.contains("accepted forms: once, daily[@HH:MM]"))
        }
    }
}

@Suite struct ScheduleOccurrenceTests {
    @Test func dailyAtATimeInAZone() {
        let schedule = Schedule.daily(.init(hour: 2, minute: 0))
        // 10:00 UTC in winter is 11:00 in Paris: the next 02:00 Paris is tomorrow 01:00 UTC.
        #expect(schedule.next(after: utc("2024-01-10T10:00:00Z"), in: paris) == utc("2024-01-11T01:00:00Z"))
        // Exactly at an occurrence: the next is a day later.
        #expect(schedule.next(after: utc("2024-01-11T01:00:00Z"), in: paris) == utc("2024-01-12T01:00:00Z"))
        // Summer time: 02:00 Paris is 00:00 UTC.
        #expect(schedule.next(after: utc("2024-07-01T12:00:00Z"), in: paris) == utc("2024-07-02T00:00:00Z"))
    }

    @Test func weekly() {
        let schedule = Schedule.weekly(weekday: 2, .init(hour: 9, minute: 30))  // Monday
        // 2024-01-10 is a Wednesday; the next Monday is the 15th.
        #expect(schedule.next(after: utc("2024-01-10T00:00:00Z"), in: .gmt) == utc("2024-01-15T09:30:00Z"))
        #expect(schedule.next(after: utc("2024-01-15T09:30:00Z"), in: .gmt) == utc("2024-01-22T09:30:00Z"))
    }

    @Test func monthlyOnDay31SkipsShortMonths() {
        let schedule = Schedule.monthly(day: 31, .midnight)
        var date = utc("2024-01-01T00:00:00Z")
        var fired: [String] = []
        for _ in 0..<7 {
            date = schedule.next(after: date, in: .gmt)!
            fired.append(String(Date.ISO8601FormatStyle().format(date).prefix(10)))
        }
        // No February, April, June, September, November (Macie: the job does not run that month).
        #expect(
            fired == ["2024-01-31", "2024-03-31", "2024-05-31", "2024-07-31", "2024-08-31", "2024-10-31", "2024-12-31"])
    }

    @Test func monthlyOnDay29And30() {
        let day29 = Schedule.monthly(day: 29, .midnight)
        // 2024 is a leap year: February 29 exists; 2023 has none, so March 29 follows January 29.
        #expect(day29.next(after: utc("2024-02-01T00:00:00Z"), in: .gmt) == utc("2024-02-29T00:00:00Z"))
        #expect(day29.next(after: utc("2023-01-29T00:00:00Z"), in: .gmt) == utc("2023-03-29T00:00:00Z"))
        let day30 = Schedule.monthly(day: 30, .midnight)
        #expect(day30.next(after: utc("2024-01-30T00:00:00Z"), in: .gmt) == utc("2024-03-30T00:00:00Z"))
    }

    @Test func dstGapShiftsForwardAndStillRunsThatDay() {
        // New York springs forward on 2024-03-10: 02:00 EST becomes 03:00 EDT; 02:30 does not exist.
        let schedule = Schedule.daily(.init(hour: 2, minute: 30))
        let run = schedule.next(after: utc("2024-03-09T12:00:00Z"), in: newYork)!
        #expect(run == utc("2024-03-10T07:30:00Z"))  // 03:30 EDT
        // The day before and after are at 02:30 local as usual.
        #expect(schedule.next(after: utc("2024-03-08T12:00:00Z"), in: newYork) == utc("2024-03-09T07:30:00Z"))  // EST
        #expect(schedule.next(after: run, in: newYork) == utc("2024-03-11T06:30:00Z"))  // EDT
    }

    @Test func dstOverlapRunsOnceAtTheFirstInstant() {
        // New York falls back on 2024-11-03: 01:30 happens twice (EDT, then EST).
        let schedule = Schedule.daily(.init(hour: 1, minute: 30))
        let first = schedule.next(after: utc("2024-11-02T12:00:00Z"), in: newYork)!
        #expect(first == utc("2024-11-03T05:30:00Z"))  // 01:30 EDT
        // The second 01:30 (06:30Z) is not another occurrence: the next is the following day.
        #expect(schedule.next(after: first, in: newYork) == utc("2024-11-04T06:30:00Z"))
        #expect(schedule.latestOccurrence(after: first, upTo: utc("2024-11-03T07:00:00Z"), in: newYork) == nil)
    }

    @Test func catchUpRunsTheLatestMissedOccurrenceOnly() {
        let schedule = Schedule.daily(.init(hour: 2, minute: 0))
        // Last ran for 2024-01-01; the machine was off until the 8th at noon.
        let anchor = utc("2024-01-01T02:00:00Z")
        let now = utc("2024-01-08T12:00:00Z")
        #expect(schedule.latestOccurrence(after: anchor, upTo: now, in: .gmt) == utc("2024-01-08T02:00:00Z"))
        // Once that run is anchored, nothing is due until the next occurrence.
        #expect(schedule.latestOccurrence(after: utc("2024-01-08T02:00:00Z"), upTo: now, in: .gmt) == nil)
        #expect(
            schedule.latestOccurrence(after: utc("2024-01-08T02:00:00Z"), upTo: utc("2024-01-09T02:00:00Z"), in: .gmt)
                == utc("2024-01-09T02:00:00Z"))
        // Monthly on the 31st, off from January 31 to May 2: catch up April? No April 31: March 31.
        let monthly = Schedule.monthly(day: 31, .midnight)
        #expect(
            monthly.latestOccurrence(after: utc("2024-01-31T00:00:00Z"), upTo: utc("2024-05-02T00:00:00Z"), in: .gmt)
                == utc("2024-03-31T00:00:00Z"))
        #expect(Schedule.once.latestOccurrence(after: anchor, upTo: now, in: .gmt) == nil)
    }

    @Test func civilDateArithmetic() {
        #expect(CivilDate(daysSinceEpoch: 0) == CivilDate(year: 1970, month: 1, day: 1))
        #expect(CivilDate(year: 2024, month: 2, day: 29).daysSinceEpoch == 19_782)
        #expect(CivilDate(year: 2024, month: 1, day: 15).weekday == 2)  // a Monday
        #expect(
            CivilDate(daysSinceEpoch: CivilDate(year: 2100, month: 3, day: 1).daysSinceEpoch)
                == CivilDate(year: 2100, month: 3, day: 1))
    }
}
