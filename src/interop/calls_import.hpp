// Calls-for-service CSV import: pure parsing and mapping (no I/O beyond reading the mapping text,
// no engine). `concordat import calls` (src/cli/import_calls.cpp) submits the result.
//
// Time zones: only the zones implemented in code are accepted: "UTC", "America/New_York" (US
// Eastern) and "America/Los_Angeles" (US Pacific), with the US rule in force since 2007 (Energy
// Policy Act 2005): daylight time from the second Sunday of March 02:00 local to the first Sunday
// of November 02:00 local. Any other zone, or a US date before 2007, is a clear error. A local
// time in the spring gap does not exist and is rejected; a time in the autumn overlap is taken
// as the first (daylight) occurrence.
#pragma once

#include <boost/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"

namespace concordat::interop {

// One CSV record; `line` is the 1-based physical line it starts on (quoted fields may span lines).
struct CsvRecord {
  int line = 0;
  std::vector<std::string> fields;
};
// RFC 4180: comma-separated, double-quoted fields with "" escapes and embedded newlines.
Result<std::vector<CsvRecord>> ParseCsv(std::string_view text);

// Local civil fields from a strptime-like pattern: %Y %y %m %d %H %I %M %S %p %% and literal
// characters; "%*" at the end ignores the rest; a space matches one or more spaces.
struct LocalFields {
  std::optional<CivilDate> date;
  std::optional<int> hour, minute, second;
};
Result<LocalFields> ParseLocal(std::string_view text, std::string_view pattern);

struct Zone {
  std::string name;
  int standard_offset_minutes = 0;  // e.g. -300 for US Eastern
  bool us_dst = false;
};
Result<Zone> FindZone(std::string_view name);
// Local civil time in `zone` → UTC instant (errors: nonexistent local time, unsupported year).
Result<Timestamp> LocalToUtc(const CivilTime& local, const Zone& zone);

struct TypeRule {
  std::string match;  // exact text, or prefix when `prefix`
  bool prefix = false;
  std::string type;
  std::string grade;
  std::vector<std::string> flags;
};

struct Mapping {
  std::string source;
  Zone zone;
  std::string channel = "999";
  std::string date_column, date_format;
  std::string time_column, time_format;  // optional: time of day from another column
  std::string type_column;
  std::string address_column;
  std::vector<std::string> address_extra_columns;  // appended with ", " (e.g. city)
  std::string lat_column, lon_column;  // numeric columns, or:
  std::string coords_column;           // a text column holding "(lat, lon)"
  std::string reference_column;        // the source's own call number, kept in the description
  std::vector<TypeRule> rules;         // exact rules first, then prefixes in file order
  std::optional<TypeRule> fallback;    // [default]; without it an unknown type is a bad row
};
Result<Mapping> ParseMapping(std::string_view toml_text);

struct BadRow {
  int line = 0;
  std::string reason;
};
struct MappedRow {
  int line = 0;
  Timestamp received_at = 0;
  bool located = false;
  boost::json::object body;  // an incident.create body
  std::string content;       // RecordContent of its CSV record
};
struct MappedFile {
  std::vector<MappedRow> rows;
  std::vector<BadRow> bad;
  int records = 0;  // data records (header excluded)
};
// Validates and maps every record; never stops at the first bad row.
Result<MappedFile> MapCalls(std::string_view csv_text, const Mapping& m);

// "import-calls:<source>:<first 32 hex digits of the SHA-256 of the record's content>", and
// "#<n>" for the n-th row of a file alike in every field (n > 1): a call is known by what its
// row says, not by the file's name or the row's place in it, so importing the same calls again —
// the same file, a renamed copy, or a later export that overlaps an earlier one — adds nothing
// twice, while a different file of the same name is imported. Rows alike in every field (two
// callers about one breakdown in the same minute) stay as many incidents as the source has rows.
std::string CommandIdFor(std::string_view source, std::string_view content_digest,
                         int occurrence = 1);

// A record's fields, each followed by U+001F: the content a call's command id is made from.
std::string RecordContent(const CsvRecord& record);

}  // namespace concordat::interop
