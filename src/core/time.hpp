// Time values for the domain: microseconds since the Unix epoch, UTC. The core never reads a
// clock; `now` is always passed in (see src/engine/clock.hpp).
//
// Europe/London civil time is computed from the UK rule in force since 1996 (Summer Time Order
// 2002 and EU directive 2000/84/EC as retained): BST (UTC+1) from 01:00 UTC on the last Sunday of
// March to 01:00 UTC on the last Sunday of October. Incident references and reports use it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace concordat {

using Timestamp = std::int64_t;  // microseconds since 1970-01-01T00:00:00Z

inline constexpr Timestamp kMicrosPerSecond = 1'000'000;
inline constexpr Timestamp kMicrosPerMinute = 60 * kMicrosPerSecond;
inline constexpr Timestamp kMicrosPerHour = 60 * kMicrosPerMinute;
inline constexpr Timestamp kMicrosPerDay = 24 * kMicrosPerHour;

constexpr Timestamp Seconds(std::int64_t s) { return s * kMicrosPerSecond; }
constexpr Timestamp Minutes(std::int64_t m) { return m * kMicrosPerMinute; }
constexpr Timestamp Hours(std::int64_t h) { return h * kMicrosPerHour; }

struct CivilDate {
  int year = 1970;
  int month = 1;  // 1..12
  int day = 1;    // 1..31
};

struct CivilTime {
  CivilDate date;
  int hour = 0;
  int minute = 0;
  int second = 0;
  int micros = 0;
};

// Days since the epoch for a proleptic Gregorian date, and back.
std::int64_t DaysFromCivil(CivilDate d);
CivilDate CivilFromDays(std::int64_t days);
// 0 = Sunday .. 6 = Saturday.
int Weekday(std::int64_t days);

CivilTime ToCivilUtc(Timestamp t);
Timestamp FromCivilUtc(const CivilTime& c);

// "2026-11-27T05:12:03.123456Z".
std::string FormatIso(Timestamp t);
// Accepts "YYYY-MM-DDTHH:MM:SS[.ffffff](Z|±HH:MM)"; a missing zone is an error. `field` names the
// input field for the error.
Result<Timestamp> ParseIso(std::string_view s, std::string_view field = "time");
// "YYYY-MM-DD" → date; error names `field`.
Result<CivilDate> ParseDate(std::string_view s, std::string_view field = "date");
std::string FormatDate(CivilDate d);

// Europe/London.
bool IsBritishSummerTime(Timestamp t);
std::int64_t LondonOffsetMicros(Timestamp t);
CivilTime ToLondon(Timestamp t);
// The London civil date an instant falls on.
CivilDate LondonDate(Timestamp t);
// "27NOV26": the date part of a CAD reference.
std::string FormatCadDate(CivilDate d);
// "Fri 27 Nov 2026": a date as a person reads it in a message (the web app's formatDay).
std::string FormatDayText(CivilDate d);

// Whole years between a date of birth and a date (age on that date).
int AgeOn(CivilDate date_of_birth, CivilDate on);

}  // namespace concordat
