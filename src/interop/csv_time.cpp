// CSV records and local date/time parsing for the calls importer (see calls_import.hpp).
#include <cctype>
#include <string>

#include "interop/calls_import.hpp"

namespace concordat::interop {

Result<std::vector<CsvRecord>> ParseCsv(std::string_view text) {
  std::vector<CsvRecord> out;
  std::size_t i = 0;
  int line = 1;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") i = 3;  // UTF-8 byte-order mark
  while (i < text.size()) {
    CsvRecord rec;
    rec.line = line;
    std::string field;
    bool in_quotes = false, quoted = false, done = false;
    while (!done) {
      if (i >= text.size()) {
        if (in_quotes) {
          return Error::InvalidArgument(
              "csv", "line " + std::to_string(rec.line) + ": a quoted field is not closed");
        }
        rec.fields.push_back(std::move(field));
        done = true;
        break;
      }
      const char c = text[i++];
      if (in_quotes) {
        if (c == '"') {
          if (i < text.size() && text[i] == '"') {
            field += '"';
            ++i;
          } else {
            in_quotes = false;
          }
        } else {
          if (c == '\n') ++line;
          field += c;
        }
      } else if (c == '"' && field.empty() && !quoted) {
        in_quotes = quoted = true;
      } else if (c == ',') {
        rec.fields.push_back(std::move(field));
        field.clear();
        quoted = false;
      } else if (c == '\r') {
        // dropped: CRLF line ends
      } else if (c == '\n') {
        ++line;
        rec.fields.push_back(std::move(field));
        done = true;
      } else {
        field += c;
      }
    }
    if (!(rec.fields.size() == 1 && rec.fields[0].empty())) out.push_back(std::move(rec));
  }
  return out;
}

namespace {

bool ReadInt(std::string_view s, std::size_t& i, int min_digits, int max_digits, int& v) {
  int n = 0;
  v = 0;
  while (i < s.size() && n < max_digits && std::isdigit(static_cast<unsigned char>(s[i]))) {
    v = v * 10 + (s[i] - '0');
    ++i;
    ++n;
  }
  return n >= min_digits;
}

}  // namespace

Result<LocalFields> ParseLocal(std::string_view s, std::string_view pattern) {
  auto bad = [&](const std::string& why) {
    return Error::InvalidArgument("date", "\"" + std::string(s) + "\" does not match \"" +
                                              std::string(pattern) + "\": " + why);
  };
  int year = -1, month = -1, day = -1, hour = -1, hour12 = -1, minute = -1, second = -1;
  int pm = -1;
  std::size_t i = 0;
  bool rest_ignored = false;
  for (std::size_t p = 0; p < pattern.size(); ++p) {
    const char pc = pattern[p];
    if (pc == ' ') {
      if (i >= s.size() || s[i] != ' ') return bad("expected a space");
      while (i < s.size() && s[i] == ' ') ++i;
      continue;
    }
    if (pc != '%') {
      if (i >= s.size() || s[i] != pc) return bad(std::string("expected '") + pc + "'");
      ++i;
      continue;
    }
    if (++p >= pattern.size()) return bad("the pattern ends with %");
    const char d = pattern[p];
    bool ok = true;
    switch (d) {
      case 'Y': ok = ReadInt(s, i, 4, 4, year); break;
      case 'y': ok = ReadInt(s, i, 2, 2, year); year += year < 69 ? 2000 : 1900; break;
      case 'm': ok = ReadInt(s, i, 1, 2, month); break;
      case 'd': ok = ReadInt(s, i, 1, 2, day); break;
      case 'H': ok = ReadInt(s, i, 1, 2, hour); break;
      case 'I': ok = ReadInt(s, i, 1, 2, hour12); break;
      case 'M': ok = ReadInt(s, i, 1, 2, minute); break;
      case 'S': ok = ReadInt(s, i, 1, 2, second); break;
      case 'p': {
        if (i + 2 > s.size()) return bad("expected AM or PM");
        const std::string ap{static_cast<char>(std::toupper(s[i])),
                             static_cast<char>(std::toupper(s[i + 1]))};
        if (ap != "AM" && ap != "PM") return bad("expected AM or PM");
        pm = ap == "PM" ? 1 : 0;
        i += 2;
        break;
      }
      case '%': ok = i < s.size() && s[i++] == '%'; break;
      case '*': rest_ignored = true; i = s.size(); break;
      default: return bad(std::string("unknown directive %") + d);
    }
    if (!ok) return bad(std::string("expected a number for %") + d);
  }
  if (!rest_ignored && i != s.size()) return bad("unexpected text after the pattern");
  LocalFields f;
  if (hour12 >= 0) {
    if (hour12 < 1 || hour12 > 12 || pm < 0) return bad("%I needs 1..12 and %p");
    hour = hour12 % 12 + (pm == 1 ? 12 : 0);
  }
  if (year >= 0 || month >= 0 || day >= 0) {
    if (year < 0 || month < 0 || day < 0) return bad("a date needs year, month and day");
    if (month < 1 || month > 12) return bad("month out of range");
    static const int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    if (day < 1 || day > kDays[month - 1] || (month == 2 && day == 29 && !leap)) {
      return bad("day out of range");
    }
    f.date = CivilDate{year, month, day};
  }
  if (hour >= 0) {
    if (hour > 23) return bad("hour out of range");
    f.hour = hour;
  }
  if (minute >= 0) {
    if (minute > 59) return bad("minute out of range");
    f.minute = minute;
  }
  if (second >= 0) {
    if (second > 59) return bad("second out of range");
    f.second = second;
  }
  return f;
}

Result<Zone> FindZone(std::string_view name) {
  if (name == "UTC") return Zone{"UTC", 0, false};
  if (name == "America/New_York") return Zone{std::string(name), -300, true};
  if (name == "America/Los_Angeles") return Zone{std::string(name), -480, true};
  return Error::InvalidArgument(
      "timezone", "time zone \"" + std::string(name) +
                      "\" is not supported; the importer implements UTC, America/New_York and "
                      "America/Los_Angeles");
}

namespace {

// Day number of the n-th Sunday (n >= 1) of a month.
std::int64_t NthSunday(int year, int month, int n) {
  const std::int64_t first = DaysFromCivil({year, month, 1});
  const int wd = Weekday(first);
  return first + (7 - wd) % 7 + 7 * (n - 1);
}

}  // namespace

Result<Timestamp> LocalToUtc(const CivilTime& local, const Zone& zone) {
  const Timestamp as_utc = FromCivilUtc(local);
  Timestamp offset = Minutes(zone.standard_offset_minutes);
  if (zone.us_dst) {
    const int y = local.date.year;
    if (y < 2007) {
      return Error::InvalidArgument("date", "US daylight-time rules before 2007 are not "
                                            "implemented (year " + std::to_string(y) + ")");
    }
    // Local wall-clock instants, compared as if UTC.
    const Timestamp start = NthSunday(y, 3, 2) * kMicrosPerDay + Hours(2);   // 02:00 → 03:00
    const Timestamp end = NthSunday(y, 11, 1) * kMicrosPerDay + Hours(2);    // 02:00 → 01:00
    if (as_utc >= start && as_utc < start + Hours(1)) {
      return Error::InvalidArgument(
          "date", FormatIso(as_utc).substr(0, 19) +
                      " does not exist in " + zone.name + " (clocks go forward at 02:00)");
    }
    // The overlap hour [01:00, 02:00) on the end day is taken as daylight time (first occurrence).
    if (as_utc >= start + Hours(1) && as_utc < end) offset += Hours(1);
  }
  return as_utc - offset;
}

std::string CommandIdFor(std::string_view source, std::string_view content_digest, int occurrence) {
  std::string id =
      "import-calls:" + std::string(source) + ":" + std::string(content_digest.substr(0, 32));
  if (occurrence > 1) id += "#" + std::to_string(occurrence);
  return id;
}

std::string RecordContent(const CsvRecord& record) {
  std::string out;
  for (const auto& f : record.fields) {
    out += f;
    out += '\x1f';
  }
  return out;
}

}  // namespace concordat::interop
