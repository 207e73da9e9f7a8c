#include "core/time.hpp"

#include <cstdio>

namespace concordat {

// Howard Hinnant's well-known civil-date algorithms, re-derived here.
std::int64_t DaysFromCivil(CivilDate d) {
  std::int64_t y = d.year - (d.month <= 2 ? 1 : 0);
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t yoe = y - era * 400;
  const std::int64_t mp = (d.month + 9) % 12;
  const std::int64_t doy = (153 * mp + 2) / 5 + d.day - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

CivilDate CivilFromDays(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const std::int64_t doe = z - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t y = yoe + era * 400;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  return CivilDate{static_cast<int>(y + (m <= 2 ? 1 : 0)), m, d};
}

int Weekday(std::int64_t days) {
  return static_cast<int>(days >= -4 ? (days + 4) % 7 : (days + 5) % 7 + 6);
}

namespace {
std::int64_t FloorDiv(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) {
    --q;
  }
  return q;
}
}  // namespace

CivilTime ToCivilUtc(Timestamp t) {
  const std::int64_t days = FloorDiv(t, kMicrosPerDay);
  std::int64_t rem = t - days * kMicrosPerDay;
  CivilTime c;
  c.date = CivilFromDays(days);
  c.hour = static_cast<int>(rem / kMicrosPerHour);
  rem %= kMicrosPerHour;
  c.minute = static_cast<int>(rem / kMicrosPerMinute);
  rem %= kMicrosPerMinute;
  c.second = static_cast<int>(rem / kMicrosPerSecond);
  c.micros = static_cast<int>(rem % kMicrosPerSecond);
  return c;
}

Timestamp FromCivilUtc(const CivilTime& c) {
  return DaysFromCivil(c.date) * kMicrosPerDay + c.hour * kMicrosPerHour +
         c.minute * kMicrosPerMinute + c.second * kMicrosPerSecond + c.micros;
}

namespace {
// Writes `v` as `width` decimal digits at `at` (v >= 0; leading zeros).
void PutDigits(std::string& out, size_t at, int width, int v) {
  for (int i = width - 1; i >= 0; --i, v /= 10)
    out[at + static_cast<size_t>(i)] = char('0' + v % 10);
}
bool PlainDate(CivilDate d) {
  return d.year >= 0 && d.year <= 9999 && d.month >= 1 && d.month <= 12 && d.day >= 0 &&
         d.day <= 99;
}
}  // namespace

std::string FormatIso(Timestamp t) {
  const CivilTime c = ToCivilUtc(t);
  if (c.date.year < 0 || c.date.year > 9999) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", c.date.year, c.date.month,
                  c.date.day, c.hour, c.minute, c.second, c.micros);
    return buf;
  }
  // Every event and view writes several of these: fixed-width digits, without printf.
  std::string out = "0000-00-00T00:00:00.000000Z";
  PutDigits(out, 0, 4, c.date.year);
  PutDigits(out, 5, 2, c.date.month);
  PutDigits(out, 8, 2, c.date.day);
  PutDigits(out, 11, 2, c.hour);
  PutDigits(out, 14, 2, c.minute);
  PutDigits(out, 17, 2, c.second);
  PutDigits(out, 20, 6, c.micros);
  return out;
}

// Every incident's creation writes both of these: fixed-width digits, without printf.
std::string FormatDate(CivilDate d) {
  if (!PlainDate(d)) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year, d.month, d.day);
    return buf;
  }
  std::string out = "0000-00-00";
  PutDigits(out, 0, 4, d.year);
  PutDigits(out, 5, 2, d.month);
  PutDigits(out, 8, 2, d.day);
  return out;
}

namespace {
bool Digits(std::string_view s, size_t pos, size_t n, int* out) {
  if (pos + n > s.size()) {
    return false;
  }
  int v = 0;
  for (size_t i = 0; i < n; ++i) {
    const char ch = s[pos + i];
    if (ch < '0' || ch > '9') {
      return false;
    }
    v = v * 10 + (ch - '0');
  }
  *out = v;
  return true;
}

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2) {
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return leap ? 29 : 28;
  }
  return kDays[month - 1];
}

bool ParseDatePart(std::string_view s, CivilDate* d) {
  if (s.size() < 10 || s[4] != '-' || s[7] != '-') {
    return false;
  }
  if (!Digits(s, 0, 4, &d->year) || !Digits(s, 5, 2, &d->month) || !Digits(s, 8, 2, &d->day)) {
    return false;
  }
  return d->month >= 1 && d->month <= 12 && d->day >= 1 && d->day <= DaysInMonth(d->year, d->month);
}
}  // namespace

