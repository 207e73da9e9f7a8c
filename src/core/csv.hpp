// A small RFC 4180 CSV reader: quoted fields, doubled quotes, CRLF or LF, embedded newlines in
// quotes. Pure: parses a string already in memory.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace concordat {

struct CsvRow {
  size_t line = 0;  // 1-based line where the row starts
  std::vector<std::string> fields;
};

class CsvReader {
 public:
  explicit CsvReader(std::string_view text) : text_(text) {}
  // Reads the next row; false at the end. An unterminated quote is an error naming the line.
  Result<bool> Next(CsvRow* row);
  size_t offset() const { return pos_; }

 private:
  std::string_view text_;
  size_t pos_ = 0;
  size_t line_ = 1;
};

// The offset of the first byte that is not part of well-formed UTF-8 (RFC 3629: no overlong
// forms, no surrogates, nothing above U+10FFFF), or npos when the text is all UTF-8. Text that
// goes into an event must be: the log's JSON payload is read back by a parser that refuses
// anything else, so a Windows-1252 "É" in a CSV would make the event unreadable on replay.
size_t FirstInvalidUtf8(std::string_view text);

// Reads a whole CSV with a header row into maps of column → value. A field that is not UTF-8
// is an error naming its line and column.
struct CsvTable {
  std::vector<std::string> header;
  std::vector<CsvRow> rows;
  int Column(std::string_view name) const;  // -1 when absent
};
Result<CsvTable> ParseCsv(std::string_view text);

// One field for writing (RFC 4180): quoted, with quotes doubled, when it holds a comma, a quote
// or a line break; as it is otherwise.
std::string CsvQuote(std::string_view v);

}  // namespace concordat