Result<CivilDate> ParseDate(std::string_view s, std::string_view field) {
  CivilDate d;
  if (s.size() == 10 && ParseDatePart(s, &d)) return d;
  const std::string f(field);
  // Written as a date, but no day of the calendar (2026-02-30): say why, not the format again.
  if (s.size() == 10 && s[4] == '-' && s[7] == '-' && Digits(s, 0, 4, &d.year) &&
      Digits(s, 5, 2, &d.month) && Digits(s, 8, 2, &d.day)) {
    static constexpr const char* kMonths[] = {"January",   "February", "March",    "April",
                                              "May",       "June",     "July",     "August",
                                              "September", "October",  "November", "December"};
    const std::string shown(s);
    if (d.month < 1 || d.month > 12) {
      return Error::InvalidArgument(
          f, f + " " + shown + " is not a date: there is no month " + std::to_string(d.month));
    }
    return Error::InvalidArgument(f, f + " " + shown + " is not a date: " + kMonths[d.month - 1] +
                                         " " + std::to_string(d.year) + " has " +
                                         std::to_string(DaysInMonth(d.year, d.month)) + " days");
  }
  return Error::InvalidArgument(f, f + " must be YYYY-MM-DD");
}

Result<Timestamp> ParseIso(std::string_view s, std::string_view field) {
  auto bad = [&] {
    return Error::InvalidArgument(std::string(field),
                                  "expected an ISO-8601 time with a zone, e.g. "
                                  "2026-11-27T14:05:00Z");
  };
  CivilTime c;
  if (!ParseDatePart(s, &c.date) || s.size() < 20 || (s[10] != 'T' && s[10] != ' ') ||
      s[13] != ':' || s[16] != ':') {
    return bad();
  }
  if (!Digits(s, 11, 2, &c.hour) || !Digits(s, 14, 2, &c.minute) || !Digits(s, 17, 2, &c.second) ||
      c.hour > 23 || c.minute > 59 || c.second > 59) {
    return bad();
  }
  size_t pos = 19;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    int micros = 0;
    int n = 0;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      if (n < 6) {
        micros = micros * 10 + (s[pos] - '0');
        ++n;
      }
      ++pos;
    }
    if (n == 0) {
      return bad();
    }
    while (n < 6) {
      micros *= 10;
      ++n;
    }
    c.micros = micros;
  }
  std::int64_t offset = 0;
  if (pos < s.size() && s[pos] == 'Z' && pos + 1 == s.size()) {
    offset = 0;
  } else if (pos + 6 == s.size() && (s[pos] == '+' || s[pos] == '-') && s[pos + 3] == ':') {
    int oh = 0;
    int om = 0;
    if (!Digits(s, pos + 1, 2, &oh) || !Digits(s, pos + 4, 2, &om) || oh > 14 || om > 59) {
      return bad();
    }
    offset = (oh * kMicrosPerHour + om * kMicrosPerMinute) * (s[pos] == '-' ? -1 : 1);
  } else {
    return bad();
  }
  return FromCivilUtc(c) - offset;
}

namespace {
// 01:00 UTC on the last Sunday of `month` in `year`.
Timestamp LastSundayOneUtc(int year, int month) {
  const std::int64_t last = DaysFromCivil({year, month, DaysInMonth(year, month)});
  const std::int64_t sunday = last - Weekday(last);
  return sunday * kMicrosPerDay + kMicrosPerHour;
}
}  // namespace

bool IsBritishSummerTime(Timestamp t) {
  const int year = ToCivilUtc(t).date.year;
  return t >= LastSundayOneUtc(year, 3) && t < LastSundayOneUtc(year, 10);
}

std::int64_t LondonOffsetMicros(Timestamp t) { return IsBritishSummerTime(t) ? kMicrosPerHour : 0; }

CivilTime ToLondon(Timestamp t) { return ToCivilUtc(t + LondonOffsetMicros(t)); }

CivilDate LondonDate(Timestamp t) { return ToLondon(t).date; }

std::string FormatDayText(CivilDate d) {
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  if (!PlainDate(d)) return FormatDate(d);
  return std::string(kDays[Weekday(DaysFromCivil(d))]) + " " + std::to_string(d.day) + " " +
         kMonths[d.month - 1] + " " + std::to_string(d.year);
}

std::string FormatCadDate(CivilDate d) {
  static constexpr const char* kMonths[] = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                            "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
  if (!PlainDate(d)) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%02d%s%02d", d.day, kMonths[((d.month - 1) % 12 + 12) % 12],
                  d.year % 100);
    return buf;
  }
  std::string out = "00MMM00";
  PutDigits(out, 0, 2, d.day);
  out.replace(2, 3, kMonths[d.month - 1]);
  PutDigits(out, 5, 2, d.year % 100);
  return out;
}

int AgeOn(CivilDate dob, CivilDate on) {
  int age = on.year - dob.year;
  if (on.month < dob.month || (on.month == dob.month && on.day < dob.day)) {
    --age;
  }
  return age;
}

}  // namespace concordat
